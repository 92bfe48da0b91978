"""Imports: documents (and their spans) from a decoded file, validated whole, then written in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from annotator.errors import InvalidInput
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

# Document fields an import may set, with the longest value each takes (None: unbounded).
FIELDS = {
    "external_id": 255,
    "title": 500,
    "source": 200,
    "url": 2000,
    "author": 300,
    "language": 35,
}
_url = URLValidator(schemes=["http", "https"])


class ImportProblems(InvalidInput):
    """A file with problems: every one of them, each with the line or row it is on; nothing was stored."""

    def __init__(self, problems):
        count = len(problems)
        super().__init__(
            {
                "detail": f"The file has {count} problem{'s' * (count != 1)}; nothing was imported.",
                "problems": problems,
            }
        )
        self.problems = problems


def _problem(line, message):
    return {"line": line, "message": message}


def _published_at(value):
    """An aware datetime from an ISO 8601 date or date-time string (naive ones taken as UTC), or ValueError."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("published_at must be an ISO 8601 date or date-time string.")
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(f"published_at {value!r} is not an ISO 8601 date or date-time.")
        parsed = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def _document(project, record, line, problems):
    """An unsaved Document from `record`, or None with its problems appended."""
    text = record.get("text")
    found = []
    if not isinstance(text, str) or not text.strip():
        found.append("text is missing or empty.")
    elif "\r" in text:
        found.append("text still has carriage returns; line endings must be normalised before import.")
    fields = {}
    for name, longest in FIELDS.items():
        value = record.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            found.append(f"{name} must be a string.")
        elif "\x00" in value:
            found.append(f"{name} contains a NUL character.")
        elif len(value) > longest:
            found.append(f"{name} is longer than {longest} characters.")
        else:
            fields[name] = value
    if fields.get("url"):
        try:
            _url(fields["url"])
        except ValidationError:
            found.append(f"url {fields['url']!r} is not an http(s) address.")
    try:
        fields["published_at"] = _published_at(record.get("published_at"))
    except ValueError as error:
        found.append(str(error))
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        found.append("metadata must be a JSON object.")
    if isinstance(text, str) and "\x00" in text:
        found.append("text contains a NUL character.")
    problems.extend(_problem(line, message) for message in found)
    if found:
        return None
    return Document(project=project, text=text, metadata=metadata, **fields)


def _spans(record, document, line, labels, problems):
    """(label name, annotator name or None, start, end, note, review_status) for each valid span of `record`."""
    spans = record.get("spans") or []
    if not isinstance(spans, list):
        problems.append(_problem(line, "spans must be a list."))
        return []
    length = len(document.text) if document is not None else None
    rows = []
    for number, span in enumerate(spans, 1):
        where = f"span {number}"
        if not isinstance(span, dict):
            problems.append(_problem(line, f"{where} must be an object."))
            continue
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            problems.append(_problem(line, f"{where}: start and end must be integers."))
            continue
        if length is not None and not 0 <= start < end <= length:
            problems.append(_problem(line, f"{where}: [{start}, {end}) is not inside the text (0 to {length})."))
            continue
        if not isinstance(label, str) or not label.strip():
            problems.append(_problem(line, f"{where}: label must be a label name."))
            continue
        if label not in labels:
            labels[label] = line
        status = span.get("review_status") or ReviewStatus.PENDING
        if status not in ReviewStatus.values:
            problems.append(_problem(line, f"{where}: review_status {status!r} is not one of {ReviewStatus.values}."))
            continue
        annotator = span.get("annotator")
        note = span.get("note") or ""
        if not isinstance(note, str) or (annotator is not None and not isinstance(annotator, str)):
            problems.append(_problem(line, f"{where}: annotator and note must be strings."))
            continue
        rows.append((label, annotator or None, start, end, note, status))
    return rows


@transaction.atomic
def document_import(*, member, records, create_labels=False, source_name=""):
    """Store `records` (plain dicts from a format codec) in the member's project: all or nothing.

    Documents whose external_id the project already has are skipped with their spans. ImportProblems lists
    every problem (line numbers from each record's `line`) and stores nothing. Returns the counts.
    """
    project = member.project
    existing = set(
        Document.objects.filter(project=project).exclude(external_id="").values_list("external_id", flat=True)
    )
    problems, new, skipped_documents, skipped_spans, seen_ids = [], [], 0, 0, {}
    used_labels = {}
    for index, record in enumerate(records):
        line = record.get("line", index + 1)
        external_id = record.get("external_id") or ""
        if isinstance(external_id, str) and external_id in existing:
            skipped_documents += 1
            skipped_spans += len(record.get("spans") or [])
            continue
        if isinstance(external_id, str) and external_id:
            if external_id in seen_ids:
                problems.append(_problem(line, f"external_id {external_id!r} is also on line {seen_ids[external_id]}."))
            seen_ids.setdefault(external_id, line)
        document = _document(project, record, line, problems)
        new.append((document, _spans(record, document, line, used_labels, problems)))

    labels = dict(Label.objects.filter(project=project).values_list("name", "id"))
    inactive = set(Label.objects.filter(project=project, active=False).values_list("name", flat=True))
    missing = [name for name in used_labels if name not in labels]
    if missing and not create_labels:
        problems.extend(
            _problem(used_labels[name], f"label {name!r} is not in this project (import with create_labels=true).")
            for name in missing
        )
    problems.extend(
        _problem(used_labels[name], f"label {name!r} is deactivated in this project.")
        for name in used_labels
        if name in inactive
    )
    if problems:
        raise ImportProblems(sorted(problems, key=lambda p: (p["line"] is None, p["line"] or 0)))

    actor = member.user
    for offset, name in enumerate(missing):
        label = Label.objects.create(
            project=project, name=name[:100], color=PALETTE[(len(labels) + offset) % len(PALETTE)]
        )
        labels[name] = label.pk
        audit_record(actor=actor, action="label.create", obj=label, project_id=project.pk, after={"name": name})

    members = dict(Member.objects.filter(project=project).values_list("user__username", "user_id"))
    annotators = set(Member.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user_id", flat=True))
    documents = Document.objects.bulk_create([document for document, _ in new], batch_size=500)
    now = timezone.now()
    spans, worked = [], set()
    for document, (_, rows) in zip(documents, new, strict=True):
        for label, username, start, end, note, status in rows:
            user_id = members.get(username, actor.pk) if username else actor.pk
            spans.append(
                Span(
                    document_id=document.pk,
                    annotator_id=user_id,
                    label_id=labels[label],
                    start=start,
                    end=end,
                    note=note,
                    review_status=status,
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

