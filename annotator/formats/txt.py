"""Plain text: a file is one document; a zip of .txt files is one document per .txt member.

The title is the first line when it looks like a headline (short, not ending as a sentence or a clause does,
with more text after it), and the text is the rest, the blank lines after the headline left out; otherwise the
title is the file name without folders or extension and the text is the whole file.

A zip is read member by member, its size taken from what actually comes out of it rather than from what its
headers claim: more than MAX_MEMBERS members or more than MAX_UNPACKED_BYTES unpacked is refused as a whole.
Members in folders are read as any other (the title comes from the member's own name); members that are not .txt
files, or are hidden (macOS's `__MACOSX/` and `._name` companions), are passed over. Nothing is written to disk,
so names such as `../x.txt` or `/etc/x.txt` are just names.
"""

import io
import re
import zipfile
import zlib
from pathlib import PureWindowsPath

from annotator.formats.base import MAX_LENGTHS, FormatError, Problem, Problems, decode, document

# What a headline is at most, and how it may not end: a full stop ends a sentence; a comma, colon or semicolon
# leads on into the next line.
HEADLINE_MAX = 150
NOT_HEADLINE_ENDINGS = (".", ",", ":", ";")
BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)+")

# A zip's limits: an import holds its documents in memory, and 50 MB of compressed upload can unpack to gigabytes.
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a first member, or an empty archive's directory
# What a damaged or hostile archive raises while it is read: zipfile's own errors, the decompressors', a method
# it does not know (NotImplementedError), an encrypted member (RuntimeError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


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


def is_zip(data, filename=""):
    """Whether `data` is meant as a zip: its first bytes say so, or its name does (then a damaged one is refused
    as a zip rather than read as text)."""
    return data[:4] in ZIP_SIGNATURES or (filename or "").lower().endswith(".zip")


def _wanted(info):
    """Whether a zip member is a .txt file to import: not a folder, not hidden, not macOS's resource forks."""
    if info.is_dir():
        return False
    parts = PureWindowsPath(info.filename).parts
    if any(part.startswith(".") and part not in (".", "..") for part in parts) or "__MACOSX" in parts:
        return False
    return info.filename.lower().endswith(".txt")


def _refuse(message):
    raise FormatError([Problem(None, message)])


def _members(data):
    """The archive of `data` and its .txt members, checked against the limits; FormatError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except ZIP_ERRORS as error:
        _refuse(f"The file is not a readable zip archive ({error}).")
    if len(members) > MAX_MEMBERS:
        _refuse(f"The zip holds {len(members)} files; an import takes at most {MAX_MEMBERS:,}.")
    wanted = [info for info in members if _wanted(info)]
    if not wanted:
        _refuse("The zip holds no .txt files.")
    declared = sum(info.file_size for info in wanted)
    if declared > MAX_UNPACKED_BYTES:
        _refuse(_too_large())
    return archive, wanted


def _too_large():
    return f"The zip's .txt files unpack to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; import it in parts."


def _zip_records(data):
    archive, members = _members(data)
    problems = Problems()
    left = MAX_UNPACKED_BYTES
    count = 0
    with archive:
        for info in members:
            try:
                with archive.open(info) as member:
                    content = member.read(left + 1)  # never more than the budget, whatever the headers claim
            except ZIP_ERRORS as error:
                problems.add(None, f"{info.filename}: cannot be unpacked ({error})")
                continue
            left -= len(content)
            if left < 0:
                _refuse(_too_large())
            record = _one(content, name=info.filename, problems=problems, where=info.filename)
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
