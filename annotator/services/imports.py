"""Imports: documents (and their spans, relations and answers) a format codec reads and checks, checked against the
project and written with bulk inserts a batch at a time as the codec yields them, all in one transaction. A document
the project has already (the same external_id; without one, the same text) is skipped with its spans, relations and
answers, so importing a file twice is safe."""

import datetime
import functools
import sqlite3
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg import errors as pg_errors
from psycopg import generators as pg_generators
from psycopg import pq

from annotator import formats
from annotator.choices import AssignmentStatus, ReviewStatus, Role
from annotator.formats import FormatError, Problem
from annotator.formats.base import answer_value_from, storable
from annotator.models import (
    Answer,
    Assignment,
    AuditEvent,
    Document,
    Label,
    Member,
    Question,
    Relation,
    RelationType,
    RelationTypeLabel,
    Span,
)
from annotator.rules import (
    answer_problems,
    answer_value,
    answered_question_problems,
    label_problems,
    relation_problems,
    relation_type_problems,
    text_problems,
)
from annotator.services.assignments import assignment_plan
from annotator.services.audit import audit_event, audit_record
from annotator.services.codebook import codebook_bump, codebook_request
from annotator.services.labels import PALETTE
from annotator.services.relation_types import relation_type_create
from annotator.text import text_hash

LABEL_NAME_MAX = Label._meta.get_field("name").max_length
RELATION_TYPE_NAME_MAX = RelationType._meta.get_field("name").max_length
# The Document fields a record carries as they are (the text, then the file's short fields).
RECORD_FIELDS = ("text", "title", "external_id", "source", "url", "author", "language")


class Columns:
    """How an import writes one table past the ORM: `given`, the columns whose values change from row to row (a row
    is a tuple of them, database-ready, in this order), then `tail`, every other column but the id, from the model:
    `now` for the creation and change times, else the field's default. A field added to the model comes along with
    its default; one without a default stops the first import with its name, until the import gives it."""

    def __init__(self, model, given, *, now, values=None):
        values = values or {}
        others = [field for field in model._meta.concrete_fields if not (field.primary_key or field.attname in given)]
        tail = []
        for field in others:
            if field.attname in values:
                value = values[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
                if value is None and not field.null:
                    raise TypeError(f"{model.__name__}.{field.name} has no default: say what an import writes in it")
            tail.append(field.get_db_prep_save(value, connection))
        self.model = model
        self.fields = (*given, *(field.attname for field in others))
        self.tail = tuple(tail)


def _published_at(value):
    """An aware datetime from the ISO 8601 text a codec gives (naive taken as UTC), or None."""
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=datetime.UTC)


def insert(columns, rows, *, returning_ids=False, column_types=None):
    """Append `rows` (tuples of database-ready values for `columns.fields`: the given ones, then `columns.tail`) to
    the table of `columns.model`; return the new ids in the order of `rows` when asked. Binary
    COPY on PostgreSQL, multi-row INSERTs on SQLite: an import's 200,000 spans took 15-27 s through bulk_create,
    most of it the ORM's per-object, per-field work, and take about 1 s this way. `column_types`: a dict that
    keeps PostgreSQL's column types and id sequences between calls (one catalog query per table, not per batch)."""
    if not rows:
        return []
    model = columns.model
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = [model._meta.get_field(name).column for name in columns.fields]
    # The driver's errors as Django's (a unique rule lost to a concurrent import is an IntegrityError: 409).
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            return _copy(table, pk, columns, rows, returning_ids, {} if column_types is None else column_types)
        return _insert_values(table, pk, columns, rows, returning_ids)


