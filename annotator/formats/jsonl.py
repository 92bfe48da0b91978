"""JSON Lines: one document a line, its Document fields and optionally its spans.

Import: each line an object with `text` and any of the other Document fields (`metadata` an object,
`published_at` ISO 8601), and optionally `spans`: [{start, end, label, annotator?, note?, text?, review_status?}]
in code points of the line's `text`. An `id` is ignored (exports carry one); any other key is a problem.
Export: `id`, the Document fields and `spans` [{start, end, label, text, annotator, review_status, note}], so that
`pandas.read_json(path, lines=True)` and `datasets.load_dataset("json", data_files=path)` load it as it is.
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
)

ACCEPTED_KEYS = frozenset(DOCUMENT_FIELDS) | {"id", "spans"}


def _read(data, problems):
    """Yield the documents of a JSON Lines file, adding every problem (with its line) to `problems`."""
    external_ids = ExternalIds(problems)
    for number, fields in json_lines(data, problems):
        unknown = fields.keys() - ACCEPTED_KEYS
        if unknown:
            names = ", ".join(sorted(unknown))
            problems.add(number, f"unknown field(s) {names}; put extra fields in metadata")
        record, newline_map = document(fields, line=number, problems=problems)
        raw_spans = fields.get("spans")
        if raw_spans is not None and not isinstance(raw_spans, list):
            problems.add(number, f"spans must be a list, not {type_name(raw_spans)}")
        elif raw_spans:
            spans = Spans(original=fields.get("text"), record=record, newline_map=newline_map, line=number,
                          problems=problems)
            for index, raw in enumerate(raw_spans, 1):
                if isinstance(raw, dict):
                    spans.add(raw, f"span {index}")
                else:
                    problems.add(number, f"span {index}: must be an object, not {type_name(raw)}")
        external_ids.check(record, number)
        if record is not None:
            yield record


records = stream(_read)


def read(data, *, filename=""):
    """Return the documents of a JSON Lines file; raise FormatError listing every problem and its line."""
    return list(records(data, filename=filename))


def exported(record):
    line = exported_document(record)
    text = line["text"]
    line["spans"] = [
        {
            "start": item["start"],
            "end": item["end"],
            "label": item["label"],
            "text": text[item["start"] : item["end"]],
            "annotator": item.get("annotator"),
            "review_status": item.get("review_status"),
            "note": item.get("note") or "",
        }
        for item in record.get("spans", ())
    ]
    return line


def write(records, *, labels=()):
    """Yield the records as JSON Lines (UTF-8, one document a line), in chunks of about 64 KB."""
    buffer = Buffer()
    for record in records:
        if buffer.add(dumps(exported(record)) + b"\n"):
            yield buffer.take()
    if buffer.parts:
        yield buffer.take()
