"""Imports: documents (and their spans) a format codec read and checked, checked against the project, then
written in one transaction with bulk inserts."""

import datetime
import functools
import sqlite3

from django.db import connection, transaction
from django.utils import timezone

from annotator import formats
from annotator.formats import FormatError, Problem
from annotator.formats.base import storable
from annotator.models import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Document,
    Label,
    Member,
    ReviewStatus,
    Role,
    Span,
)
from annotator.services.assignments import assignment_plan
from annotator.services.audit import audit_event, audit_record
from annotator.services.labels import PALETTE

LABEL_NAME_MAX = Label._meta.get_field("name").max_length
# The columns each bulk insert writes, in the order of its rows: every column of the table but the id.
RECORD_FIELDS = ("text", "title", "external_id", "source", "url", "author", "language")
DOCUMENT_COLUMNS = ("project_id", *RECORD_FIELDS, "published_at", "metadata", "created_at", "updated_at")
SPAN_COLUMNS = (
    "document_id", "annotator_id", "label_id", "start", "end", "note", "review_status",
    "review_comment", "reviewed_by_id", "reviewed_at", "version", "created_at", "updated_at",
)  # fmt: skip
ASSIGNMENT_COLUMNS = ("document_id", "user_id", "status", "created_at", "updated_at")
AUDIT_COLUMNS = (
    "project_id", "actor_id", "actor_username", "action", "object_type", "object_id", "before", "after", "created_at",
)  # fmt: skip


def _published_at(value):
    """An aware datetime from the ISO 8601 text a codec gives (naive taken as UTC), or None."""
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=datetime.UTC)


def _insert(model, fields, rows, *, returning_ids=False):
    """Append `rows` (tuples of database-ready values, one for each of the `fields` attnames, which must cover
    every column but the id) to `model`'s table; return the new ids in the order of `rows` when asked. Binary
    COPY on PostgreSQL, multi-row INSERTs on SQLite: an import's 200,000 spans took 15-27 s through bulk_create,
    most of it the ORM's per-object, per-field work, and take about 1 s this way."""
    if not rows:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = [model._meta.get_field(name).column for name in fields]
    # The driver's errors as Django's (a unique rule lost to a concurrent import is an IntegrityError: 409).
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            return _copy(table, pk, columns, rows, returning_ids)
        return _insert_values(table, pk, columns, rows, returning_ids)


