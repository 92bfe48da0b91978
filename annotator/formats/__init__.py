"""File formats: pure codecs between bytes and plain records; no ORM, no Django models.

The import and export services, the management commands and the UI's pickers all go through this package.

Record: one document as a dict
    {"external_id": str, "title": str, "text": str, "source": str, "url": str, "author": str,
     "published_at": str | None,   # ISO 8601 (Python's isoformat); naive when the file gave no offset
     "language": str, "metadata": dict,
     "spans": [{"id": int | str | None,       # the file's name for the span, which relations use (base.py)
                "start": int, "end": int,      # code points of `text`, half-open: text[start:end]
                "label": str,                  # the label's name
                "annotator": str | None,       # a username; None: nobody named (import) / gold layer (export)
                "text": str, "note": str,
                "review_status": str | None}], # pending | accepted | rejected; None when a file says nothing
     "relations": [{"type": str, "from": id, "to": id, "annotator": str | None, "note": str,
                    "review_status": str | None}],   # codecs that carry relations only: base.py says how
     "answers": [{"question": str,                   # the question's name; codecs that carry answers only
                  "value": str | list[str] | int,    # as the API gives it, unless "form" says otherwise (base.py)
                  "annotator": str | None, "review_status": str | None}],
     "line": int | None}                       # read only: where the document starts in the file (a CSV's row)
An export record also has "id" (the document's id); its spans need start, end and label, and may carry id (the
database's), annotator, note and review_status (writers take the span's text from `text[start:end]`, never from the
record); its "relations" join spans of the record by those ids, and may carry their own "id" (the database's).

Reading: `read(format, data, filename=..., offsets=...)` decodes UTF-8 (a byte-order mark is dropped), normalises
line endings to "\\n" in every text and moves the offsets with them (a doccano file's UTF-16 offsets are converted
to code points first), and checks types, offsets (0 <= start < end <= len(text)), field lengths and repeated
external_ids. It returns every document, or raises FormatError whose `.problems` lists each Problem(line,
message) of the file; nothing is half read. `records(format, data, filename=...)` is the same as an iterator,
which yields each record as it is read where the codec streams and raises FormatError after the last. Label
names are not checked against a project: the service does that.
Writing: `write(format, records, labels=...)` yields bytes chunks (about 64 KB) as it consumes `records`, so an
export streams; `as_zip=True` wraps them in a zip with the dataset card `readme`. `labels` is the project's label
scheme, [{"name", "color", "description"}] (brat writes it into its configuration files), and `relation_types` its
relation types, [{"name", "color", "description"}] (doccano's shape depends on them, Label Studio's labeling
config names them), and `questions` its questions, [{"name", "kind", "options", "min", "max", "description"}]
(Label Studio's results and labeling config depend on them).

`offsets` picks the unit a format's file counts in where it has a choice (doccano: "utf16", the default, or
"codepoints"; `Format.offsets`); None is the format's default.

Formats and what each can do: registry.FORMATS (name → Format); IMPORT_FORMATS and EXPORT_FORMATS.
Each codec module has `read(data: bytes, *, filename: str) -> list[record]` (and, where it streams,
`records(data, *, filename) -> Iterator[record]`) and/or
`write(records: Iterable[record], *, labels) -> Iterator[bytes]`; its docstring says how it maps the format.
"""

from annotator.errors import InvalidInput
from annotator.formats.base import FormatError, Problem
from annotator.formats.offsets import CODE_POINTS, UTF16
from annotator.formats.registry import EXPORT_FORMATS, FORMATS, IMPORT_FORMATS, PREDICTION_FORMATS, Format
from annotator.formats.zipstream import zip_stream, zip_wrap

__all__ = [
    "CODE_POINTS",
    "EXPORT_FORMATS",
    "FORMATS",
    "IMPORT_FORMATS",
    "OFFSET_UNITS",
    "PREDICTION_FORMATS",
    "Format",
    "FormatError",
    "Problem",
    "UTF16",
    "UnknownFormat",
    "export_filename",
    "export_format",
    "import_format",
    "offset_options",
    "predictions",
    "read",
    "records",
    "write",
    "zip_stream",
    "zip_wrap",
]

# The units a file's offsets may count in (Format.offsets says which a format takes).
OFFSET_UNITS = (UTF16, CODE_POINTS)


class UnknownFormat(InvalidInput):
    """A `format` that is not one of the import (or export) formats."""

    def __init__(self, name, formats):
        names = ", ".join(fmt.name for fmt in formats)
        super().__init__({"format": [f"Unknown format {name!r}; choose one of {names}."]})


