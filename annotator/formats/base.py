"""What every codec shares: problems and FormatError, decoding bytes, and checking documents and spans.

A codec turns a file's fields into a record with `document(...)`, adds its spans through `Spans(...).add`, its
relations through `Relations(spans, ...).add` and its answers through `Answers(record, ...).add`; each adds a
Problem for each thing wrong and goes on, so one pass over a file reports every problem it has.

How a record carries relations (every codec that reads or writes them: JSON Lines, doccano's relation-extraction
`relations`, Label Studio's `relation` results; brat's `R` lines are to follow the same way): each span may
have an "id", the file's own name for it (an int or a non-empty string, unique in its document: brat's `T3`,
doccano's entity id, Label Studio's result id; None when the file gives none), and the record of a codec that
reads relations has (`Relations` adds it; absent: none)
    "relations": [{"type": str,               # the relation type's name
                   "from": id, "to": id,      # ids of spans of the same record
                   "annotator": str | None, "note": str, "review_status": str | None}]
A reading codec checks the ids (`Spans` and `Relations` do) and keeps a relation only when both its ends are kept
spans; the import service checks the rest against the project (the type, the labels it allows at its ends, one
annotator for both ends). On export the span ids are the database's and "relations" holds the layer's relations
between the record's spans.

How a record carries answers (JSON Lines' `answers`, Label Studio's `choices` and `rating` results): a codec that
reads them gives the record (`Answers` adds it)
    "answers": [{"question": str,             # the question's name
                 "value": str | list[str] | int,
                 "annotator": str | None, "review_status": str | None,
                 "form": str}]                # only where the file's value is not the API's: CHOICES or RATING
The import resolves the question by name and turns a value in another form into the API's (`answer_value_from`),
then checks it with the answer rules; on export "answers" holds the layer's answers, values as the API gives them.
"""

import json
import re
import unicodedata
from datetime import datetime
from typing import NamedTuple

import orjson

from annotator.errors import InvalidInput
from annotator.formats.offsets import NewlineMap
from annotator.rules import metadata_problems, span_problems, url_problems
from annotator.text import normalize_newlines

# The Document fields a file may carry, in the order exports write them.
DOCUMENT_FIELDS = ("external_id", "title", "text", "source", "url", "author", "published_at", "language", "metadata")
STRING_FIELDS = ("external_id", "title", "source", "url", "author", "language")
# Mirrors Document's max_length (tests/unit/test_formats_base.py checks they agree).
MAX_LENGTHS = {"external_id": 255, "title": 500, "source": 200, "url": 2000, "author": 300, "language": 35}
REVIEW_STATUSES = ("pending", "accepted", "rejected")

# PostgreSQL stores neither NUL nor an unpaired surrogate; only a JSON escape ("\ud83d") can make the latter,
# and orjson refuses those, so only codecs that parse with the json module ask for the (slower) surrogate check.
SURROGATE = re.compile("[\ud800-\udfff]")


class Problem(NamedTuple):
    """One thing wrong with a file: `line` (1-based; a CSV's row number; None for the file as a whole)."""

    line: int | None
    message: str
    unit: str = "line"

    def __str__(self):
        return self.message if self.line is None else f"{self.unit} {self.line}: {self.message}"


# An answer lists this many problems at most: a large file wrong on every line would otherwise answer megabytes.
LISTED_PROBLEMS = 1000


class FormatError(InvalidInput):
    """A file that cannot be imported; `problems` lists every Problem found, in file order. The API answers
    400 with {"detail", "problems": [{"line", "message"}]} ("line" is a CSV's row number; null: the whole file)."""

    def __init__(self, problems):
        self.problems = list(problems)
        count = len(self.problems)
        listed = "" if count <= LISTED_PROBLEMS else f" The first {LISTED_PROBLEMS} are listed."
        super().__init__(
            {
                "detail": f"The file has {count} problem{'s' * (count != 1)}; nothing was imported.{listed}",
                "problems": [
                    {"line": problem.line, "message": problem.message} for problem in self.problems[:LISTED_PROBLEMS]
                ],
            }
        )

    def __str__(self):
        return "; ".join(str(problem) for problem in self.problems)


class Problems(list):
    """Collects Problems while a codec reads on; `check()` raises them all at the end."""

    def __init__(self, unit="line"):
        super().__init__()
        self.unit = unit

    def add(self, line, message):
        self.append(Problem(line, message, self.unit))

    def check(self):
        if self:
            raise FormatError(self)