def _compress_with_lz4():
    """Have PostgreSQL compress this transaction's long texts with lz4 where the server has it: the default
    (pglz) took 0.7 s of a 10,000-article import, lz4 0.35 s, and it reads back faster too."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(name, 'lz4', true) FROM pg_settings"
                " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
            )


def _copy(table, pk, columns, rows, returning_ids):
    quote = connection.ops.quote_name
    ids = []
    with connection.cursor() as cursor:
        if returning_ids:
            # Ids drawn from the table's own sequence, so that COPY (which returns nothing) can write them.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, len(rows)]
            )
            ids = [new_id for (new_id,) in cursor.fetchall()]
            columns = [pk, *columns]
            rows = ((new_id, *row) for new_id, row in zip(ids, rows, strict=True))
        # Binary COPY spares the server parsing numbers and dates from text (a third less time for spans); it
        # needs each column's type, which the catalog gives.
        cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass", [quote(table)])
        types = dict(cursor.fetchall())
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


@transaction.atomic
def document_import(*, member, records, create_labels=False, source_name=""):
    """Store `records` (plain dicts from a format codec) in the member's project: all or nothing.

    Documents whose external_id the project already has are skipped with their spans. FormatError lists
    every problem (line numbers from each record's `line`) and stores nothing. Returns the counts.
    """
    project = member.project
    existing = set(
        Document.objects.filter(project=project).exclude(external_id="").values_list("external_id", flat=True)
    )
    problems, new, skipped_documents, skipped_spans = [], [], 0, 0
    used_labels = {}  # label name -> the first line naming it
    for record in records:
        if record["external_id"] and record["external_id"] in existing:
            skipped_documents += 1
            skipped_spans += len(record["spans"])
            continue
        for span in record["spans"]:
            used_labels.setdefault(span["label"], record["line"])
        new.append(record)

    unusable = {name for name in used_labels if len(name) > LABEL_NAME_MAX or not storable(name, surrogates=True)}
    problems.extend(
        Problem(
            used_labels[name],
            f"label name {name[:40]!r} is longer than {LABEL_NAME_MAX} characters or has a NUL or lone surrogate",
        )
        for name in unusable
    )
    labels = dict(Label.objects.filter(project=project).values_list("name", "id"))
    inactive = set(Label.objects.filter(project=project, active=False).values_list("name", flat=True))
    missing = [name for name in used_labels if name not in labels and name not in unusable]
    if missing and not create_labels:
        problems.extend(
            Problem(used_labels[name], f"label {name!r} is not in this project (import with create_labels=true)")
            for name in missing
        )
    problems.extend(
        Problem(used_labels[name], f"label {name!r} is deactivated in this project")
        for name in used_labels
        if name in inactive
    )
    if problems:
        raise FormatError(sorted(problems, key=lambda p: (p.line is None, p.line or 0)))

    actor = member.user
    for offset, name in enumerate(missing):
        label = Label.objects.create(project=project, name=name, color=PALETTE[(len(labels) + offset) % len(PALETTE)])
        labels[name] = label.pk
        audit_record(actor=actor, action="label.create", obj=label, project_id=project.pk, after={"name": name})

    members = dict(Member.objects.filter(project=project).values_list("user__username", "user_id"))
    annotators = set(Member.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user_id", flat=True))
    adapt_datetime = connection.ops.adapt_datetimefield_value
    adapt_json = functools.partial(connection.ops.adapt_json_value, encoder=None)
    now = adapt_datetime(timezone.now())
    _compress_with_lz4()
    document_ids = _insert(
        Document,
        DOCUMENT_COLUMNS,
        [
            (
                project.pk,
                *(record[name] for name in RECORD_FIELDS),
                adapt_datetime(_published_at(record["published_at"])),
                adapt_json(record["metadata"]),
                now,
                now,
            )
            for record in new
        ],
        returning_ids=True,
    )
    spans, worked, span_count = [], {}, 0
    pending = ReviewStatus.PENDING.value
    for document_id, record in zip(document_ids, new, strict=True):
        have = worked[document_id] = set()
        for row in record["spans"]:
            user_id = members.get(row["annotator"], actor.pk) if row["annotator"] else actor.pk
            spans.append(
                (document_id, user_id, labels[row["label"]], row["start"], row["end"], row["note"],
                 row["review_status"] or pending, "", None, None, 1, now, now)
            )  # fmt: skip
            if user_id in annotators:
                have.add(user_id)
        span_count += len(record["spans"])
    _insert(Span, SPAN_COLUMNS, spans)
    del spans
    # Whoever has spans on an imported document annotated it: their assignment is there, submitted.
    submitted = AssignmentStatus.SUBMITTED.value
    _insert(
        Assignment,
        ASSIGNMENT_COLUMNS,
        [
            (document_id, user_id, submitted, now, now)
            for document_id, users in worked.items()
            for user_id in sorted(users)
        ],
    )
    assigned = AssignmentStatus.ASSIGNED.value
    _insert(
        Assignment,
        ASSIGNMENT_COLUMNS,
        [
            (document_id, user_id, assigned, now, now)
            for document_id, user_id in assignment_plan(project=project, documents=worked)
        ],
    )
    counts = {
        "documents": {"stored": len(document_ids), "skipped": skipped_documents},
        "spans": {"stored": span_count, "skipped": skipped_spans},
        "labels_created": missing,
    }
    event = audit_event(actor=actor, action="document.import", obj=Document(), project_id=project.pk)
    _insert(
        AuditEvent,
        AUDIT_COLUMNS,
        [
            (event.project_id, event.actor_id, event.actor_username, event.action, event.object_type, document_id,
             None, adapt_json({"external_id": record["external_id"], "title": record["title"],
                               "spans": len(record["spans"])}), now)
            for document_id, record in zip(document_ids, new, strict=True)
        ],
    )  # fmt: skip
    audit_record(
        actor=actor, action="project.import", obj=project, project_id=project.pk, after={"file": source_name, **counts}
    )
    return counts


def import_file(*, member, data, format, filename="", create_labels=False):
    """Read `data` (bytes) as `format` and store what it holds: UnknownFormat or FormatError (every
    problem, nothing stored), else the counts document_import returns."""
    records = formats.read(format, data, filename=filename)
    return document_import(member=member, records=records, create_labels=create_labels, source_name=filename)