def offset_options(fmt, offsets):
    """The keyword arguments that make `fmt`'s codec count offsets in `offsets` (None: the format's default);
    InvalidInput naming `offsets` when the format does not count in that unit."""
    if offsets is None:
        return {}
    if offsets not in fmt.offsets:
        units = " or ".join(fmt.offsets)
        raise InvalidInput({"offsets": [f"{fmt.title} offsets count {units}, not {offsets!r}."]})
    return {"offsets": offsets} if len(fmt.offsets) > 1 else {}


def import_format(name):
    """The import Format called `name`; raise UnknownFormat otherwise."""
    fmt = FORMATS.get(name)
    if fmt is None or not fmt.reads:
        raise UnknownFormat(name, IMPORT_FORMATS)
    return fmt


def export_format(name):
    """The export Format called `name`; raise UnknownFormat otherwise."""
    fmt = FORMATS.get(name)
    if fmt is None or not fmt.writes:
        raise UnknownFormat(name, EXPORT_FORMATS)
    return fmt


def read(name, data, *, filename="", offsets=None):
    """Return the records in `data` (bytes) read as format `name`; raise UnknownFormat, InvalidInput (`offsets`)
    or FormatError."""
    fmt = import_format(name)
    return fmt.codec.read(data, filename=filename, **offset_options(fmt, offsets))


def records(name, data, *, filename="", offsets=None):
    """Iterate over the records in `data` read as format `name`, each as soon as it is read where the codec
    streams (JSON Lines, doccano); raise UnknownFormat at once, and FormatError (every problem of the file) after
    the last record: the records yielded before it are then void. An import that stores records as they come
    must do so in a transaction it rolls back on that error."""
    fmt = import_format(name)
    options = offset_options(fmt, offsets)
    stream = getattr(fmt.codec, "records", None)
    if stream is None:
        return iter(fmt.codec.read(data, filename=filename, **options))
    return stream(data, filename=filename, **options)


def predictions(name, data, *, filename="", offsets=None):
    """Iterate over the records in `data` read as format `name` with their spans as predictions (each with `score`
    and `source`, base.Predictions), as `records` does; raise UnknownFormat, or InvalidInput naming `format` for a
    format that holds no predictions."""
    fmt = import_format(name)
    if not fmt.reads_predictions:
        names = ", ".join(each.name for each in PREDICTION_FORMATS)
        raise InvalidInput({"format": [f"{fmt.title} files hold no predictions; suggestions import from {names}."]})
    options = offset_options(fmt, offsets)
    stream = getattr(fmt.codec, "prediction_records", None)
    if stream is None:
        return iter(fmt.codec.read_predictions(data, filename=filename, **options))
    return stream(data, filename=filename, **options)


def export_filename(name, *, as_zip=False, basename="dataset"):
    """The file name an export of format `name` is offered under ("dataset.jsonl", "dataset-brat.zip")."""
    fmt = export_format(name)
    filename = f"{basename}{fmt.extension}" if fmt.extension == f".{name}" else f"{basename}-{name}{fmt.extension}"
    return f"{filename}.zip" if as_zip and not fmt.zipped else filename


def write(name, records, *, labels=(), relation_types=(), questions=(), as_zip=False, readme=None, basename="dataset",
          offsets=None, **options):  # fmt: skip
    """Yield the export of `records` in format `name` as bytes chunks; raise UnknownFormat (or InvalidInput for an
    `offsets` the format does not count in) first.

    `as_zip`: a zip holding README.md (`readme`, the dataset card), the export as `export_filename(name)` and the
    files the tool needs beside it, where the codec names some (`companions(labels, relation_types, questions)`:
    Label Studio's labeling config); a format that is a zip already (brat) gets the README.md added instead.
    `options` go to the codec's write (brat's `annotators`), and so do `relation_types` where
    `fmt.writes_relation_types` and `questions` where `fmt.writes_questions`.
    """
    fmt = export_format(name)
    options = {**options, **offset_options(fmt, offsets)}
    if fmt.writes_relation_types:
        options["relation_types"] = relation_types
    if fmt.writes_questions:
        options["questions"] = questions
    if fmt.zipped:
        return fmt.codec.write(records, labels=labels, readme=readme if as_zip else None, **options)
    chunks = fmt.codec.write(records, labels=labels, **options)
    if as_zip:
        companions = getattr(fmt.codec, "companions", None)
        return zip_wrap(
            chunks,
            filename=export_filename(name, basename=basename),
            readme=readme or "",
            companions=companions(labels, relation_types, questions) if companions else (),
        )
    return chunks
