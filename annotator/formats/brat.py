"""brat standoff: a zip with `<id>.txt` (the text, UTF-8) and `<id>.ann` per document, plus brat's configuration.

Each span is a text-bound annotation `T<n>\\t<Label> <start> <end>\\t<text>` in code points, white space in the
label name turned into `_`. The text field sits on one line, so a span that crosses line breaks is written as
brat's discontinuous fragments (`0 5;6 11`), one per line of text it covers, and its text field joins the
fragments with a space, as brat itself does; every fragment slices the .txt exactly. A span's note becomes an
`AnnotatorNotes` line. brat has no annotator field: export one annotator (or the gold layer) for one layer.
`annotation.conf` declares the labels as entity types and `visual.conf` gives their names and colours.
"""

import re

from annotator.formats.base import label_name_for_files
from annotator.formats.zipstream import zip_stream

LINE_BREAK = re.compile("\n")


def fragments(text, start, end):
    """The (start, end) pieces of text[start:end] between line breaks, empty pieces left out."""
    pieces = []
    position = start
    for match in LINE_BREAK.finditer(text, start, end):
        if match.start() > position:
            pieces.append((position, match.start()))
        position = match.end()
    if end > position:
        pieces.append((position, end))
    return pieces


def annotations(text, spans):
    """The .ann file's text for `spans` (dicts with start, end, label, note) of `text`."""
    lines = []
    number = 0
    for item in spans:
        pieces = fragments(text, item["start"], item["end"])
        if not pieces:
            continue  # nothing but line breaks: brat cannot show it
        number += 1
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        covered = " ".join(text[start:end] for start, end in pieces)
        lines.append(f"T{number}\t{label_name_for_files(item['label'])} {offsets}\t{covered}\n")
        note = item.get("note")
        if note:
            lines.append(f"#{number}\tAnnotatorNotes T{number}\t{' '.join(note.split())}\n")
    return "".join(lines)


def configuration(labels):
    """annotation.conf and visual.conf for `labels` (dicts with name and optionally color)."""
    named = [(label_name_for_files(label["name"]), label) for label in labels]
    entities = "".join(f"{name}\n" for name, _ in named)
    annotation = f"[entities]\n{entities}\n[relations]\n\n[events]\n\n[attributes]\n"
    visual = ["[labels]\n"]
    visual += [f"{name} | {label['name']}\n" for name, label in named]
    visual.append("\n[drawing]\n")
    visual += [f"{name}\tbgColor:{label['color']}\n" for name, label in named if label.get("color")]
    return annotation, "".join(visual)


def _members(records, labels, readme):
    annotation, visual = configuration(labels)
    yield "annotation.conf", [annotation.encode()]
    yield "visual.conf", [visual.encode()]
    if readme is not None:
        yield "README.md", [readme.encode()]
    for number, record in enumerate(records, 1):
        name = record.get("id") or number
        text = record["text"]
        yield f"{name}.txt", [text.encode()]
        yield f"{name}.ann", [annotations(text, record.get("spans", ())).encode()]


def write(records, *, labels=(), readme=None):
    """Yield a zip of brat standoff files, streamed; `readme` (Markdown) adds a README.md dataset card."""
    return zip_stream(_members(records, labels, readme))
