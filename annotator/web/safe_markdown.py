"""Owner-written Markdown (project guidelines) as HTML that is safe to put in a page with a strict CSP."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions.tables import TableExtension

# Python-Markdown passes raw HTML through untouched, so its output is only as safe as this allow-list: no
# script, style, img, iframe, form, no event handlers or style attributes (the CSP would block and report them).
_CLEANER = nh3.Cleaner(
    tags={
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote"),
        *("ul", "ol", "li", "em", "strong", "code", "pre", "a"),
        *("table", "thead", "tbody", "tr", "th", "td"),
    },
    clean_content_tags={"script", "style"},  # dropped with their content, not left as visible text
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    tag_attribute_values={"th": {"align": {"left", "center", "right"}}, "td": {"align": {"left", "center", "right"}}},
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",  # only absolute http(s) and mailto links, as the brief for guidelines says
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)

# Column alignment as align="…" rather than style="text-align: …", which the CSP's style-src would refuse.
_EXTENSIONS = [TableExtension(use_align_attribute=True), "fenced_code", "sane_lists"]


def render_markdown(text) -> SafeString:
    """Render Markdown to HTML and keep only headings, paragraphs, lists, emphasis, code, quotes, tables, rules,
    line breaks and http/https/mailto links; everything else (raw tags, attributes, scripts) is removed."""
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, output_format="html")
    return mark_safe(_CLEANER.clean(html).strip())  # noqa: S308 (sanitised by the allow-list just above)
