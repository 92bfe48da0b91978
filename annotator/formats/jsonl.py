"""JSON Lines: one document a line, its Document fields and optionally its spans, relations and answers.

Import: each line an object with `text` and any of the other Document fields (`metadata` an object,
`published_at` ISO 8601), and optionally `spans`: [{id?, start, end, label, annotator?, note?, text?,
review_status?, origin?}] in code points of the line's `text`, and `relations`: [{type, from, to, annotator?, note?,
review_status?}], the type by name, `from` and `to` the `id`s of spans of the same line, and `answers`:
[{question, value, annotator?, review_status?}], the question by name, the value as the API gives it (an option, a
list of options or an integer). A document's `id` is ignored (exports carry one); any other key is a problem.
Predictions (an import of suggestions, `prediction_records`): the same lines, each span's `score` (null or a number
in [0, 1]) and `source` (1–100 characters) kept, its annotator, note, review status and origin, and the line's
relations and answers, passed over.
Export: `id`, the Document fields, `spans` [{id, start, end, label, text, annotator, review_status, origin, note,
codebook_version}], `relations` [{type, from, to, annotator, review_status, note, codebook_version}] (ends by span id)
and `answers` [{question, value, annotator, review_status, codebook_version}], so that
`pandas.read_json(path, lines=True)` and `datasets.load_dataset("json", data_files=path)` load it as it is.
"""

from annotator.formats.base import (
    DOCUMENT_FIELDS,
    Answers,
    Buffer,
    ExternalIds,
    Predictions,
    Relations,
    Spans,
    document,
    dumps,
    exported_document,
    json_lines,
    stream,
    type_name,
)

ACCEPTED_KEYS = frozenset(DOCUMENT_FIELDS) | {"id", "spans", "relations", "answers"}


def _read(data, problems, *, predictions=False):
    """Yield the documents of a JSON Lines file, adding every problem (with its line) to `problems`; `predictions`:
    read its spans as predictions (Predictions) and pass over its relations and answers."""
    external_ids = ExternalIds(problems)
    for number, fields in json_lines(data, problems):
        unknown = fields.keys() - ACCEPTED_KEYS
        if unknown:
            names = ", ".join(sorted(unknown))
            problems.add(number, f"unknown field(s) {names}; put extra fields in metadata")
        record, newline_map = document(fields, line=number, problems=problems)
        raw_spans, raw_relations, spans = fields.get("spans"), fields.get("relations"), None
        if predictions:
            _read_predictions_of(raw_spans, fields, record, newline_map, number, problems)
            external_ids.check(record, number)
            if record is not None:
                record["relations"], record["answers"] = [], []
                yield record
            continue
        if raw_spans is not None and not isinstance(raw_spans, list):
            problems.add(number, f"spans must be a list, not {type_name(raw_spans)}")
        elif raw_spans or raw_relations:
            spans = Spans(original=fields.get("text"), record=record, newline_map=newline_map, line=number,
                          problems=problems)
            for index, raw in enumerate(raw_spans or (), 1):
                if isinstance(raw, dict):
                    spans.add(raw, f"span {index}")
                else:
                    problems.add(number, f"span {index}: must be an object, not {type_name(raw)}")
        if record is not None:
            record["relations"] = []
        if raw_relations is not None and not isinstance(raw_relations, list):
            problems.add(number, f"relations must be a list, not {type_name(raw_relations)}")
        elif raw_relations and spans is not None:
            relations = Relations(spans)
            for index, raw in enumerate(raw_relations, 1):
                if isinstance(raw, dict):
                    relations.add(raw, f"relation {index}")
                else:
                    problems.add(number, f"relation {index}: must be an object, not {type_name(raw)}")
        _read_answers(fields.get("answers"), record, number, problems)
        external_ids.check(record, number)
        if record is not None:
            yield record


def _read_predictions_of(raw_spans, fields, record, newline_map, number, problems):
    if raw_spans is not None and not isinstance(raw_spans, list):
        problems.add(number, f"spans must be a list, not {type_name(raw_spans)}")
        return
    spans = Predictions(original=fields.get("text"), record=record, newline_map=newline_map, line=number,
                        problems=problems)  # fmt: skip
    for index, raw in enumerate(raw_spans or (), 1):
        if isinstance(raw, dict):
            spans.add(raw, f"span {index}")
        else:
            problems.add(number, f"span {index}: must be an object, not {type_name(raw)}")


def _read_answers(raw_answers, record, number, problems):
    if record is not None:
        record["answers"] = []
    if raw_answers is not None and not isinstance(raw_answers, list):
        problems.add(number, f"answers must be a list, not {type_name(raw_answers)}")
    elif raw_answers:
        answers = Answers(record, line=number, problems=problems)
        for index, raw in enumerate(raw_answers, 1):
            if isinstance(raw, dict):
                answers.add(raw, f"answer {index}")
            else:
                problems.add(number, f"answer {index}: must be an object, not {type_name(raw)}")


records = stream(_read)


def _read_prediction_lines(data, problems):
    """Yield the documents of a JSON Lines file of predictions, adding every problem (with its line) to
    `problems`."""
    return _read(data, problems, predictions=True)


prediction_records = stream(_read_prediction_lines)


def read(data, *, filename=""):
    """Return the documents of a JSON Lines file; raise FormatError listing every problem and its line."""
    return list(records(data, filename=filename))


def exported(record):
    line = exported_document(record)
    text = line["text"]
    line["spans"] = [
        {
            "id": item.get("id"),
            "start": item["start"],
            "end": item["end"],
            "label": item["label"],
            "text": text[item["start"] : item["end"]],
            "annotator": item.get("annotator"),
            "review_status": item.get("review_status"),
            "origin": item.get("origin"),
            "note": item.get("note") or "",
            "codebook_version": item.get("codebook_version"),
        }
        for item in record.get("spans", ())
    ]
    line["relations"] = [
        {
            "type": item["type"],
            "from": item["from"],
            "to": item["to"],
            "annotator": item.get("annotator"),
            "review_status": item.get("review_status"),
            "note": item.get("note") or "",
            "codebook_version": item.get("codebook_version"),
        }
        for item in record.get("relations", ())
    ]
    line["answers"] = [
        {
            "question": item["question"],
            "value": item["value"],
            "annotator": item.get("annotator"),
            "review_status": item.get("review_status"),
            "codebook_version": item.get("codebook_version"),
        }
        for item in record.get("answers", ())
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