def compress_with_lz4():
    """Have PostgreSQL compress this transaction's long texts with lz4 where the server has it: the default
    (pglz) took 0.7 s of a 10,000-article import, lz4 0.35 s, and it reads back faster too. An import job's file
    too: keeping W2's 36.7 MB tenth took 1.5 s with pglz, 0.57 s with lz4."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(name, 'lz4', true) FROM pg_settings"
                " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
            )


def _copy(table, pk, columns, rows, returning_ids, column_types):
    quote = connection.ops.quote_name
    ids = []
    with connection.cursor() as cursor:
        if returning_ids:
            # Ids drawn from the table's own sequence, so that COPY (which returns nothing) can write them. The
            # sequence is looked up once: named in the query, PostgreSQL looked it up for every id (3.6 µs each, 0.75 s
            # of the server's 4.2 s for W2's 10,000 documents, whose 200,000 spans need ids for their relations).
            sequence = column_types.get((table, pk))
            if sequence is None:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [table, pk])
                sequence = column_types[(table, pk)] = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)])
            ids = [new_id for (new_id,) in cursor.fetchall()]
            columns = [pk, *columns]
            rows = ((new_id, *row) for new_id, row in zip(ids, rows, strict=True))
        # Binary COPY spares the server parsing numbers and dates from text (a third less time for spans); it
        # needs each column's type, which the catalog gives.
        types = column_types.get(table)
        if types is None:
            cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass", [quote(table)])
            types = column_types[table] = dict(cursor.fetchall())
        names = ", ".join(quote(column) for column in columns)
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types([types[column] for column in columns])
            for row in rows:
                copy.write_row(row)
    return ids


def _insert_values(table, pk, columns, rows, returning_ids):
    quote = connection.ops.quote_name
    # The sqlite3 connection itself: Django's cursor rewrites each %s with a regular expression, which took a
    # third of the time of 200,000 spans' 2.6 million parameters.
    sqlite = connection.connection
    width = len(columns)
    size = sqlite.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width
    names = ", ".join(quote(column) for column in columns)
    returning = f" RETURNING {quote(pk)}" if returning_ids else ""
    ids = []
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        values = ", ".join([f"({', '.join('?' * width)})"] * len(batch))
        result = sqlite.execute(
            f"INSERT INTO {quote(table)} ({names}) VALUES {values}{returning}",  # noqa: S608 (names from the models)
            [value for row in batch for value in row],
        )
        if returning_ids:
            # RETURNING lists rows in no promised order, but the rows go in in the order of VALUES and AUTOINCREMENT
            # gives each a larger id than the last: sorted, the ids are in the order of `rows`.
            ids.extend(sorted(new_id for (new_id,) in result.fetchall()))
    return ids


# Documents written at a time: an import holds one batch of records and rows in memory, not the whole file's
# (a 77 MB file of 200,000 spans touched 550 MB, and on a virtual machine the page faults alone cost seconds).
BATCH_DOCUMENTS = 1000


def feed(run, records):
    """Give an import `run` (add(record), flush(), problems) every record, then flush it; a codec's FormatError
    comes out with the run's own problems found before it, in line order."""
    try:
        for record in records:
            run.add(record)
    except FormatError as error:
        if not run.problems:
            raise
        raise FormatError(sorted([*error.problems, *run.problems], key=problem_order)) from None
    run.flush()


def problem_order(problem):
    return (problem.line is None, problem.line or 0)


@transaction.atomic
def document_import(*, member, records, create_labels=False, source_name="", progress=None):
    """Store `records` (plain dicts from a format codec, any iterable) in the member's project: all or nothing.

    Documents whose external_id the project already has are skipped with their spans and relations, and so are
    documents without an external_id whose text the project (or an earlier record of `records`) already has.
    Relations keep the relation service's rules (rules.relation_problems: the type's labels at its ends, two
    different spans) and join spans of one annotator, whom they name if they name anyone; a repeat is skipped.
    Answers keep the answer rules (an active question of the project, named; a value it takes) and one annotator
    answers a question of a document once; questions are never created.
    FormatError lists every problem (line numbers from each record's `line`), the codec's (raised by `records`
    after its last record) and the project's (label, relation type and question names, relations' ends, answers'
    values), and stores
    nothing. Records are written as they come, BATCH_DOCUMENTS at a time, in this one transaction; the first
    problem stops the writing and the error rolls it back. Returns the counts, with the lines a record's codec
    passed over as of kinds Slant does not import (its "skipped_lines": brat's events, attributes …).
    `progress(n)`, when given, hears the number of records read (and, while the file has no problem, written) after
    every BATCH_DOCUMENTS of them. `records` must not use the database: on PostgreSQL the connection is busy checking
    the last batch's foreign keys while they are read (_Import._check_written).
    """
    run = _Import(member, create_labels, progress)
    # The codec's problems include the repeated external_ids, which it reports in its own words. The labels and
    # relation types the batches create make one codebook version, whose number their annotations carry.
    with codebook_request(member):
        try:
            feed(run, records)
        except BaseException:
            run.settle(errors=False, report=False)  # so that the connection takes the rollback
            raise
        run.settle()
    if run.problems or run.repeats:
        raise FormatError(sorted([*run.problems, *run.repeats], key=problem_order))
    counts = {
        "documents": {"stored": run.stored_documents, "skipped": run.skipped_documents},
        "spans": {"stored": run.stored_spans, "skipped": run.skipped_spans},
        "relations": {"stored": run.stored_relations, "skipped": run.skipped_relations},
        "answers": {"stored": run.stored_answers, "skipped": run.skipped_answers},
        "labels_created": run.created,
        "relation_types_created": run.created_types,
        "lines_skipped": run.skipped_lines,
    }
    audit_record(
        actor=run.actor,
        action="project.import",
        obj=run.project,
        project_id=run.project.pk,
        after={"file": source_name, **counts},
    )
    if connection.vendor == "postgresql" and run.stored_documents >= ANALYZE_AFTER_DOCUMENTS:
        transaction.on_commit(_analyze_imported, robust=True)
    return counts


