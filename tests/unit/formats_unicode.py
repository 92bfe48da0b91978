"""A document whose characters count differently in code points and in UTF-16 code units, for the codecs of the
tools that count in either: emoji, flags, zero-width-joiner families and combining accents before and inside
spans. Offsets here are computed from the encodings themselves, never through annotator.formats.offsets."""

from tests.unit.formats_data import CAFE, FLAG_UA, GRIN

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl: 5 code points, 8 UTF-16 units

TEXT = (
    f"{GRIN} Harbour {FLAG_UA} news: the {FAMILY} family said "
    f'"the {CAFE} {GRIN} closed" according to Olena {FLAG_UA}.\n'
    f"{FAMILY}{CAFE} {GRIN}"
)
# Each piece is taken where it first occurs; together they start and end before, after and around every kind of
# character above (the first is the emoji that opens the text).
PIECES = (
    GRIN,
    "Harbour",
    "family said",
    f"{CAFE} {GRIN} closed",
    f"Olena {FLAG_UA}",
    f"{FAMILY}{CAFE}",
    FAMILY + CAFE + " " + GRIN,
    f"{FLAG_UA} news: the {FAMILY}",
)


def code_points(piece, text=TEXT):
    start = text.index(piece)
    return start, start + len(piece)


def utf16_units(piece, text=TEXT):
    """Where `piece` is in `text`, counted in UTF-16 code units as a browser's string indices count them."""
    start, end = code_points(piece, text)
    return len(text[:start].encode("utf-16-le")) // 2, len(text[:end].encode("utf-16-le")) // 2


def utf16_slice(text, start, end):
    """What a browser shows for text.substring(start, end)."""
    return text.encode("utf-16-le")[start * 2 : end * 2].decode("utf-16-le")
