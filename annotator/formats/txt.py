"""Plain text: the whole file is one document, titled after the file name without its extension."""

from pathlib import PureWindowsPath

from annotator.formats.base import MAX_LENGTHS, Problems, decode, document, finish


def title_from(filename):
    """The file name without folders or extension ("notes/ferry vote.txt" → "ferry vote")."""
    # PureWindowsPath splits on both "/" and "\\", whichever the uploading system used.
    return PureWindowsPath(filename or "").stem[: MAX_LENGTHS["title"]]


def read(data, *, filename=""):
    """Return the file as one document; raise FormatError when it is not UTF-8 or holds no text."""
    problems = Problems()
    record, _ = document({"text": decode(data), "title": title_from(filename)}, line=None, problems=problems)
    return finish([record] if record else [], problems)
