"""CoNLL-style BIO tags: one token a line (`token<TAB>tag`), each document after a `-DOCSTART-` line with its id.

Each document is `-DOCSTART- -X- O O<TAB><id><TAB>O`, a blank line, its tokens, a blank line; a document without
any token is its `-DOCSTART-` line and a blank line, never left out, so that two annotators' files align by id.
Why that line: spaCy's converter splits documents at exactly `-DOCSTART- -X- O O` and reads what follows it on
the line as a one-token sentence, `<id>` tagged `O`, so in spaCy each document's first token is its id and an
empty document stays one (a bare delimiter would be dropped there and shift every later document); CoNLL-2003
readers take any line starting with `-DOCSTART-` as a document boundary. No token is ever `-DOCSTART-` (`-` is a
token of its own).

Tokens are the agreement tokens (annotator.text.tokenize: `\\w+|[^\\w\\s]` over grapheme clusters, so a combining
accent, an emoji's skin tone or a flag never makes a token of its own); a span tags every token it touches (shares
a character with), `B-Type` on the first and `I-Type` on the rest; a token no span touches is `O`. Types are the
label names made valid and unique as brat's are (base.file_type_name, base.UniqueNames: `Call to action` →
`Call_to_action`, a collision suffixed `_2`); the dataset card lists the names that changed. Tags cannot overlap,
so where spans do, the one that starts first wins, then the longer, then the label name in alphabetical order; a
span that shares a token with a winner is left out whole (never cut).
Export only; meant for one annotator's spans or the gold layer (the caller makes sure).
"""

from bisect import bisect_left, bisect_right

from annotator.formats.base import Buffer, UniqueNames
from annotator.text import tokenize

DOCSTART = "-DOCSTART- -X- O O"


def tags(text, spans, types=None):
    """Return [(token, tag)] for `text` with the BIO tags of `spans` (dicts with start, end, label); `types`
    (UniqueNames) names the labels' types."""
    types = types or UniqueNames()
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
        name = types.of(item["label"])
        result[first] = f"B-{name}"
        for index in range(first + 1, last):
            result[index] = f"I-{name}"
    return [(text[start:end], tag) for (start, end), tag in zip(tokens, result, strict=True)]


def write(records, *, labels=()):
    """Yield the records as BIO-tagged tokens, each document after its `-DOCSTART-` line, in chunks of about
    64 KB; `labels` (the project's, in id order) fix the type names."""
    types = UniqueNames(label["name"] for label in labels)
    buffer = Buffer()
    for number, record in enumerate(records, 1):
        lines = [f"{DOCSTART}\t{record.get('id') or number}\tO\n\n"]
        tagged = tags(record["text"], record.get("spans", ()), types)
        if tagged:
            lines += [f"{token}\t{tag}\n" for token, tag in tagged]
            lines.append("\n")
        if buffer.add("".join(lines).encode()):
            yield buffer.take()
    if buffer.parts:
        yield buffer.take()
