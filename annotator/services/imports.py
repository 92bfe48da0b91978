"""Imports: documents (and their spans) a format codec read and checked, checked against the project, then
written in one transaction with bulk inserts."""

import datetime

from django.db import transaction
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
from annotator.services.assignments import assignment_fill
from annotator.services.audit import audit_event, audit_record
from annotator.services.labels import PALETTE

LABEL_NAME_MAX = Label._meta.get_field("name").max_length
FIELDS = ("external_id", "title", "source", "url", "author", "language", "metadata")


def _published_at(value):
    """An aware datetime from the ISO 8601 text a codec gives (naive taken as UTC), or None."""
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=datetime.UTC)


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
        document = Document(
            project=project,
            text=record["text"],
            published_at=_published_at(record["published_at"]),
            **{name: record[name] for name in FIELDS},
        )
        for span in record["spans"]:
            used_labels.setdefault(span["label"], record["line"])
        new.append((document, record["spans"]))

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
    documents = Document.objects.bulk_create([document for document, _ in new], batch_size=500)
    now = timezone.now()
    spans, worked = [], set()
    for document, (_, rows) in zip(documents, new, strict=True):
        for row in rows:
            user_id = members.get(row["annotator"], actor.pk) if row["annotator"] else actor.pk
            spans.append(
                Span(
                    document_id=document.pk,
                    annotator_id=user_id,
                    label_id=labels[row["label"]],
                    start=row["start"],
                    end=row["end"],
                    note=row["note"],
                    review_status=row["review_status"] or ReviewStatus.PENDING,
                    created_at=now,
                    updated_at=now,
                )
            )
            if user_id in annotators:
                worked.add((document.pk, user_id))
    Span.objects.bulk_create(spans, batch_size=2000)
    # Whoever has spans on an imported document annotated it: their assignment is there, submitted.
    Assignment.objects.bulk_create(
        [
            Assignment(document_id=doc_id, user_id=user_id, status=AssignmentStatus.SUBMITTED)
            for doc_id, user_id in sorted(worked)
        ],
        batch_size=1000,
    )
    assignment_fill(project=project, document_ids=[doc.pk for doc in documents])
    counts = {
        "documents": {"stored": len(documents), "skipped": skipped_documents},
        "spans": {"stored": len(spans), "skipped": skipped_spans},
        "labels_created": missing,
    }
    AuditEvent.objects.bulk_create(
        [
            audit_event(
                actor=actor,
                action="document.import",
                obj=document,
                project_id=project.pk,
                after={"external_id": document.external_id, "title": document.title, "spans": len(rows)},
            )
            for document, (_, rows) in zip(documents, new, strict=True)
        ],
        batch_size=1000,
    )
    audit_record(
        actor=actor, action="project.import", obj=project, project_id=project.pk, after={"file": source_name, **counts}
    )
    return counts



def import_file(*, member, data, format, filename="", create_labels=False):
    """Read `data` (bytes) as `format` and store what it holds: UnknownFormat or FormatError (every
    problem, nothing stored), else the counts document_import returns."""
    records = formats.read(format, data, filename=filename)
    return document_import(member=member, records=records, create_labels=create_labels, source_name=filename)
