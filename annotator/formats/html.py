"""HTML: a saved article page becomes one document.

trafilatura extracts the main text (navigation, footers, cookie banners and comments left out), the title
(else the file name), author, publication date, canonical URL and site name (as `source`); the page's
`<html lang>` gives `language`, its description goes to metadata.
"""

import re

from annotator.formats.base import MAX_LENGTHS, Problems, decode, document, finish
from annotator.formats.txt import title_from

LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE)
DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def _extract(html):
    import trafilatura  # imported here: it takes a while, and only HTML imports need it

    return trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, date_extraction_params=DATE_PARAMS
    )


def _clip(value, name):
    return (value or "").strip()[: MAX_LENGTHS[name]]


def read(data, *, filename=""):
    """Return the page's article as one document; raise FormatError when no article text is found."""
    problems = Problems()
    html = decode(data)
    page = _extract(html) if html.strip() else None
    if page is None or not (page.text or "").strip():
        problems.add(None, "No article text was found in the page.")
        problems.check()
    language = LANG.search(html[:4096])
    fields = {
        "text": page.text,
        "title": _clip(page.title, "title") or title_from(filename),
        "author": _clip(page.author, "author"),
        "url": _clip(page.url, "url"),
        "source": _clip(page.sitename, "source"),
        "language": language.group(1) if language else "",
        "published_at": page.date,
        "metadata": {"description": page.description} if page.description else {},
    }
    record, _ = document(fields, line=None, problems=problems)
    return finish([record] if record else [], problems)
