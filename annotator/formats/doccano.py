"""doccano's sequence-labeling JSON Lines: `{"text", "label": [[start, end, "Label"], …]}`, offsets in code points.

Import also takes doccano's `entities` variant (`[{"start_offset", "end_offset", "label"}]`). Keys that name
Document fields fill them; other keys (doccano exports a document's metadata as top-level keys) go to metadata,
except doccano's own `id`, `relations` and `Comments`. doccano's `id` counts within one doccano project, so it
becomes `metadata.doccano_id`, never an external_id, unless the line also has an `external_id` (Slant's exports
do). doccano files name no annotator: every span belongs to the importing user.
Export: `id`, `text`, `label` and the other Document fields as top-level keys (doccano keeps them as metadata).
"""

from annotator.formats.base import (
    DOCUMENT_FIELDS,
    Buffer,
    ExternalIds,
    Spans,
    document,
    dumps,
    exported_document,
    json_lines,
    stream,
    type_name,
    with_metadata,
)

DOCCANO_KEYS = frozenset({"id", "label", "entities", "relations", "Comments", "comments"})


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
                    "start": item.get("start_offset"),
                    "end": item.get("end_offset"),
                    "label": item.get("label"),
                }
            else:
                problems.add(number, f"entity {index}: must be an object, not {type_name(item)}")


def _read(data, problems):
    """Yield the documents of a doccano JSON Lines file, adding every problem (with its line) to `problems`."""
    external_ids = ExternalIds(problems)
    for number, line in json_lines(data, problems):
        record, newline_map = document(_fields(line), line=number, problems=problems)
        spans = Spans(original=line.get("text"), record=record, newline_map=newline_map, line=number,
                      problems=problems)
        for where, raw in _raw_spans(line, number, problems):
            spans.add(raw, where)
        external_ids.check(record, number)
        if record is not None:
            yield record


records = stream(_read)


def read(data, *, filename=""):
    """Return the documents of a doccano JSON Lines file; raise FormatError listing every problem and its line."""
    return list(records(data, filename=filename))


def write(records, *, labels=()):
    """Yield doccano JSON Lines: one document a line with its spans as `label` triples, in ~64 KB chunks."""
    buffer = Buffer()
    for record in records:
        fields = exported_document(record)
        line = {
            "id": fields.pop("id"),
            "text": fields.pop("text"),
            "label": [[item["start"], item["end"], item["label"]] for item in record.get("spans", ())],
            **fields,
        }
        if buffer.add(dumps(line) + b"\n"):
            yield buffer.take()
    if buffer.parts:
        yield buffer.take()
