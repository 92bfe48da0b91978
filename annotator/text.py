"""Text rules shared by every layer: line endings, code points and UTF-16 code units, tokens."""

import difflib
import hashlib
import re

import regex

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# Extended grapheme clusters (Unicode's UAX #29): what a reader sees as one character. The standard library's
# `re` has no `\X`; the `regex` package keeps its tables current with each Unicode release.
GRAPHEME_RE = regex.compile(r"\X")


def normalize_newlines(text):
    """Return `text` with CRLF and lone CR turned into LF; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_hash(text):
    """The SHA-256 of `text` (as stored: line endings already normalised), in hex: how an import recognises a
    document it stored before when the file gives no external_id."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def utf16_length(text):
    """Number of UTF-16 code units `text` takes (a code point above U+FFFF takes two)."""
    return len(text.encode("utf-16-le")) // 2


def tokenize(text):
    """Tokens as the agreement measures and the CoNLL export see them: (start, end) code-point offsets of the
    matches of `\\w+|[^\\w\\s]` taken over grapheme clusters instead of code points.

    A cluster counts as its first code point does (`\\w`, `\\s` or neither, as Python's `re` has them): a run of
    word clusters is one token, any other cluster not white space is a token of its own. So a combining accent,
    a skin tone, a zero-width-joiner sequence or a flag stays in the token of the character it belongs to, and
    "cafe" + U+0301 is one token as the precomposed "café" is. Where every cluster is one code point (all ASCII
    text), the tokens are exactly the regular expression's matches.
    """
    if text.isascii():
        return [match.span() for match in TOKEN_RE.finditer(text)]
    clusters = GRAPHEME_RE.findall(text)
    if len(clusters) == len(text):
        return [match.span() for match in TOKEN_RE.finditer(text)]
    tokens = []
    word = None  # where the word being read began
    position = 0
    for cluster in clusters:
        end = position + len(cluster)
        head = cluster[0]
        if head.isalnum() or head == "_":
            if word is None:
                word = position
        else:
            if word is not None:
                tokens.append((word, position))
                word = None
            if not head.isspace():
                tokens.append((position, end))
        position = end
    if word is not None:
        tokens.append((word, position))
    return tokens


# Per side; beyond it line_diff gives up rather than keep a page waiting on a quadratic match: two 4,000-line texts
# of few distinct lines took 1 s here, 2,000 lines a quarter of that.
DIFF_MAX_LINES = 2000


def line_diff(old, new, *, context=2):
    """The lines that turn `old` into `new`: ("-", line) removed, ("+", line) added, (" ", line) unchanged, at most
    `context` of them either side of a change, and ("…", "") where unchanged lines are left out. [] when the texts
    have the same lines; None when either has more than DIFF_MAX_LINES."""
    before, after = old.splitlines(), new.splitlines()
    if max(len(before), len(after)) > DIFF_MAX_LINES:
        return None
    if before == after:
        return []
    rows = []
    for group in difflib.SequenceMatcher(None, before, after, autojunk=False).get_grouped_opcodes(context):
        if group[0][1] > 0 or group[0][3] > 0:
            rows.append(("…", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [(" ", line) for line in before[i1:i2]]
            else:
                rows += [("-", line) for line in before[i1:i2]] + [("+", line) for line in after[j1:j2]]
    last = group[-1]
    if last[2] < len(before) or last[4] < len(after):
        rows.append(("…", ""))
    return rows
