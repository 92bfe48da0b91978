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
document's `.txt` and their own `.ann`, never two annotators' spans in one file. A relation between two spans of
one `.ann` is an `R<n>\t<Type> Arg1:T<a> Arg2:T<b>` line there (its note an AnnotatorNotes line too); relation
types are named like labels, in the same namespace (brat tells entity and relation types apart by name only).
`annotation.conf` (the labels as entity types, the relation types with the labels their ends allow, `<ENTITY>` for
any) and `visual.conf` (their names and colours) sit at the top, where brat finds them for every folder.

Import (`read`) takes such a zip back, or any zip of brat `.txt` and `.ann` files (unzip.py's limits): `T` lines
become spans (code points of the `.txt`; the text field must be the `.txt`'s), `R` lines relations and
AnnotatorNotes their notes; a folder's name is the annotator of its `.ann`, and a `.txt` of the same stem and text
in several folders is one document. Fragments apart only by line breaks (what export writes) join into one span;
other discontinuous spans are problems. Other lines (events, attributes, normalisations, equivalences, comments)
are counted in each record's "skipped_lines". A type that visual.conf shows under the name it was made from gets
that name back (`Call_to_action | Call to action`).
"""

import re

from annotator.formats.base import (
    FormatError,
    Problem,
    Problems,
    Relations,
    Spans,
    UniqueNames,
    decode,
    file_type_name,
    finish,
)
from annotator.formats.base import document as base_document
from annotator.formats.txt import title_from
from annotator.formats.unzip import is_zip, unpacked
from annotator.formats.zipstream import zip_stream
from annotator.rules import span_problems

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


RELATION = "relation"


def _type_text(key):
    """The name a TypeNames key stands for: a label's name, or a relation type's (its key is (RELATION, name))."""
    return key[1] if isinstance(key, tuple) else key


def _clean(key):
    return file_type_name(_type_text(key), fallback=RELATION if isinstance(key, tuple) else "label")


def relation_key(name):
    """The key of the relation type `name` in TypeNames, apart from a label of the same name."""
    return (RELATION, name)


def type_names(labels=(), relation_types=()):
    """brat types for label names and relation type names (`relation_types`), one namespace (brat keeps entity
    and relation types apart by name only): labels' forms come first and are those CoNLL gives, so a relation type
    named as a label gets `_2`. Relation types are keyed `relation_key(name)`."""
    return UniqueNames([*labels, *(relation_key(name) for name in relation_types)], clean=_clean)


def renamed_types(names):
    """[(name, form, is_relation_type)] of the names of TypeNames `names` whose type differs from them."""
    return [(_type_text(key), form, isinstance(key, tuple)) for key, form in names.forms.items()
            if form != _type_text(key)]  # fmt: skip


def _one_line(text):
    return " ".join(text.split())


def annotations(text, spans, types=None, relations=()):
    """The .ann file's text for `spans` (dicts with start, end, label, note, and id where `relations` join them)
    of `text`, and `relations` (dicts with type, from, to, note) whose both ends it holds; `types` (TypeNames)
    names the labels' and relation types' types."""
    types = types or type_names()
    lines = []
    number = notes = 0
    numbers = {}
    for item in spans:
        pieces = fragments(text, item["start"], item["end"])
        if not pieces:
            continue  # nothing but line breaks: brat cannot show it
        number += 1
        if item.get("id") is not None:
            numbers[item["id"]] = number
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        covered = " ".join(text[start:end] for start, end in pieces)
        lines.append(f"T{number}\t{types.of(item['label'])} {offsets}\t{covered}\n")
        if item.get("note"):
            notes += 1
            lines.append(f"#{notes}\tAnnotatorNotes T{number}\t{_one_line(item['note'])}\n")
    number = 0
    for item in relations:
        start, end = numbers.get(item["from"]), numbers.get(item["to"])
        if start is None or end is None:
            continue  # an end in another annotator's .ann, or one brat cannot show
        number += 1
        lines.append(f"R{number}\t{types.of(relation_key(item['type']))} Arg1:T{start} Arg2:T{end}\n")
        if item.get("note"):
            notes += 1
            lines.append(f"#{notes}\tAnnotatorNotes R{number}\t{_one_line(item['note'])}\n")
    return "".join(lines)


def _arguments(names, types):
    """A relation end's argument types in annotation.conf: the labels' types joined by `|`; any label: <ENTITY>."""
    return "|".join(types.of(name) for name in names) or "<ENTITY>"


def configuration(labels, types=None, relation_types=()):
    """annotation.conf and visual.conf for `labels` (dicts with name and optionally color) and `relation_types`
    (dicts with name, from_labels and to_labels (label names; empty: any) and optionally color), with every type
    `types` (TypeNames) has given, the labels' first."""
    types = types or type_names((label["name"] for label in labels), (kind["name"] for kind in relation_types))
    for label in labels:
        types.of(label["name"])
    ends = {relation_key(kind["name"]): kind for kind in relation_types}
    for key in ends:
        types.of(key)
    colors = {label["name"]: label.get("color") for label in labels}
    colors.update((key, kind.get("color")) for key, kind in ends.items())
    forms = types.forms.items()
    entities = "".join(f"{kind}\n" for key, kind in forms if not isinstance(key, tuple))
    relations = "".join(
        f"{kind}\tArg1:{_arguments(ends.get(key, {}).get('from_labels', ()), types)},"
        f" Arg2:{_arguments(ends.get(key, {}).get('to_labels', ()), types)}\n"
        for key, kind in forms
        if isinstance(key, tuple)
    )
    annotation = f"[entities]\n{entities}\n[relations]\n{relations}\n[events]\n\n[attributes]\n"
    visual = ["[labels]\n"]
    # visual.conf separates a type's display names with `|`.
    visual += [f"{kind} | {_type_text(key).replace('|', '¦')}\n" for key, kind in forms]
    visual.append("\n[drawing]\n")
    # Entities are filled with their colour, relations' arcs drawn in theirs.
    visual += [f"{kind}\t{'color' if isinstance(key, tuple) else 'bgColor'}:{colors[key]}\n"
               for key, kind in forms if colors.get(key)]  # fmt: skip
    return annotation, "".join(visual)


def folder_name(username):
    """A folder for `username`: characters a file name cannot take become `_`, and it is never hidden."""
    name = re.sub(r"[^\w.@+-]+", "_", username or "") or "no-annotator"
    return f"_{name[1:]}" if name.startswith(".") else name


def _members(records, labels, readme, annotators, relation_types):
    types = type_names((label["name"] for label in labels), (kind["name"] for kind in relation_types))
    if readme is not None:
        yield "README.md", [readme.encode()]
    # Case-blind: Windows and macOS would unpack `Alice/` and `alice/` into one folder.
    folders = None if annotators is None else UniqueNames(annotators, clean=folder_name, ignore_case=True)
    for number, record in enumerate(records, 1):
        name = record.get("id") or number
        text = record["text"]
        spans = record.get("spans", ())
        relations = record.get("relations", ())
        if folders is None:
            yield f"{name}.txt", [text.encode()]
            yield f"{name}.ann", [annotations(text, spans, types, relations).encode()]
            continue
        own, whose = {}, {}
        for item in spans:
            annotator = item.get("annotator") or ""
            own.setdefault(annotator, []).append(item)
            whose[item.get("id")] = annotator
        linked = {}
        for item in relations:
            linked.setdefault(whose.get(item["from"]), []).append(item)
        for annotator in own:
            folders.of(annotator)  # one the caller did not list still gets a folder, from here on
        for annotator, folder in folders.forms.items():
            ann = annotations(text, own.get(annotator, ()), types, linked.get(annotator, ()))
            yield f"{folder}/{name}.txt", [text.encode()]
            yield f"{folder}/{name}.ann", [ann.encode()]
    # Last, so that a label or relation type met only in the records is declared too.
    annotation, visual = configuration(labels, types, relation_types)
    yield "annotation.conf", [annotation.encode()]
    yield "visual.conf", [visual.encode()]


def write(records, *, labels=(), readme=None, annotators=None, relation_types=()):
    """Yield a zip of brat standoff files, streamed; `readme` (Markdown) adds a README.md dataset card;
    `annotators` (usernames) puts each one's spans and relations in a folder of their own; `relation_types`
    ([{name, color, from_labels, to_labels}], label names) go into annotation.conf's [relations]."""
    return zip_stream(_members(records, labels, readme, annotators, list(relation_types)))


# Reading. brat's own reader takes a T line as `<id>\t<type> <start> <end>[;<start> <end>…]\t<text>` and an R line
# as `<id>\t<type> <role>:<id> <role>:<id>` (server/src/annotation.py); roles are Arg1 and Arg2.
TEXTBOUND = re.compile(r"(T\S*)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
RELATION_LINE = re.compile(r"(R\S*)\t(\S+) (Arg[12]):(\S+) (Arg[12]):(\S+)[ \t]*")
NOTE = re.compile(r"#\S*\tAnnotatorNotes (\S+)\t?(.*)")
VISUAL_LABELS = re.compile(r"^\[labels\]\s*$(.*?)(?=^\[|\Z)", re.MULTILINE | re.DOTALL)
NUMBERED = re.compile(r"(.+)_\d+")


def _path(name):
    """A member's name with `/` between its folders, whichever system zipped it."""
    return name.replace("\\", "/")


def _split(path):
    """(folder, stem) of a member's path: "alice/7.ann" → ("alice", "7"); the folder is "" at the top."""
    folder, _, base = path.rpartition("/")
    return folder, base.rpartition(".")[0]


def display_names(conf):
    """{type: name} from visual.conf's [labels] (`Type | Name | …`): each type whose first display name is what
    the export made that type from (base.file_type_name, a collision's `_2` aside), so that a round trip gives the
    labels and relation types their own names back; other display names are brat's business."""
    names = {}
    for section in VISUAL_LABELS.findall(conf):
        for line in section.splitlines():
            kind, _, rest = line.partition("|")
            kind, name = kind.strip(), rest.split("|")[0].strip()
            if not kind or not name or kind.startswith("#"):
                continue
            numbered = NUMBERED.fullmatch(kind)
            if file_type_name(name) in (kind, numbered and numbered.group(1)):
                names[kind] = name
    return names


def _names_for(folder, visuals):
    """The display names of the visual.conf nearest to `folder`: its own, else its parents', as brat looks."""
    while True:
        if folder in visuals:
            return visuals[folder]
        if not folder:
            return {}
        folder = folder.rpartition("/")[0]


class _Document:
    """One document of the zip: its record, and the Spans and Relations that every folder's .ann adds to."""

    def __init__(self, record, newline_map, original, problems):
        self.record = record
        self.spans = Spans(original=original, record=record, newline_map=newline_map, line=None, problems=problems)
        self.relations = Relations(self.spans)
        self.original = original


def _one_stretch(original, pieces, where, line, problems):
    """(start, end) of a T line's `pieces` when only line breaks lie between them (brat fragments as this codec
    writes them around line breaks), else None with a Problem: Slant's spans are one stretch of text."""
    for start, end in pieces:
        for _, message in span_problems(original, start, end):
            problems.add(line, f"{where}: {message}")
            return None
    for (_, end), (start, _) in zip(pieces, pieces[1:], strict=False):
        gap = original[end:start] if end <= start else None
        if gap is None or LINE_BREAK.sub("", gap):
            offsets = ";".join(f"{start} {end}" for start, end in pieces)
            problems.add(line, f"{where}: is discontinuous ({offsets}); a span is one stretch of text, its fragments"
                         " apart only by line breaks")  # fmt: skip
            return None
    return pieces[0][0], pieces[-1][1]


def _read_ann(path, data, document, names, problems):
    """Add the spans and relations of the .ann `data` (bytes) at `path` to `document`; return how many lines were
    of kinds Slant does not import (events, attributes, normalisations, equivalences, comments)."""
    try:
        text = decode(data)
    except FormatError as error:
        for problem in error.problems:
            problems.add(problem.line, f"{path}: {problem.message}")
        return 0
    # This file's problems in line order (its relations are checked after its spans), then the others'.
    problems, everyone = Problems(), problems
    document.spans.problems = problems
    try:
        skipped = _read_lines(path, text, document, names, problems)
    finally:
        document.spans.problems = everyone
        everyone.extend(sorted(problems, key=lambda problem: problem.line or 0))
    return skipped


def _read_lines(path, text, document, names, problems):
    """_read_ann's work on the decoded `text` of the .ann, its problems going to `problems`."""
    folder, _ = _split(path)
    prefix = f"{folder}/" if folder else ""
    annotator = folder.rpartition("/")[2] or None
    textbounds, relations, notes, skipped = [], [], {}, 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("T"):
            match = TEXTBOUND.fullmatch(line)
            if match is None:
                problems.add(number, f"{path}: not a text-bound annotation as brat writes one"
                             " (T<n><TAB><type> <start> <end><TAB><text>)")  # fmt: skip
            else:
                textbounds.append((number, match))
        elif line.startswith("R"):
            match = RELATION_LINE.fullmatch(line)
            if match is None or match.group(3) == match.group(5):
                problems.add(number, f"{path}: not a relation as brat writes one (R<n><TAB><type> Arg1:T<a> Arg2:T<b>)")
            else:
                relations.append((number, match))
        elif (note := NOTE.fullmatch(line)) is not None:
            notes[note.group(1)] = note.group(2)
        else:
            skipped += 1
    spans, original = document.spans, document.original
    for number, match in textbounds:
        ident, kind, offsets, covered = match.groups()
        where = f"{path}: {ident}"
        pieces = [tuple(map(int, piece.split())) for piece in offsets.split(";")]
        raw = {"id": prefix + ident, "label": names.get(kind, kind), "annotator": annotator,
               "note": notes.pop(ident, None)}  # fmt: skip
        if len(pieces) == 1:
            raw.update(start=pieces[0][0], end=pieces[0][1], text=covered)
        elif original is not None:
            stretch = _one_stretch(original, pieces, where, number, problems)
            if stretch is None:
                continue
            joined = " ".join(original[start:end] for start, end in pieces)
            if joined != covered:
                problems.add(number, f"{where}: text {covered!r} is not the text at {offsets} ({joined!r})")
                continue
            raw.update(start=stretch[0], end=stretch[1])
        spans.line = number  # Spans reports a problem on the line it reads
        spans.add(raw, where)
    for number, match in relations:
        ident, kind, first_role, first, _, second = match.groups()
        ends = (first, second) if first_role == "Arg1" else (second, first)
        spans.line = number
        document.relations.add({"type": names.get(kind, kind), "from": prefix + ends[0], "to": prefix + ends[1],
                                "note": notes.pop(ident, None)}, f"{path}: {ident}")  # fmt: skip
    return skipped + len(notes)  # notes on annotations Slant does not import (events, attributes) are skipped too


def read(data, *, filename=""):
    """Return the documents of a zip of brat .txt and .ann files (each .ann beside the .txt of the same name; a
    folder `<username>/` gives its spans and relations to that user), the same stem and text in several folders
    one document; raise FormatError listing every problem with its file and line."""
    problems = Problems()
    if not is_zip(data, filename):
        problems.add(None, "A brat import is a zip of .txt and .ann files.")
        problems.check()
    texts, anns, visuals = {}, {}, {}
    for name, content in unpacked(data, extensions=(".txt", ".ann", "visual.conf"), problems=problems):
        path = _path(name)
        folder, _, base = path.rpartition("/")
        if base.lower() == "visual.conf":
            visuals[folder] = display_names(content.decode("utf-8", "replace"))
        elif base.lower().endswith((".txt", ".ann")):
            (texts if base.lower().endswith(".txt") else anns)[path[:-4]] = (path, content)
    documents = {}  # (stem, text as the file has it) -> _Document
    for key, (path, content) in texts.items():
        try:
            original = decode(content)
        except FormatError as error:
            problems.extend(Problem(p.line, f"{path}: {p.message}") for p in error.problems)
            original = None
        folder, stem = _split(path)
        document = documents.get((stem, original))
        if document is None and original is not None:
            record, newline_map = base_document({"text": original, "title": title_from(path)}, line=None,
                                                problems=problems, where=path)  # fmt: skip
            if record is not None:
                record["skipped_lines"] = 0
            document = documents[stem, original] = _Document(record, newline_map, original, problems)
        ann = anns.pop(key, None)
        if ann is not None and document is not None:
            skipped = _read_ann(*ann, document, _names_for(folder, visuals), problems)
            if document.record is not None:
                document.record["skipped_lines"] += skipped
    for path, _ in anns.values():
        problems.add(None, f"{path}: has no .txt of the same name beside it")
    records = [document.record for document in documents.values() if document.record is not None]
    return finish(records, problems)
