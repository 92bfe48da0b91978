"""CoNLL-style BIO tags: one token a line (`token<TAB>tag`), a blank line after each document.

Tokens are the agreement tokens (`\\w+|[^\\w\\s]`, annotator.text.tokenize); a span tags every token it touches
(shares a character with), `B-Label` on the first and `I-Label` on the rest, white space in a label name turned
into `_`; a token no span touches is `O`. Tags cannot overlap, so where spans do, the one that starts first wins,
then the longer, then the label name in alphabetical order; a span that shares a token with a winner is left out
whole (never cut). There are no comment or `-DOCSTART-` lines, which most CoNLL readers would take for tokens:
the n-th blank-line-separated block is the n-th document of the export (ordered by id, as the JSONL export is).
A document without any token writes an empty block (a lone blank line) so the count still matches.
Export only; meant for one annotator's spans or the gold layer (the caller makes sure).
"""

from bisect import bisect_left, bisect_right

from annotator.formats.base import Buffer, label_name_for_files
from annotator.text import tokenize


def tags(text, spans):
    """Return [(token, tag)] for `text` with the BIO tags of `spans` (dicts with start, end, label)."""
    tokens = tokenize(text)
    result = ["O"] * len(tokens)
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    ordered = sorted(spans, key=lambda item: (item["start"], -(item["end"] - item["start"]), item["label"]))
    for item in ordered:
        # Tokens touched: those ending after the span starts and starting before it ends.
        first = bisect_right(ends, item["start"])
        last = bisect_left(starts, item["end"])
        if first >= last or any(tag != "O" for tag in result[first:last]):
            continue
        name = label_name_for_files(item["label"])
        result[first] = f"B-{name}"
        for index in range(first + 1, last):
            result[index] = f"I-{name}"
    return [(text[start:end], tag) for (start, end), tag in zip(tokens, result, strict=True)]


def write(records, *, labels=()):
    """Yield the records as BIO-tagged tokens, a blank line after each document, in chunks of about 64 KB."""
    buffer = Buffer()
    for record in records:
        lines = [f"{token}\t{tag}\n" for token, tag in tags(record["text"], record.get("spans", ()))]
        lines.append("\n")
        if buffer.add("".join(lines).encode()):
            yield buffer.take()
    if buffer.parts:
        yield buffer.take()
