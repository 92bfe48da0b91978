"""brat standoff: a zip with `<id>.txt` (the text, UTF-8) and `<id>.ann` per document, plus brat's configuration.

Each span is a text-bound annotation `T<n>\\t<Type> <start> <end>\\t<text>` in code points. Types are the label
names made valid and unique (base.file_type_name, base.UniqueNames): brat stores a type as `[A-Za-z0-9_-]+`, so
`Call to action` becomes `Call_to_action`, `a|b` becomes `a_b`, and a name that would collide with another's type
gets `_2`; the same mapping in every `.ann`, in `annotation.conf` and in CoNLL's tags (the dataset card lists the
names that changed). The text field sits on one line, and readers split lines not only at `\\n` (Python's
`splitlines` and brat's own reader also break at \\r, \\v, \\f, U+001C–U+001E, U+0085, U+2028 and U+2029), so a
span that crosses any of those is written as brat's discontinuous fragments (`0 5;6 11`) around them, and its text
field joins the fragments with a space, as brat itself does and checks: a line splitter shows as a space there,
the offsets stay those of the .txt and every fragment slices it exactly. A span's note becomes an
`AnnotatorNotes` line (its white space, line splitters included, one space). brat has no annotator field: given
`annotators` (every annotator's spans in one export), each annotator has a folder `<username>/` with every
document's `.txt` and their own `.ann`, never two annotators' spans in one file. `annotation.conf` (the labels as
entity types) and `visual.conf` (their names and colours) sit at the top, where brat finds them for every folder.
"""

import re

from annotator.formats.base import UniqueNames
from annotator.formats.zipstream import zip_stream

# What str.splitlines() breaks at: a line-based reader of the .ann file may break there.
LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


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


def annotations(text, spans, types=None):
    """The .ann file's text for `spans` (dicts with start, end, label, note) of `text`; `types` (UniqueNames)
    names the labels' types."""
    types = types or UniqueNames()
    lines = []
    number = 0
    for item in spans:
        pieces = fragments(text, item["start"], item["end"])
        if not pieces:
            continue  # nothing but line breaks: brat cannot show it
        number += 1
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        covered = " ".join(text[start:end] for start, end in pieces)
        lines.append(f"T{number}\t{types.of(item['label'])} {offsets}\t{covered}\n")
        note = item.get("note")
        if note:
            lines.append(f"#{number}\tAnnotatorNotes T{number}\t{' '.join(note.split())}\n")
    return "".join(lines)


def configuration(labels, types=None):
    """annotation.conf and visual.conf for `labels` (dicts with name and optionally color), with every type
    `types` (UniqueNames) has given, the labels' first."""
    types = types or UniqueNames(label["name"] for label in labels)
    for label in labels:
        types.of(label["name"])
    colors = {label["name"]: label.get("color") for label in labels}
    entities = "".join(f"{kind}\n" for kind in types.forms.values())
    annotation = f"[entities]\n{entities}\n[relations]\n\n[events]\n\n[attributes]\n"
    visual = ["[labels]\n"]
    # visual.conf separates a type's display names with `|`.
    visual += [f"{kind} | {name.replace('|', '¦')}\n" for name, kind in types.forms.items()]
    visual.append("\n[drawing]\n")
    visual += [f"{kind}\tbgColor:{colors[name]}\n" for name, kind in types.forms.items() if colors.get(name)]
    return annotation, "".join(visual)


def folder_name(username):
    """A folder for `username`: characters a file name cannot take become `_`, and it is never hidden."""
    name = re.sub(r"[^\w.@+-]+", "_", username or "") or "no-annotator"
    return f"_{name[1:]}" if name.startswith(".") else name


def _members(records, labels, readme, annotators):
    types = UniqueNames(label["name"] for label in labels)
    if readme is not None:
        yield "README.md", [readme.encode()]
    # Case-blind: Windows and macOS would unpack `Alice/` and `alice/` into one folder.
    folders = None if annotators is None else UniqueNames(annotators, clean=folder_name, ignore_case=True)
    for number, record in enumerate(records, 1):
        name = record.get("id") or number
        text = record["text"]
        spans = record.get("spans", ())
        if folders is None:
            yield f"{name}.txt", [text.encode()]
            yield f"{name}.ann", [annotations(text, spans, types).encode()]
            continue
        own = {}
        for item in spans:
            own.setdefault(item.get("annotator") or "", []).append(item)
        for annotator in own:
            folders.of(annotator)  # one the caller did not list still gets a folder, from here on
        for annotator, folder in folders.forms.items():
            yield f"{folder}/{name}.txt", [text.encode()]
            yield f"{folder}/{name}.ann", [annotations(text, own.get(annotator, ()), types).encode()]
    # Last, so that a label met only in the spans is declared too.
    annotation, visual = configuration(labels, types)
    yield "annotation.conf", [annotation.encode()]
    yield "visual.conf", [visual.encode()]


def write(records, *, labels=(), readme=None, annotators=None):
    """Yield a zip of brat standoff files, streamed; `readme` (Markdown) adds a README.md dataset card;
    `annotators` (usernames) puts each one's spans in a folder of their own."""
    return zip_stream(_members(records, labels, readme, annotators))
