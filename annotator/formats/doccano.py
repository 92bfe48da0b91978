"""doccano's sequence-labeling JSON Lines (`{"text", "label": [[start, end, "Label"], …]}`) and its relation-extraction
JSON Lines (`{"text", "entities": [{id, start_offset, end_offset, label}], "relations": [{id, from_id, to_id, type}]}`).

Offsets count UTF-16 code units by default (`offsets="utf16"`), as doccano's annotation UI writes them (with its
grapheme mode off, the default): a browser's string indices, so an emoji or a flag before a span counts two per
character. doccano's server stores whatever offsets it is given, so data written through doccano's API by a
Python client counts code points: `offsets="codepoints"` reads and writes those. A UTF-16 offset that falls inside
a surrogate pair (the middle of one character) or outside the text is a problem naming the line.
Import reads either shape, whichever each line has: `label` triples, or `entities` (each `id` the entity's name
within its line, which `relations` use: `from_id` and `to_id` name entities of the same line, `type` the relation
type) with optional `relations`. Keys that name Document fields fill them; other keys (doccano exports a
document's metadata as top-level keys) go to metadata, except doccano's own `id`, `relations` and `Comments`.
doccano's `id` counts within one doccano project, so it becomes `metadata.doccano_id`, never an external_id, unless
the line also has an `external_id` (Slant's exports do). doccano files name no annotator: every span and relation
belongs to the importing user.
Export: `id`, `text`, `label` and the other Document fields as top-level keys (doccano keeps them as metadata);
when the project has relation types (`relation_types`), the relation-extraction shape instead, as doccano's own
export writes it for a project with relations (backend/data_export/pipeline/factories.py, `use_relation`, and
data_export/models.py: ExportedSpan.to_dict, ExportedRelation.to_dict): `entities` [{id, label, start_offset,
end_offset}] with Slant's span ids, `relations` [{id, from_id, to_id, type}] with Slant's relation ids. doccano's
import maps `from_id` and `to_id` to the entities of the same line (data_import/pipeline/labels.py, id_to_span) and
keeps every key but `entities` and `relations` as metadata, so no `Comments` list is written: it would come back
as metadata.
"""

import functools

from annotator.formats.base import (
    DOCUMENT_FIELDS,
    Buffer,
    ExternalIds,
    Relations,
    Spans,
    document,
    dumps,
    exported_document,
    json_lines,
    stream,
    type_name,
    with_metadata,
)
from annotator.formats.offsets import CODE_POINTS, UTF16, InsideSurrogatePair, Utf16Map, offset_unit

DOCCANO_KEYS = frozenset({"id", "label", "entities", "relations", "Comments", "comments"})
# The units a doccano file may count in; the first is the default.
OFFSETS = (UTF16, CODE_POINTS)


def _fields(line):
    fields = {name: line[name] for name in DOCUMENT_FIELDS if name in line}
    extra = {key: value for key, value in line.items() if key not in DOCCANO_KEYS and key not in fields}
    if "id" in line and "external_id" not in line:
        extra["doccano_id"] = line["id"]
    return with_metadata(fields, extra)


def _raw_spans(line, number, problems):
    """The line's spans as (where, {start, end, label}) pairs; a wrongly shaped one adds a Problem."""
    if "label" in line:
        items = line["label"]
        if not isinstance(items, list):
            problems.add(number, f"label must be a list of [start, end, label], not {type_name(items)}")
            return
        for index, item in enumerate(items, 1):
            if isinstance(item, list) and len(item) == 3:
                yield f"label {index}", {"start": item[0], "end": item[1], "label": item[2]}
            elif isinstance(item, str):
                problems.add(number, f"label {index}: {item!r} is a document category; only span labels import")
            else:
                problems.add(number, f"label {index}: must be [start, end, label], not {item!r}")
    elif "entities" in line:
        items = line["entities"]
        if not isinstance(items, list):
            problems.add(number, f"entities must be a list, not {type_name(items)}")
            return
        for index, item in enumerate(items, 1):
            if isinstance(item, dict):
                yield f"entity {index}", {
                    "id": item.get("id"),
                    "start": item.get("start_offset"),
                    "end": item.get("end_offset"),
                    "label": item.get("label"),
                }
            else:
                problems.add(number, f"entity {index}: must be an object, not {type_name(item)}")


def _relations(line, spans, number, problems):
    """Check the line's `relations` (ends by entity id) and add the sound ones to its record."""
    items = line.get("relations")
    if items is None or items == []:
        return
    if not isinstance(items, list):
        problems.add(number, f"relations must be a list, not {type_name(items)}")
        return
    if "entities" not in line:
        problems.add(number, "relations need entities with ids to join; this line has none")
        return
    relations = Relations(spans, ends=("from_id", "to_id"))
    for index, item in enumerate(items, 1):
        where = f"relation {index}"
        if not isinstance(item, dict):
            problems.add(number, f"{where}: must be an object, not {type_name(item)}")
            continue
        relations.add({"type": item.get("type"), "from": item.get("from_id"), "to": item.get("to_id")}, where)


