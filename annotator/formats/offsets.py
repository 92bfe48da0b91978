"""Offset maps: from a file's text to its normalised text, and between code points and UTF-16 code units."""

import re
from bisect import bisect_left

ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# The units a file's offsets may count in: Python's (and Slant's) code points, or a browser's UTF-16 code units.
CODE_POINTS = "codepoints"
UTF16 = "utf16"


def offset_unit(value, allowed):
    """`value` when it is one of the `allowed` units; ValueError naming them otherwise."""
    if value not in allowed:
        raise ValueError(f"offsets {value!r} is not one of {', '.join(allowed)}")
    return value


class NewlineMap:
    """Maps a code-point offset in `text` to the same place in normalize_newlines(text).

    Only the carriage return of a CRLF disappears (a lone CR becomes LF), so an offset moves left by the number
    of CRLF pairs whose CR lies before it. An offset between CR and LF lands on the LF.
    """

    def __init__(self, text):
        self.removed = [match.start() for match in re.finditer("\r\n", text)]

    def __call__(self, offset):
        return offset - bisect_left(self.removed, offset)


class InsideSurrogatePair(ValueError):
    """A UTF-16 offset that falls between the two halves of a character outside the BMP."""


class Utf16Map:
    """Converts offsets in `text` between code points (Python, Slant) and UTF-16 code units (browsers, doccano).

    A character above U+FFFF takes two UTF-16 code units, so each such character before an offset adds one.
    """

    def __init__(self, text):
        self.astral = [] if text.isascii() else [match.start() for match in ASTRAL.finditer(text)]
        # Where each of those characters starts, counted in UTF-16 code units.
        self.units = [index + before for before, index in enumerate(self.astral)]
        self.length = len(text) + len(self.astral)

    def to_utf16(self, offset):
        if not self.astral:
            return offset
        return offset + bisect_left(self.astral, offset)

    def to_code_points(self, offset):
        """Return the code-point offset; raise InsideSurrogatePair when `offset` splits a character."""
        if not self.astral:
            return offset
        before = bisect_left(self.units, offset)
        if before and self.units[before - 1] == offset - 1:
            raise InsideSurrogatePair(offset)
        return offset - before
