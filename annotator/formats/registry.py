"""Every file format Slant imports or exports, with what the API, the commands and the UI pickers need to know."""

from dataclasses import dataclass
from importlib import import_module

from annotator.formats.offsets import CODE_POINTS, UTF16


@dataclass(frozen=True)
class Format:
    name: str  # the `format` parameter's value
    title: str  # what a picker shows
    description: str  # one sentence for a picker's help text and the README
    extension: str  # of an export file, or the file an import expects
    content_type: str
    reads: bool = False  # an import format
    writes: bool = False  # an export format
    reads_spans: bool = False
    # An import of suggestions (layer=suggestions) reads its spans as predictions, with a score and a source.
    reads_predictions: bool = False
    reads_zip: bool = False  # an import also takes a zip of files of `extension`
    writes_spans: bool = False
    one_layer: bool = False  # export needs one annotator's spans or the gold layer (else 400)
    zipped: bool = False  # the export is a zip already: `zip=true` adds the README to it
    # Its writer takes the project's relation types (`relation_types=`): its file's shape or configuration says them.
    writes_relation_types: bool = False
    # Its writer takes the project's questions (`questions=`): its file's shape or configuration says them.
    writes_questions: bool = False
    # The units its offsets may count in, the default first; a codec with a choice takes `offsets=`.
    offsets: tuple[str, ...] = (CODE_POINTS,)

    @property
    def codec(self):
        return import_module(f"annotator.formats.{self.name}")


JSON_LINES = "application/x-ndjson"
TEXT = "text/plain; charset=utf-8"

FORMATS = {
    fmt.name: fmt
    for fmt in (
        Format(
            "txt",
            "Plain text",
            "One document per file, or per .txt file of a zip; titled after its first line when that looks like a"
            " headline, else after the file name.",
            ".txt",
            TEXT,
            reads=True,
            reads_zip=True,
        ),
        Format(
            "jsonl",
            "JSON Lines",
            "One document a line: its fields, spans (label by name, code-point offsets), relations (type by name,"
            " ends by span id) and answers (question by name). As suggestions: spans with a score and a source.",
            ".jsonl",
            JSON_LINES,
            reads=True,
            writes=True,
            reads_spans=True,
            reads_predictions=True,
            writes_spans=True,
        ),
        Format(
            "csv",
            "CSV",
            "Import: one document a row, the header naming its fields. Export: one span a row (table=relations: one"
            " relation a row; table=answers: one answer a row), for spreadsheets.",
            ".csv",
            "text/csv; charset=utf-8",
            reads=True,
            writes=True,
            writes_spans=True,
        ),
        Format(
            "html",
            "HTML page",
            "A saved article page: its main text, title, author and date are extracted.",
            ".html",
            "text/html; charset=utf-8",
            reads=True,
        ),
        Format(
            "doccano",
            "doccano",
            "doccano's sequence-labeling JSON Lines ({\"text\", \"label\": [[start, end, label], …]}), or its"
            " relation-extraction JSON Lines (entities and relations) for a project with relation types; offsets in"
            " UTF-16 code units as doccano's annotation UI counts them (offsets=codepoints: as written through its"
            " API).",
            ".jsonl",
            JSON_LINES,
            reads=True,
            writes=True,
            reads_spans=True,
            writes_spans=True,
            writes_relation_types=True,
            offsets=(UTF16, CODE_POINTS),
        ),
        Format(
            "labelstudio",
            "Label Studio",
            "Label Studio's JSON tasks of a text-labeling project: labels and relation results (offsets in code"
            " points, as Label Studio stores them), choices and rating results for the questions; zip=true adds its"
            " labeling config. As suggestions: each task's predictions, with score and model_version.",
            ".json",
            "application/json",
            reads=True,
            writes=True,
            reads_spans=True,
            reads_predictions=True,
            writes_spans=True,
            writes_questions=True,
        ),
        Format(
            "conll",
            "CoNLL (BIO)",
            "One token a line with its BIO tag, each document after a -DOCSTART- line with its id; one layer.",
            ".conll",
            TEXT,
            writes=True,
            writes_spans=True,
            one_layer=True,
        ),
        Format(
            "brat",
            "brat standoff",
            "A zip of .txt and .ann standoff files per document (a folder per annotator): T lines are spans, R lines"
            " relations, AnnotatorNotes their notes; export adds annotation.conf and visual.conf.",
            ".zip",
            "application/zip",
            reads=True,
            writes=True,
            reads_spans=True,
            writes_relation_types=True,
            writes_spans=True,
            zipped=True,
        ),
    )
}
IMPORT_FORMATS = tuple(fmt for fmt in FORMATS.values() if fmt.reads)
PREDICTION_FORMATS = tuple(fmt for fmt in FORMATS.values() if fmt.reads_predictions)
EXPORT_FORMATS = tuple(fmt for fmt in FORMATS.values() if fmt.writes)
