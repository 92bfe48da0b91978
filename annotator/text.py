"""Text rules shared by every layer: line endings, code points and UTF-16 code units."""

import re

TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def normalize_newlines(text):
    """Return `text` with CRLF and lone CR turned into LF; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf16_length(text):
    """Number of UTF-16 code units `text` takes (a code point above U+FFFF takes two)."""
    return len(text.encode("utf-16-le")) // 2


def tokenize(text):
    """Tokens as the agreement measures see them: (start, end) code-point offsets of `\\w+|[^\\w\\s]` matches."""
    return [m.span() for m in TOKEN_RE.finditer(text)]