def _in_code_points(raw, utf16, where, number, problems):
    """`raw` with its UTF-16 offsets as code points; None (and a Problem) when one is outside the text or splits a
    character. Offsets that are no integers, or negative, go on unchanged: the span rule names them."""
    start, end = raw["start"], raw["end"]
    if type(start) is not int or type(end) is not int:
        return raw
    converted = {}
    for name, offset in (("start", start), ("end", end)):
        if offset < 0:
            converted[name] = offset
        elif offset > utf16.length or (name == "start" and offset == utf16.length):
            problems.add(number, f"{where}: {name} {offset} is past the end of the text ({utf16.length} UTF-16 code "
                         "units)")  # fmt: skip
        else:
            try:
                converted[name] = utf16.to_code_points(offset)
            except InsideSurrogatePair:
                problems.add(number, f"{where}: {name} {offset} falls inside a surrogate pair (the middle of one "
                             "character)")  # fmt: skip
    return {**raw, **converted} if len(converted) == 2 else None


def _read(data, problems, *, utf16=True):
    """Yield the documents of a doccano JSON Lines file, adding every problem (with its line) to `problems`."""
    external_ids = ExternalIds(problems)
    for number, line in json_lines(data, problems):
        record, newline_map = document(_fields(line), line=number, problems=problems)
        original = line.get("text")
        spans = Spans(original=original, record=record, newline_map=newline_map, line=number, problems=problems)
        units = Utf16Map(original) if utf16 and record is not None else None
        for where, raw in _raw_spans(line, number, problems):
            if units is not None:
                converted = _in_code_points(raw, units, where, number, problems)
                if converted is None:
                    spans.refuse(raw.get("id"), where)
                    continue
                raw = converted
            spans.add(raw, where)
        _relations(line, spans, number, problems)
        external_ids.check(record, number)
        if record is not None:
            yield record


def records(data, *, filename="", offsets=UTF16):
    """Yield the documents of a doccano JSON Lines file as they are read (offsets counted in `offsets`), then
    raise FormatError listing every problem and its line; ValueError for an unknown `offsets`."""
    utf16 = offset_unit(offsets, OFFSETS) == UTF16
    return stream(functools.partial(_read, utf16=utf16))(data, filename=filename)


def read(data, *, filename="", offsets=UTF16):
    """Return the documents of a doccano JSON Lines file; raise FormatError listing every problem and its line."""
    return list(records(data, filename=filename, offsets=offsets))


def _label_triples(spans, units):
    return [
        [units.to_utf16(item["start"]), units.to_utf16(item["end"]), item["label"]]
        if units is not None
        else [item["start"], item["end"], item["label"]]
        for item in spans
    ]


def _entities_and_relations(record, units):
    """doccano's relation-extraction `entities` and `relations` of `record`, in doccano's key order. A span without
    an id (a record made by hand) is numbered in its line, and so is a relation."""
    entities = []
    for number, item in enumerate(record.get("spans", ()), 1):
        start, end = item["start"], item["end"]
        if units is not None:
            start, end = units.to_utf16(start), units.to_utf16(end)
        ident = number if item.get("id") is None else item["id"]
        entities.append({"id": ident, "label": item["label"], "start_offset": start, "end_offset": end})
    relations = [
        {"id": number if item.get("id") is None else item["id"], "from_id": item["from"], "to_id": item["to"],
         "type": item["type"]}
        for number, item in enumerate(record.get("relations", ()), 1)
    ]  # fmt: skip
    return entities, relations


def write(records, *, labels=(), offsets=UTF16, relation_types=()):
    """Yield doccano JSON Lines: one document a line with its spans as `label` triples, or, when there are
    `relation_types` (the project's), as `entities` with its `relations` (offsets counted in `offsets`), in ~64 KB
    chunks."""
    utf16 = offset_unit(offsets, OFFSETS) == UTF16
    buffer = Buffer()
    for record in records:
        fields = exported_document(record)
        text = fields.pop("text")
        units = Utf16Map(text) if utf16 else None
        line = {"id": fields.pop("id"), "text": text}
        if relation_types:
            line["entities"], line["relations"] = _entities_and_relations(record, units)
        else:
            line["label"] = _label_triples(record.get("spans", ()), units)
        line.update(fields)
        if buffer.add(dumps(line) + b"\n"):
            yield buffer.take()
    if buffer.parts:
        yield buffer.take()
