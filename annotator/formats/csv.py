"""CSV: documents in, spans out.

Import: one document a row under a header naming Document fields (any order, any case; `text` required;
`metadata` a JSON object as text; `published_at` ISO 8601; an `id` column is ignored). The delimiter is a comma,
or a semicolon or tab when the header has more of those. Problems are numbered by row as a spreadsheet shows
them (the header is row 1, a cell holding line breaks is still one row). A header with unknown or repeated
column names stops the import before the rows are read.
Export: one span a row (SPAN_COLUMNS; `table="relations"`: one relation a row, RELATION_COLUMNS, each end by
its span id, label, offsets and text, so the table reads without the spans one; `table="answers"`: one answer a
row, ANSWER_COLUMNS, a multiple-choice answer's options joined with `|`, which no option holds), quoted as RFC
4180 says, UTF-8 with a byte-order mark so that spreadsheets take it for UTF-8; a document without spans
(relations, answers) has no row. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
gets a leading `'`, so that a spreadsheet shows it instead of running it as a formula (a note `=HYPERLINK(...)`
would otherwise be a link the owner clicks): CSV is for people, JSONL carries the exact text.
"""

import csv
import io
import sys

import orjson

from annotator.formats.base import DOCUMENT_FIELDS, ExternalIds, Problems, decode, document, finish
from annotator.rules import OPTION_SEPARATOR

SPAN_COLUMNS = (
    "document_id", "external_id", "title", "source", "annotator", "label", "start", "end", "text", "review_status",
    "note", "codebook_version",
)  # fmt: skip
RELATION_COLUMNS = (
    "document_id", "external_id", "title", "source", "annotator", "type",
    "from_id", "from_label", "from_start", "from_end", "from_text",
    "to_id", "to_label", "to_start", "to_end", "to_text", "review_status", "note", "codebook_version",
)  # fmt: skip
ANSWER_COLUMNS = (
    "document_id", "external_id", "title", "source", "annotator", "question", "value", "review_status",
    "codebook_version",
)  # fmt: skip
TABLES = ("spans", "relations", "answers")
BOM = "\ufeff"
# What starts a formula in Excel, LibreOffice and Google Sheets (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";", "\t")


def _delimiter(text):
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _header(row, problems):
    names = [name.strip().lower() for name in row]
    unknown = [name for name in names if name not in DOCUMENT_FIELDS and name != "id"]
    if unknown:
        allowed = ", ".join(DOCUMENT_FIELDS)
        problems.add(1, f"unknown column(s) {', '.join(map(repr, unknown))}; the columns can be {allowed}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.add(1, f"column(s) {', '.join(map(repr, repeated))} appear more than once")
    if "text" not in names:
        problems.add(1, "the header has no text column")
    return names


def read(data, *, filename=""):
    """Return one document per row of a CSV file; raise FormatError listing every problem and its row."""
    text = decode(data)
    problems = Problems(unit="row")
    # A long article is one field; the default limit (128 KiB) would refuse it.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    external_ids = ExternalIds(problems)
    records = []
    names = None
    number = 0
    try:
        for number, row in enumerate(rows, 1):
            if names is None:
                names = _header(row, problems)
                if problems:
                    break
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != len(names):
                problems.add(number, f"{len(row)} fields where the header has {len(names)}")
                continue
            fields = dict(zip(names, row, strict=True))
            fields.pop("id", None)
            metadata = fields.get("metadata")
            if metadata is not None:
                if metadata.strip():
                    try:
                        fields["metadata"] = orjson.loads(metadata)
                    except orjson.JSONDecodeError as error:
                        problems.add(number, f"metadata is not valid JSON ({error.msg} at column {error.colno})")
                        fields["metadata"] = None
                else:
                    fields["metadata"] = None
            record, _ = document(fields, line=number, problems=problems)
            external_ids.check(record, number)
            if record is not None:
                records.append(record)
    except csv.Error as error:
        problems.add(number + 1, f"not valid CSV ({error})")
    if names is None:
        problems.add(None, "The file is empty; it needs a header row naming the columns, text among them.")
    return finish(records, problems)


class _Rows:
    """A file for csv.writer that hands its text on as UTF-8 chunks of about 64 KB: an io.StringIO, whose write is
    C, where a Python write method called once a row took a tenth of a CSV export's time."""

    def __init__(self):
        self.buffer = io.StringIO()

    @property
    def length(self):
        return self.buffer.tell()

    def take(self):
        data = self.buffer.getvalue().encode()
        self.buffer.seek(0)
        self.buffer.truncate()
        return data


def cell(value):
    """`value` as a spreadsheet may show it: `'` before a text that would start a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _span_rows(record, text, document):
    rows = []
    for item in record.get("spans", ()):
        start, end, note = item["start"], item["end"], item.get("note") or ""
        snippet = text[start:end]
        rows.append((
            *document,
            cell(item.get("annotator") or ""),
            cell(item["label"]),
            start,
            end,
            f"'{snippet}" if snippet.startswith(FORMULA_STARTS) else snippet,
            item.get("review_status") or "",
            f"'{note}" if note.startswith(FORMULA_STARTS) else note,
            item.get("codebook_version") or "",
        ))  # fmt: skip
    return rows


def _relation_rows(record, text, document):
    relations = record.get("relations")
    if not relations:
        return ()
    spans = {item["id"]: item for item in record.get("spans", ())}

    def end(span_id):
        item = spans[span_id]
        return (span_id, cell(item["label"]), item["start"], item["end"], cell(text[item["start"]:item["end"]]))

    return (
        (
            *document,
            cell(item.get("annotator") or ""),
            cell(item["type"]),
            *end(item["from"]),
            *end(item["to"]),
            item.get("review_status") or "",
            cell(item.get("note") or ""),
            item.get("codebook_version") or "",
        )
        for item in relations
    )


def _answer_value(value):
    if isinstance(value, list):
        return cell(OPTION_SEPARATOR.join(value))
    return cell(value) if isinstance(value, str) else value


def _answer_rows(record, text, document):
    return (
        (
            *document,
            cell(item.get("annotator") or ""),
            cell(item["question"]),
            _answer_value(item["value"]),
            item.get("review_status") or "",
            item.get("codebook_version") or "",
        )
        for item in record.get("answers", ())
    )


TABLE_ROWS = {
    "spans": (SPAN_COLUMNS, _span_rows),
    "relations": (RELATION_COLUMNS, _relation_rows),
    "answers": (ANSWER_COLUMNS, _answer_rows),
}


def write(records, *, labels=(), table="spans"):
    """Yield the byte-order mark and one CSV row per span (SPAN_COLUMNS), per relation with `table="relations"`
    (RELATION_COLUMNS; a relation's ends are spans of its record, by id) or per answer with `table="answers"`
    (ANSWER_COLUMNS), the header first, in chunks of about 64 KB; text cells are guarded against formulas
    (`cell`)."""
    columns, rows = TABLE_ROWS[table]
    out = _Rows()
    out.buffer.write(BOM)
    writer = csv.writer(out.buffer)
    writer.writerow(columns)
    for record in records:
        document = (
            record.get("id"),
            cell(record.get("external_id") or ""),
            cell(record.get("title") or ""),
            cell(record.get("source") or ""),
        )
        writer.writerows(rows(record, record["text"], document))
        if out.length >= 64 * 1024:
            yield out.take()
    if out.length:
        yield out.take()
