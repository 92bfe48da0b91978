"""Plain text: a file is one document; a zip of .txt files is one document per .txt member.

The title is the first line when it looks like a headline (short, not ending as a sentence or a clause does,
with more text after it), and the text is the rest, the blank lines after the headline left out; otherwise the
title is the file name without folders or extension and the text is the whole file.

A zip is read within unzip.py's limits (members, unpacked size; a bomb is refused whatever its headers claim).
Members in folders are read as any other (the title comes from the member's own name); members that are not .txt
files, or are hidden (macOS's `__MACOSX/` and `._name` companions), are passed over.
"""

import re
from pathlib import PureWindowsPath

from annotator.formats.base import MAX_LENGTHS, FormatError, Problems, decode, document
from annotator.formats.unzip import is_zip, unpacked

# What a headline is at most, and how it may not end: a full stop ends a sentence; a comma, colon or semicolon
# leads on into the next line.
HEADLINE_MAX = 150
NOT_HEADLINE_ENDINGS = (".", ",", ":", ";")
BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)+")


def title_from(filename):
    """The file name without folders or extension ("notes/ferry vote.txt" → "ferry vote")."""
    # PureWindowsPath splits on both "/" and "\\", whichever the uploading system used.
    return PureWindowsPath(filename or "").stem[: MAX_LENGTHS["title"]]


def split_headline(text):
    """(title, rest) when the first line of `text` looks like a headline; else None."""
    first, newline, rest = text.partition("\n")
    headline = first.strip()
    if not newline or not headline or len(headline) > HEADLINE_MAX or headline.endswith(NOT_HEADLINE_ENDINGS):
        return None
    blank = BLANK_LINES.match(rest)
    if blank:
        rest = rest[blank.end() :]
    if not rest.strip():
        return None
    return headline, rest


def _one(data, *, name, problems, where=""):
    """The record of one file's bytes `data` called `name`, or None (its problems added to `problems`)."""
    try:
        text = decode(data)
    except FormatError as error:
        for problem in error.problems:
            problems.add(problem.line, f"{where}: {problem.message}" if where else problem.message)
        return None
    # Line endings first, so that a headline ends at "\r\n" as it does at "\n".
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    headline = split_headline(text)
    title, text = headline if headline else (title_from(name), text)
    record, _ = document({"text": text, "title": title}, line=None, problems=problems, where=where)
    return record


def _zip_records(data):
    problems = Problems()
    count = 0
    for name, content in unpacked(data, extensions=(".txt",), problems=problems):
        record = _one(content, name=name, problems=problems, where=name)
        if record is not None:
            count += 1
            yield record
    if not count and not problems:
        problems.add(None, "The zip's .txt files hold no text.")
    problems.check()


def records(data, *, filename=""):
    """Yield the file's document, or each .txt member's of a zip as it is unpacked; raise FormatError (every
    problem: not UTF-8, no text, a damaged member) after the last, or at once for a zip that is damaged as a
    whole or over the limits."""
    if is_zip(data, filename):
        yield from _zip_records(data)
        return
    problems = Problems()
    record = _one(data, name=filename, problems=problems)
    problems.check()
    yield record


def read(data, *, filename=""):
    """Return the documents of `records` as a list."""
    return list(records(data, filename=filename))