# An import of this many documents or more has PostgreSQL's statistics of the tables it wrote refreshed once it is
# committed. Autovacuum would do it a minute later, where it is on (it is off on some servers, this one among
# them); planned on the statistics of the table before the import, the export read a 50,000-document project in
# O(n²) (each chunk of 500 sorted every document left: 1.7 s per 100,000 spans instead of 0.9 s).
ANALYZE_AFTER_DOCUMENTS = 1000
IMPORTED_TABLES = (Document, Span, Relation, Answer, Assignment)


def _analyze_imported():
    """ANALYZE the tables an import writes (PostgreSQL; 0.4 s for W2's 1,000,000 spans)."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in IMPORTED_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")  # noqa: S608 - table names from the models


class _End(NamedTuple):
    """A relation's end as rules.relation_problems sees it: `pk` is the span as stored (a repeated span is the one
    stored first), `label_id` None for a label the import is to create."""

    pk: tuple
    label_id: int | None
    user_id: int


class _Import:
    """One import's state: what the project has, the records waiting to be written, the problems so far."""

    def __init__(self, member, create_labels, progress=None):
        project = self.project = member.project
        self.progress, self.read, self.reported = progress, 0, 0
        self.checking, self.due = False, None  # foreign key checks under way (_check_written); progress held back
        self.member = member
        self.actor = member.user
        self.actor_id = self.actor.pk  # read for every span: a model's pk is a property
        self.create_labels = create_labels
        self.existing = set(
            Document.objects.filter(project=project).exclude(external_id="").values_list("external_id", flat=True)
        )
        self.label_rows = {label.name: label for label in Label.objects.filter(project=project).only("name", "active")}
        self.labels = {name: label.pk for name, label in self.label_rows.items()}
        self.members = dict(Member.objects.filter(project=project).values_list("user__username", "user_id"))
        self.annotators = set(
            Member.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user_id", flat=True)
        )
        self.usernames = {user_id: name for name, user_id in self.members.items()}
        self.usernames[self.actor.pk] = self.actor.username
        kinds = RelationType.objects.filter(project=project).only("name", "active")
        self.type_rows = {kind.name: kind for kind in kinds}
        self.types = {name: kind.pk for name, kind in self.type_rows.items()}
        self.type_ends = {pk: {"from": set(), "to": set()} for pk in self.types.values()}
        for type_id, end, label_id in RelationTypeLabel.objects.filter(type__project=project).values_list(
            "type_id", "end", "label_id"
        ):
            self.type_ends[type_id][end].add(label_id)
        self.seen_types = set()
        self.questions = {question.name: question for question in Question.objects.filter(project=project)}
        self.missing_types = []  # relation type names to create, in the order the file first names them
        self.created_types = []
        self.seen_labels = set()
        self.missing = []  # label names to create, in the order the file first names them
        self.created = []
        self.problems = []
        # An external_id the file repeats: a codec reports it after its last record, but the first one may be
        # written by then, and the second must not reach the database's unique rule (a 409 instead of a 400).
        self.file_ids = {}
        self.repeats = []
        self.file_hashes = set()  # the texts of this import's records, as text_hash gives them
        self.pending = []
        self.stored_documents = self.skipped_documents = self.stored_spans = self.skipped_spans = 0
        self.stored_relations = self.skipped_relations = 0
        self.stored_answers = self.skipped_answers = 0
        self.skipped_lines = 0  # a file's lines of kinds Slant does not import (brat's events, attributes …)
        now = self.now = timezone.now()
        self.documents = Columns(
            Document, ("project_id", *RECORD_FIELDS, "text_hash", "published_at", "metadata"), now=now
        )
        self._annotation_columns()
        self.assignments = Columns(Assignment, ("document_id", "user_id", "status"), now=now)
        self.events = Columns(
            AuditEvent,
            ("project_id", "actor_id", "actor_username", "action", "object_type", "object_id", "after"),
            now=now,
        )
        self.adapt_json = functools.partial(connection.ops.adapt_json_value, encoder=None)
        self.text_limit = settings.SLANT_TEXT_MAX_CODE_POINTS
        self.column_types = {}
        compress_with_lz4()

    def _annotation_columns(self):
        """How spans, relations and answers are written: with the codebook version the project is at now (an
        import that creates labels or relation types makes a new one before it writes its annotations)."""
        versioned = {"codebook_version": self.project.codebook_version}
        self.spans = Columns(
            Span,
            ("document_id", "annotator_id", "label_id", "start", "end", "note", "review_status", "origin"),
            now=self.now,
            values=versioned,
        )
        self.relations = Columns(
            Relation,
            ("document_id", "annotator_id", "type_id", "from_span_id", "to_span_id", "note", "review_status"),
            now=self.now,
            values=versioned,
        )
        self.answers = Columns(
            Answer,
            ("document_id", "annotator_id", "question_id", "value", "review_status"),
            now=self.now,
            values=versioned,
        )

    def add(self, record):
        self._add(record)
        self.read += 1
        if self.progress is not None and self.read - self.reported >= BATCH_DOCUMENTS:
            self.reported = self.read
            if self.checking:
                self.due = self.read  # told once the checks under way end (the callback may use this connection)
            else:
                self.progress(self.read)

    def _check_written(self):
        """PostgreSQL: have the server check the foreign keys of the rows written so far now, and go on without
        waiting for it (settle waits). Django declares every foreign key DEFERRABLE INITIALLY DEFERRED, so each
        row's references (a span's document, annotator and label) were checked one by one at the commit while
        Python waited: 970,000 for W2's 10,000 documents, 2.9 s of the server's 4.2 s. Checked a batch at a time
        (SET CONSTRAINTS ALL IMMEDIATE fires the checks queued so far, DEFERRED puts the default back, as Django's
        check_constraints does) they cost the server the same, but it works through a batch's while Python reads
        and checks the next batch's records and makes its rows: the same checks of the same rows, on two cores."""
        if connection.vendor != "postgresql":
            return
        psycopg_connection = connection.connection
        psycopg_connection.pgconn.send_query(b"SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")
        psycopg_connection.wait(pg_generators.send(psycopg_connection.pgconn))
        self.checking = True

    def settle(self, *, errors=True, report=True):
        """Wait for the checks _check_written asked for, so that the connection takes queries again: a check that
        fails raises IntegrityError as the commit would have (unless not `errors`: the import fails on something
        else already, and the rollback spares those checks, as it did at the commit). Then report the progress held
        back while they ran (unless not `report`)."""
        if self.checking:
            self.checking = False
            psycopg_connection = connection.connection
            results = psycopg_connection.wait(pg_generators.fetch_many(psycopg_connection.pgconn))
            failed = [result for result in results if result.status == pq.ExecStatus.FATAL_ERROR]
            if failed and errors:
                with connection.wrap_database_errors:
                    raise pg_errors.error_from_result(failed[0], encoding=psycopg_connection.info.encoding)
        if self.due is not None and report:
            due, self.due = self.due, None
            self.progress(due)

    def _add(self, record):
        self.skipped_lines += record.get("skipped_lines", 0)
        if record["external_id"] and record["external_id"] in self.existing:
            self._skip(record)
            return
        record["text_hash"] = digest = text_hash(record["text"])
        if not record["external_id"] and digest in self.file_hashes:
            self._skip(record)
            return
        self.file_hashes.add(digest)
        if record["external_id"]:
            first = self.file_ids.get(record["external_id"])
            if first is None:
                self.file_ids[record["external_id"]] = record["line"]
            else:
                self.repeats.append(
                    Problem(record["line"], f"external_id {record['external_id']!r} repeats the one on line {first}")
                )
        for _, message in text_problems(record["text"], limit=self.text_limit):
            self.problems.append(Problem(record["line"], message))
        for span in record["spans"]:
            if span["label"] not in self.seen_labels:
                self._check_label(span["label"], record["line"])
        if record.get("relations"):
            self._check_relations(record)
        if record.get("answers"):
            self._check_answers(record)
        if self.problems or self.repeats:
            self.pending.clear()  # nothing more is written; reading goes on to find every problem
            self.settle(errors=False)
            return
        self.pending.append(record)
        if len(self.pending) >= BATCH_DOCUMENTS:
            self.flush()

    def _skip(self, record):
        self.skipped_documents += 1
        self.skipped_spans += len(record["spans"])
        self.skipped_relations += len(record.get("relations") or ())
        self.skipped_answers += len(record.get("answers") or ())

    def _user_id(self, username):
        """The user a file's `username` names: a member, else (nobody, a stranger) the importer."""
        return self.members.get(username, self.actor_id) if username else self.actor_id

    def _check_relations(self, record):
        """Add a Problem for each relation of `record` that the project's rules refuse."""
        line, labels = record["line"], self.labels
        spans = {span["id"]: span for span in record["spans"] if span["id"] is not None}
        ends = {}  # the spans the relations join, as _End: made for those only (W2: 8 of an article's 20 spans)

        def end_of(ident):
            end = ends.get(ident)
            if end is None:
                span = spans[ident]
                user_id = self._user_id(span["annotator"])
                end = ends[ident] = _End((user_id, span["label"], span["start"], span["end"]),
                                         labels.get(span["label"]), user_id)  # fmt: skip
            return end

        for relation in record["relations"]:
            name = relation["type"]
            if name not in self.seen_types:
                self._check_type(name, line)
            start, end = end_of(relation["from"]), end_of(relation["to"])
            if start.user_id != end.user_id:
                annotators = f"{self.usernames[start.user_id]!r} and {self.usernames[end.user_id]!r}"
                messages = [f"joins spans of two annotators, {annotators}"]
            else:
                messages = []
                if relation["annotator"] and self._user_id(relation["annotator"]) != start.user_id:
                    messages.append(f"annotator {relation['annotator']!r} is not the one of its spans,"
                                    f" {self.usernames[start.user_id]!r}")  # fmt: skip
                allowed = self.type_ends.get(self.types.get(name), {"from": (), "to": ()})
                messages.extend(message for _, message in relation_problems(
                    from_span=start, to_span=end, named_from=relation["from"], named_to=relation["to"],
                    from_labels=allowed["from"], to_labels=allowed["to"], type_name=name,
                ))  # fmt: skip
            if messages:  # named only then: W2's 200,000 relations have none
                where = f"relation {name!r} from span {relation['from']!r} to span {relation['to']!r}"
                self.problems.extend(Problem(line, f"{where}: {message}") for message in messages)

    def _check_answers(self, record):
        """Add a Problem for each answer of `record` that the answer rules refuse, or that repeats an annotator's
        answer to the same question; set each sound one's value as stored (rules.answer_value) and its question."""
        line, given = record["line"], {}
        for answer in record["answers"]:
            name = answer["question"]
            question = self.questions.get(name)
            problems = answered_question_problems(question, named=repr(name))
            if question is None:
                problems = [(field, f"{message}; an import creates no questions, add it to the project first")
                            for field, message in problems]  # fmt: skip
            if not problems:
                value = answer_value_from(answer.get("form"), answer["value"], kind=question.kind,
                                          minimum=question.min)  # fmt: skip
                problems = [(field, f"answer to {name!r}: {message}")
                            for field, message in answer_problems(question, value)]  # fmt: skip
            if problems:
                self.problems.extend(Problem(line, message) for _, message in problems)
                continue
            answer["value"], answer["question_id"] = answer_value(question, value), question.pk
            user_id = self._user_id(answer["annotator"])
            if (user_id, question.pk) in given:
                self.problems.append(
                    Problem(line, f"answer to {name!r}: {self.usernames[user_id]!r} answers it twice in this document")
                )
            given[(user_id, question.pk)] = answer

    def _check_type(self, name, line):
        self.seen_types.add(name)
        if len(name) > RELATION_TYPE_NAME_MAX or not storable(name, surrogates=True):
            self.problems.append(
                Problem(
                    line,
                    f"relation type name {name[:40]!r} is longer than {RELATION_TYPE_NAME_MAX} characters or has a"
                    " NUL or lone surrogate",
                )
            )
            return
        kind = self.type_rows.get(name)
        if kind is None and self.create_labels:
            self.missing_types.append(name)
            return
        for _, message in relation_type_problems(kind, named=repr(name)):
            hint = " (import with create_labels=true)" if kind is None else ""
            self.problems.append(Problem(line, message + hint))

    def _without_stored_texts(self, records):
        """`records` but those without an external_id whose text the project has stored (before this import, or
        in an earlier batch of it), which are counted as skipped."""
        wanted = [record["text_hash"] for record in records if not record["external_id"]]
        if not wanted:
            return records
        stored = set(
            Document.objects.filter(project=self.project, text_hash__in=wanted).values_list("text_hash", flat=True)
        )
        kept = []
        for record in records:
            if not record["external_id"] and record["text_hash"] in stored:
                self._skip(record)
            else:
                kept.append(record)
        return kept

    def _check_label(self, name, line):
        self.seen_labels.add(name)
        if len(name) > LABEL_NAME_MAX or not storable(name, surrogates=True):
            self.problems.append(
                Problem(
                    line,
                    f"label name {name[:40]!r} is longer than {LABEL_NAME_MAX} characters or has a NUL or lone"
                    " surrogate",
                )
            )
            return
        label = self.label_rows.get(name)
        if label is None and self.create_labels:
            self.missing.append(name)
            return
        for _, message in label_problems(label, named=repr(name)):
            hint = " (import with create_labels=true)" if label is None else ""
            self.problems.append(Problem(line, message + hint))

    def flush(self):
        """Write the pending records (unless there were problems) and forget them; their foreign keys are checked
        while the next ones are read (_check_written), and their rows made while the last ones' are checked."""
        records, self.pending = self.pending, []
        if self.problems or self.repeats or not records:
            self.settle()
            return
        if self.missing or self.missing_types or not all(record["external_id"] for record in records):
            self.settle()  # the database is asked for stored texts, or labels and relation types are created
        records = self._without_stored_texts(records)
        if not records:
            self.settle()
            return
        # Before any annotation is made, so that all of them carry the codebook version these make.
        self._create_labels()
        self._create_relation_types()
        rows = self._rows(records)
        self.settle()
        self._write(records, *rows)
        self._check_written()

    def _rows(self, records):
        """The rows of `records` (the database is not asked: the last batch's checks may still run): the documents'
        (without ids), then the spans', the answers' (lists whose first item, the document, is its index in
        `records` until _write knows the ids), the users who worked on each document (by index) and the relations
        to write once the spans have ids."""
        project, adapt_json = self.project, self.adapt_json
        adapt_datetime = connection.ops.adapt_datetimefield_value
        tail = self.documents.tail
        documents = [
            (
                project.pk,
                *(record[name] for name in RECORD_FIELDS),
                record["text_hash"],
                adapt_datetime(_published_at(record["published_at"])),
                adapt_json(record["metadata"]),
                *tail,
            )
            for record in records
        ]
        spans, worked, linked, answers = [], {}, [], []
        labels, members, annotators, actor_id = self.labels, self.members, self.annotators, self.actor_id
        pending, tail = ReviewStatus.PENDING.value, self.spans.tail
        for index, record in enumerate(records):
            have = worked[index] = set()
            drawn = {}  # an annotator's span is stored once: a repeat in the file is skipped (key -> its row's index)
            relations = record.get("relations")
            named = {} if relations else None  # the file's span id -> the index of its row in `spans`
            for row in record["spans"]:
                user_id = members.get(row["annotator"], actor_id) if row["annotator"] else actor_id
                key = (user_id, labels[row["label"]], row["start"], row["end"])
                if key in drawn:
                    self.skipped_spans += 1
                else:
                    drawn[key] = len(spans)
                    spans.append([index, *key, row["note"], row["review_status"] or pending, row.get("origin"), *tail])
                    if user_id in annotators:
                        have.add(user_id)
                if named is not None and row["id"] is not None:
                    named[row["id"]] = drawn[key]
            self.stored_spans += len(drawn)
            for answer in record.get("answers") or ():
                user_id = members.get(answer["annotator"], actor_id) if answer["annotator"] else actor_id
                answers.append([index, user_id, answer["question_id"], adapt_json(answer["value"]),
                                answer["review_status"] or pending, *self.answers.tail])  # fmt: skip
                if user_id in annotators:
                    have.add(user_id)
            for relation in relations or ():
                start, end = named[relation["from"]], named[relation["to"]]
                # Its annotator is its spans' (checked as it was read), so one that names nobody takes theirs.
                linked.append((index, spans[start][1], relation, start, end))
        return documents, spans, answers, worked, linked

    def _write(self, records, documents, spans, answers, worked, linked):
        """Write the rows _rows made of `records`."""
        project, adapt_json = self.project, self.adapt_json
        write = functools.partial(insert, column_types=self.column_types)
        document_ids = write(self.documents, documents, returning_ids=True)
        for row in spans:
            row[0] = document_ids[row[0]]
        for row in answers:
            row[0] = document_ids[row[0]]
        self.stored_documents += len(document_ids)
        # The spans' ids are asked for only when relations need them, so that spans alone go in as fast as before.
        span_ids = write(self.spans, spans, returning_ids=bool(linked))
        del spans
        if linked:
            self._write_relations(linked, span_ids, document_ids)
        write(self.answers, answers)
        self.stored_answers += len(answers)
        worked = {document_ids[index]: users for index, users in worked.items()}
        # Whoever has spans or answers on an imported document annotated it: their assignment is there, submitted.
        submitted, tail = AssignmentStatus.SUBMITTED.value, self.assignments.tail
        write(
            self.assignments,
            [
                (document_id, user_id, submitted, *tail)
                for document_id, users in worked.items()
                for user_id in sorted(users)
            ],
        )
        # The plan counts the assignments written so far (earlier batches too), so batches share the load as one.
        assigned = AssignmentStatus.ASSIGNED.value
        write(
            self.assignments,
            [
                (document_id, user_id, assigned, *tail)
                for document_id, user_id in assignment_plan(project=project, documents=worked)
            ],
        )
        event = audit_event(actor=self.actor, action="document.import", obj=Document(), project_id=project.pk)
        tail = self.events.tail
        write(
            self.events,
            [
                (event.project_id, event.actor_id, event.actor_username, event.action, event.object_type, document_id,
                 adapt_json({"external_id": record["external_id"], "title": record["title"],
                             "spans": len(record["spans"]), "relations": len(record.get("relations") or ()),
                             "answers": len(record.get("answers") or ())}),
                 *tail)
                for document_id, record in zip(document_ids, records, strict=True)
            ],
        )  # fmt: skip

    def _write_relations(self, linked, span_ids, document_ids):
        """Write the relations `linked` [(document index, annotator id, relation, from row, to row)], whose ends
        are the spans stored as `span_ids` (by row index), on the documents stored as `document_ids` (by index); a
        repeat of one written before is skipped."""
        types, pending, tail = self.types, ReviewStatus.PENDING.value, self.relations.tail
        rows, seen = [], set()
        for index, user_id, relation, start, end in linked:
            key = (span_ids[start], span_ids[end], types[relation["type"]])
            if key in seen:
                self.skipped_relations += 1
                continue
            seen.add(key)
            rows.append((document_ids[index], user_id, key[2], key[0], key[1], relation["note"],
                         relation["review_status"] or pending, *tail))  # fmt: skip
        insert(self.relations, rows, column_types=self.column_types)
        self.stored_relations += len(rows)

    def _create_relation_types(self):
        """Create the relation types the file named that the project lacks (create_labels), through the relation
        type service: any label at either end, audited."""
        for name in self.missing_types:
            kind = relation_type_create(member=self.member, name=name)
            self.types[name] = kind.pk
            self.created_types.append(name)
        if self.missing_types:
            self._annotation_columns()
        self.missing_types.clear()

    def _create_labels(self):
        for name in self.missing:
            color = PALETTE[(len(self.labels)) % len(PALETTE)]
            label = Label.objects.create(project=self.project, name=name, color=color)
            self.labels[name] = label.pk
            self.created.append(name)
            audit_record(
                actor=self.actor, action="label.create", obj=label, project_id=self.project.pk, after={"name": name}
            )
        if self.missing:
            codebook_bump(member=self.member)
            self._annotation_columns()
        self.missing.clear()


def import_file(*, member, data, format, filename="", create_labels=False, offsets=None):
    """Read `data` (bytes) as `format`, its offsets counted in `offsets` (None: the format's own unit), and store
    what it holds: UnknownFormat, InvalidInput (`offsets`) or FormatError (every problem, nothing stored), else
    the counts document_import returns."""
    records = formats.records(format, data, filename=filename, offsets=offsets)
    return document_import(member=member, records=records, create_labels=create_labels, source_name=filename)