def _without_bom(data):
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FormatError([Problem(None, "The file is UTF-16; save it as UTF-8 and import it again.")])
    return data[3:] if data[:3] == b"\xef\xbb\xbf" else data


def _not_utf8(data, error, line=None):
    """The Problem of `data` that failed to decode with `error`; `line`, when given, is the line `data` is."""
    if line is None:
        line = data.count(b"\n", 0, error.start) + 1
    column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
    byte = data[error.start]
    return Problem(line, f"byte 0x{byte:02x} at column {column} is not UTF-8; save the file as UTF-8 and import again")


def decode(data):
    """Return `data` as text: UTF-8, a leading byte-order mark dropped; anything else is a FormatError."""
    data = _without_bom(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError([_not_utf8(data, error)]) from None


def empty_document():
    return {
        "external_id": "",
        "title": "",
        "text": "",
        "source": "",
        "url": "",
        "author": "",
        "published_at": None,
        "language": "",
        "metadata": {},
        "spans": [],
        "line": None,
    }


def parse_published_at(value):
    """Return `value` (ISO 8601) in Python's isoformat, None for empty; ValueError when it is no date."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("published_at must be an ISO 8601 date or date-time string")
    try:
        return datetime.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"published_at {value!r} is not an ISO 8601 date or date-time") from None


def storable(value, surrogates=False):
    """False when PostgreSQL could not store the string `value` (NUL; with `surrogates`, an unpaired one)."""
    if "\x00" in value:
        return False
    return not surrogates or value.isascii() or SURROGATE.search(value) is None


def document(fields, *, line, problems, where="", surrogates=False):
    """Check the Document `fields` (a mapping, text not yet normalised) and return a record without spans.

    Returns (record, newline_map): the record's text has its line endings normalised; `newline_map` maps offsets
    in the original text to the normalised one (None when nothing moved). Returns (None, None) when the text is
    unusable. `surrogates`: also look for unpaired surrogates (for values parsed by the json module).
    """
    record = empty_document()
    record["line"] = line
    prefix = f"{where}: " if where else ""
    text = fields.get("text")
    if text is None or text == "":
        problems.add(line, f"{prefix}text is missing or empty")
        text = None
    elif not isinstance(text, str):
        problems.add(line, f"{prefix}text must be a string, not {type_name(text)}")
        text = None
    elif text.isspace():
        problems.add(line, f"{prefix}text has nothing but white space")
        text = None
    elif not storable(text, surrogates):
        problems.add(line, f"{prefix}text contains a NUL character or an unpaired UTF-16 surrogate")
        text = None
    for name in STRING_FIELDS:
        value = fields.get(name)
        if value is None:
            continue
        if name == "external_id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            problems.add(line, f"{prefix}{name} must be a string, not {type_name(value)}")
        elif len(value) > MAX_LENGTHS[name]:
            problems.add(line, f"{prefix}{name} is longer than {MAX_LENGTHS[name]} characters")
        elif not storable(value, surrogates):
            problems.add(line, f"{prefix}{name} contains a NUL character or an unpaired UTF-16 surrogate")
        elif name == "url" and (wrong := url_problems(value)):
            problems.add(line, f"{prefix}{wrong[0][1]}")
        else:
            record[name] = value.strip() if name == "external_id" else value
    try:
        record["published_at"] = parse_published_at(fields.get("published_at"))
    except ValueError as error:
        problems.add(line, f"{prefix}{error}")
    metadata = fields.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            problems.add(line, f"{prefix}metadata must be a JSON object, not {type_name(metadata)}")
        elif wrong := metadata_problems(metadata):
            problems.add(line, f"{prefix}{wrong[0][1]}")
        else:
            record["metadata"] = metadata
    if text is None:
        return None, None
    if "\r" in text:
        record["text"] = normalize_newlines(text)
        return record, NewlineMap(text)
    record["text"] = text
    return record, None


ORIGIN_MAX = 100  # Span.origin's length: a suggestion's source


def _origin_sound(origin, surrogates):
    """Whether `origin` is a span's origin as the database keeps it: a source of 1 to ORIGIN_MAX characters."""
    return type(origin) is str and 0 < len(origin) <= ORIGIN_MAX and storable(origin, surrogates)


class Spans:
    """Checks the spans of one document and appends the sound ones to `record["spans"]`.

    Offsets are code points of `original`, the document's text as the file has it (before its line endings were
    normalised; `newline_map` moves them). `record` None (the text was unusable) still reports the spans' own
    problems. A span is a mapping with start, end, label and optionally annotator, note, text, review_status and
    origin (the source of the suggestion it was accepted from).
    """

    def __init__(self, *, original, record, newline_map, line, problems, surrogates=False):
        self.original = original if record is not None else None
        self.record = record
        self.newline_map = newline_map
        self.line = line
        self.problems = problems
        self.surrogates = surrogates
        self.named = set()  # the span ids of the document, the spans' that were refused too
        self.kept = set()  # the ids of the spans kept

    def _name(self, ident, where):
        """Note the span id `ident`; False (with a Problem) when it is no id or repeats one."""
        if type(ident) is not int and not (type(ident) is str and ident.strip() and storable(ident, self.surrogates)):
            self.problems.add(self.line, f"{where}: id must be a number or a non-empty string, not {ident!r}")
            return False
        if ident in self.named:
            self.problems.add(self.line, f"{where}: id {ident!r} is the id of an earlier span of this document")
            return False
        self.named.add(ident)
        return True

    def refuse(self, ident, where):
        """Note the id of a span the codec refused before `add` (offsets it could not convert), so that a relation
        to it is left out without another word, as one to a span `add` refused."""
        if ident is not None:
            self._name(ident, where)

    def add(self, raw, where):
        """Check the span `raw`, called `where` in messages ("span 3"); keep it when sound."""
        get = raw.get
        start, end, label, annotator = get("start"), get("end"), get("label"), get("annotator")
        note, review_status, given_text, ident = get("note"), get("review_status"), get("text"), get("id")
        origin = get("origin")
        original = self.original
        named = ident is None or self._name(ident, where)
        # The common case in one test; anything unusual takes the slow path, which says what is wrong.
        if not (
            named
            and type(start) is int
            and type(end) is int
            and original is not None
            and type(label) is str
            and (annotator is None or type(annotator) is str)
            and (note is None or (type(note) is str and storable(note, self.surrogates)))
            and (review_status is None or review_status in REVIEW_STATUSES)
            and (origin is None or _origin_sound(origin, self.surrogates))
            and label.strip()
            and not span_problems(original, start, end, given_text)
        ):
            self._check(raw, where, named)
            return
        self._keep(ident, start, end, label, annotator, note or "", review_status, where, origin)

    def _keep(self, ident, start, end, label, annotator, note, review_status, where, origin=None):
        if self.newline_map is not None:
            start, end = self.newline_map(start), self.newline_map(end)
            if start >= end:
                self.problems.add(self.line, f"{where}: covers nothing but the carriage return of a line break")
                return
        if annotator is not None:
            annotator = annotator.strip() or None
        record = self.record
        if ident is not None:
            self.kept.add(ident)
        record["spans"].append(
            {
                "id": ident,
                "start": start,
                "end": end,
                "label": label.strip(),
                "annotator": annotator,
                "text": record["text"][start:end],
                "note": normalize_newlines(note) if note else "",
                "review_status": review_status,
                # Only when the file says: a span accepted from a suggestion keeps its source (SPEC's Export).
                **({"origin": origin} if origin is not None else {}),
            }
        )

    def _check(self, raw, where, named):
        line, problems, original = self.line, self.problems, self.original
        start, end = raw.get("start"), raw.get("end")
        sound = named
        for name, value in (("start", start), ("end", end)):
            if value is None:
                problems.add(line, f"{where}: {name} is missing")
                sound = False
            elif type(value) is not int:
                problems.add(line, f"{where}: {name} must be an integer, not {value!r}")
                sound = False
        if sound and original is not None:
            for _, message in span_problems(original, start, end, raw.get("text")):
                problems.add(line, f"{where}: {message}")
                sound = False
        label = raw.get("label")
        if not isinstance(label, str) or not label.strip():
            problems.add(line, f"{where}: label must be a label name, not {label!r}")
            sound = False
        annotator = raw.get("annotator")
        if annotator is not None and not isinstance(annotator, str):
            problems.add(line, f"{where}: annotator must be a username, not {annotator!r}")
            sound = False
        note = raw.get("note")
        if note is None:
            note = ""
        elif not isinstance(note, str) or not storable(note, self.surrogates):
            problems.add(line, f"{where}: note must be a string without NUL characters")
            sound = False
        review_status = raw.get("review_status")
        if review_status is not None and review_status not in REVIEW_STATUSES:
            allowed = ", ".join(REVIEW_STATUSES)
            problems.add(line, f"{where}: review_status must be one of {allowed}, not {review_status!r}")
            sound = False
        origin = raw.get("origin")
        if origin is not None and not _origin_sound(origin, self.surrogates):
            problems.add(line, f"{where}: origin must be null or a string of 1 to {ORIGIN_MAX} characters")
            sound = False
        if sound and original is not None:
            self._keep(raw.get("id"), start, end, label, annotator, note, review_status, where, origin)


def _prediction_problems(raw, surrogates):
    """What is wrong with a prediction's `score` (null or a number from 0 to 1) and `source` (absent, null or 1 to
    ORIGIN_MAX characters: who or what predicted it)."""
    score, source = raw.get("score"), raw.get("source")
    problems = []
    if score is not None and (type(score) not in (int, float) or not 0 <= score <= 1):
        problems.append(f"score must be null or a number from 0 to 1, not {score!r}")
    if source is not None and not _origin_sound(source, surrogates):
        problems.append(f"source must be null or a string of 1 to {ORIGIN_MAX} characters")
    return problems


class Predictions(Spans):
    """Spans that a model predicted (an import of suggestions): each may also carry `score` (null or a number in
    [0, 1]) and `source` (1 to ORIGIN_MAX characters; None: the file says nothing, the import gives its default),
    which the kept span keeps. A span's annotator, note, review status and origin mean nothing for a prediction and
    are dropped."""

    def add(self, raw, where):
        wrong = _prediction_problems(raw, self.surrogates)
        for message in wrong:
            self.problems.add(self.line, f"{where}: {message}")
        spans = self.record["spans"] if self.record is not None else None
        kept = len(spans) if spans is not None else 0
        super().add({key: raw.get(key) for key in ("id", "start", "end", "label", "text")}, where)
        if spans is None or len(spans) == kept:
            return
        if wrong:
            spans.pop()  # reported above; a sound span only may reach the import
            return
        score = raw.get("score")
        spans[-1]["score"] = None if score is None else float(score)
        spans[-1]["source"] = raw.get("source")


class Relations:
    """Checks the relations of one document, whose spans `spans` (a Spans) has read, and appends the sound ones
    to its record's "relations". A relation is a mapping with type (a name), from and to (span ids), and optionally
    annotator, note and review_status; one whose end is a span refused for its own problems is left out without
    another word. Whether the project has the type, and whether the type allows the ends, the import checks.
    `ends`: what the file calls from and to, for messages (doccano's `from_id` and `to_id`)."""

    def __init__(self, spans, *, ends=("from", "to")):
        self.spans = spans
        self.ends = ends
        record = spans.record
        if record is not None:
            record.setdefault("relations", [])

    def add(self, raw, where):
        """Check the relation `raw`, called `where` in messages ("relation 2"); keep it when sound."""
        spans = self.spans
        line, problems = spans.line, spans.problems
        get = raw.get
        sound = True
        kind = get("type")
        if type(kind) is not str or not kind.strip():
            problems.add(line, f"{where}: type must be a relation type's name, not {kind!r}")
            sound = False
        ends = []
        for name, called in zip(("from", "to"), self.ends, strict=True):
            ident = get(name)
            if ident is None:
                problems.add(line, f"{where}: {called} is missing; it names a span by its id")
                sound = False
            elif (type(ident) is not int and type(ident) is not str) or ident not in spans.named:
                problems.add(line, f"{where}: {called} {ident!r} is not the id of a span of this document")
                sound = False
            ends.append(ident)
        annotator = get("annotator")
        if annotator is not None and type(annotator) is not str:
            problems.add(line, f"{where}: annotator must be a username, not {annotator!r}")
            sound = False
        note = get("note")
        if note is not None and (type(note) is not str or not storable(note, spans.surrogates)):
            problems.add(line, f"{where}: note must be a string without NUL characters")
            sound = False
        review_status = get("review_status")
        if review_status is not None and review_status not in REVIEW_STATUSES:
            allowed = ", ".join(REVIEW_STATUSES)
            problems.add(line, f"{where}: review_status must be one of {allowed}, not {review_status!r}")
            sound = False
        if not sound or spans.record is None or not all(ident in spans.kept for ident in ends):
            return
        spans.record["relations"].append(
            {
                "type": kind.strip(),
                "from": ends[0],
                "to": ends[1],
                "annotator": (annotator.strip() or None) if annotator is not None else None,
                "note": normalize_newlines(note) if note else "",
                "review_status": review_status,
            }
        )


# How a file gives an answer's value (an answer record's "form"): as the API does (None), as a list of options that
# holds a single question's one option too (Label Studio's `choices`), or as a scale's step counted from 1 (Label
# Studio's `rating`, whose stars run from 1 to maxRating). Which the value becomes, the question's kind decides: the
# import calls `answer_value_from`.
CHOICES, RATING = "choices", "rating"


class Answers:
    """Checks the answers of one document (`record`, None when the document itself is unusable) and appends the
    sound ones to its "answers". An answer is a mapping with question (a name) and value (an option, a list of
    options or an integer), and optionally annotator and review_status; whether the project has the question and
    the value fits it, the import checks."""

    def __init__(self, record, *, line, problems):
        self.record = record
        self.line = line
        self.problems = problems
        if record is not None:
            record.setdefault("answers", [])

    def add(self, raw, where, *, form=None):
        """Check the answer `raw`, called `where` in messages ("answer 2"), whose value the file gives in `form`
        (CHOICES, RATING; None: as the API does); keep it when sound."""
        line, problems, get = self.line, self.problems, raw.get
        sound = True
        question = get("question")
        if type(question) is not str or not question.strip():
            problems.add(line, f"{where}: question must be a question's name, not {question!r}")
            sound = False
        value = get("value")
        if not _answer_shaped(value):
            problems.add(line, f"{where}: value must be an option, a list of options or an integer, not "
                               f"{type_name(value)}")  # fmt: skip
            sound = False
        annotator = get("annotator")
        if annotator is not None and type(annotator) is not str:
            problems.add(line, f"{where}: annotator must be a username, not {annotator!r}")
            sound = False
        review_status = get("review_status")
        if review_status is not None and review_status not in REVIEW_STATUSES:
            allowed = ", ".join(REVIEW_STATUSES)
            problems.add(line, f"{where}: review_status must be one of {allowed}, not {review_status!r}")
            sound = False
        if not sound or self.record is None:
            return
        answer = {
            "question": question.strip(),
            "value": value,
            "annotator": (annotator.strip() or None) if annotator is not None else None,
            "review_status": review_status,
        }
        if form is not None:
            answer["form"] = form
        self.record["answers"].append(answer)


def _answer_shaped(value):
    if type(value) is str or type(value) is int:
        return True
    return type(value) is list and all(type(option) is str for option in value)


def answer_value_from(form, value, *, kind, minimum):
    """The value, as the API gives it, of an answer a file gives in `form` to a question of `kind` whose scale
    starts at `minimum`: a one-option list to a single question is its option, a rating r is the scale's r-th step
    (minimum + r - 1); anything else is left as it is, for the answer rules to judge."""
    if form == CHOICES and kind == "single" and type(value) is list and len(value) == 1:
        return value[0]
    if form == RATING and kind == "scale" and type(value) is int:
        return minimum + value - 1
    return value


def rating_of(value, *, minimum):
    """The Label Studio rating (1 for the scale's first step) of the scale value `value`."""
    return value - minimum + 1


def finish(records, problems):
    """Return `records`; raise FormatError when there were problems or no document at all."""
    if not records and not problems:
        problems.add(None, "The file holds no documents.")
    problems.check()
    return records


def stream(read_records):
    """Make `read_records(data, problems)`, a generator of records that adds the file's problems to `problems`
    as it reads, into a codec's `records(data, *, filename)`: it yields each record as soon as it is read, then
    raises FormatError when the file had problems (or no document). A consumer must treat that error as making
    every record yielded before it void."""

    def records(data, *, filename=""):
        problems = Problems()
        count = 0
        for record in read_records(data, problems):
            count += 1
            yield record
        finish(count, problems)

    records.__doc__ = read_records.__doc__
    return records


class ExternalIds:
    """Reports an external_id that a file repeats."""

    def __init__(self, problems):
        self.problems = problems
        self.seen = {}

    def check(self, record, line):
        if record is None or not record["external_id"]:
            return
        first = self.seen.setdefault(record["external_id"], line)
        if first != line:
            unit = self.problems.unit
            self.problems.add(line, f"external_id {record['external_id']!r} repeats the one on {unit} {first}")


def type_name(value):
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def file_type_name(name, fallback="label"):
    """`name` (a label's) as brat stores a type (`^[a-zA-Z0-9_-]*$`, its configuration's rule) and CoNLL tags
    need it: accents dropped (é → e), each run of other characters (white space, `|`, `,`, other scripts) one
    `_`, none at either end; `fallback` when nothing is left (a name in another script)."""
    folded = "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char))
    return "_".join(re.sub(r"[^A-Za-z0-9_-]+", " ", folded).split()) or fallback


class UniqueNames:
    """Gives each name one file-safe form (`clean(name)`), unique among those given: on a collision the later name
    gets `_2`, `_3` … Names whose clean form is themselves keep it whatever the order; the others follow in the
    order given; a name first met by `of` is added then. `ignore_case`: forms differing only in case collide
    (folder names on Windows and macOS)."""

    def __init__(self, names=(), *, clean=file_type_name, ignore_case=False):
        self.clean = clean
        self.ignore_case = ignore_case
        self.forms = {}
        self.taken = set()
        names = list(dict.fromkeys(names))
        for name in names:
            if clean(name) == name and self._key(name) not in self.taken:
                self._give(name, name)
        for name in names:
            self.of(name)
        self.forms = {name: self.forms[name] for name in names}

    def _key(self, form):
        return form.casefold() if self.ignore_case else form

    def _give(self, name, form):
        self.forms[name] = form
        self.taken.add(self._key(form))

    def of(self, name):
        """The form of `name`, given now if it has none yet."""
        form = self.forms.get(name)
        if form is None:
            base = form = self.clean(name)
            number = 2
            while self._key(form) in self.taken:
                form = f"{base}_{number}"
                number += 1
            self._give(name, form)
        return form

    def renamed(self):
        """[(name, form)] of the names whose form differs from them, in the order they were given."""
        return [(name, form) for name, form in self.forms.items() if form != name]


def published_at_text(value):
    """published_at as an export writes it: ISO 8601 text or None (a datetime is formatted)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def exported_document(record):
    """The document part of an export record: its id, then the Document fields in DOCUMENT_FIELDS order."""
    return {
        "id": record.get("id"),
        "external_id": record.get("external_id") or "",
        "title": record.get("title") or "",
        "text": record["text"],
        "source": record.get("source") or "",
        "url": record.get("url") or "",
        "author": record.get("author") or "",
        "published_at": published_at_text(record.get("published_at")),
        "language": record.get("language") or "",
        "metadata": record.get("metadata") or {},
    }


class Buffer:
    """Collects a writer's bytes and says when it has a chunk worth yielding (about 64 KB)."""

    def __init__(self, size=64 * 1024):
        self.parts = []
        self.length = 0
        self.size = size

    def add(self, data):
        self.parts.append(data)
        self.length += len(data)
        return self.length >= self.size

    def take(self):
        data = b"".join(self.parts)
        self.parts.clear()
        self.length = 0
        return data


def json_lines(data, problems):
    """Yield (line number, object) for each non-blank line of JSON Lines `data` (bytes); a bad line adds a Problem.

    orjson parses each line's bytes straight away (no separate decoding pass, no copy of the line: a memoryview
    slice) and holds them to strict RFC 8259 JSON and UTF-8: no NaN or Infinity, no unpaired surrogate escapes,
    which the database could not store. The lines are found one at a time, so reading a large file holds one
    line's objects at a time, not a list of every line.
    """
    loads = orjson.loads
    data = _without_bom(data)
    view = memoryview(data)
    find = data.find
    start, number, size = 0, 0, len(data)
    while start < size:
        end = find(b"\n", start)
        if end < 0:
            end = size
        number += 1
        line = view[start:end]
        start = end + 1
        if not line:
            continue
        try:
            value = loads(line)
        except orjson.JSONDecodeError as error:
            raw = line.tobytes()
            if raw.isspace():
                continue
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as not_utf8:
                problems.append(_not_utf8(raw, not_utf8, number))
                continue
            problems.add(number, f"not valid JSON ({error.msg} at column {error.colno})")
            continue
        if isinstance(value, dict):
            yield number, value
        else:
            problems.add(number, f"each line must be a JSON object, not {type_name(value)}")


def dumps(value):
    """`value` as compact UTF-8 JSON bytes; numbers orjson refuses (past 64 bits) go through the json module."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, separators=(",", ":")).encode()


def with_metadata(fields, extra):
    """`fields` with a tool's keys that are not Document fields (`extra`) kept in its metadata."""
    metadata = fields.get("metadata")
    if extra and metadata is None:
        fields["metadata"] = extra
    elif extra and isinstance(metadata, dict):
        fields["metadata"] = {**metadata, **extra}
    return fields
