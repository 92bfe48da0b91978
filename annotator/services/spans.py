"""Spans: one annotator's highlighted stretch of a document, in code-point offsets, versioned."""

from functools import cache

from django.db import connection, transaction
from django.db.models import Q

from annotator.choices import AssignmentStatus, ReviewStatus
from annotator.errors import InvalidInput, NotAllowed, SpanExists
from annotator.models import Assignment, Label, Relation, Span
from annotator.permissions import can_annotate, can_change_span
from annotator.rules import label_problems, span_problems
from annotator.services.assignments import assignment_start
from annotator.services.audit import audit_record, delete_audited, insert_audited, snapshot
from annotator.services.codebook import current_codebook_version
from annotator.services.versioning import check_version, delete_if_current, swap


def validate_span_fields(*, document, label_id, start, end, text=None, label=None):
    """Check a span against its document (rules.span_problems, rules.label_problems: an active label of the
    project, 0 <= start < end <= len(text), `text` equal to text[start:end]). Raises InvalidInput naming each
    field; returns the label. `label` is the Label with id `label_id` when the caller has already fetched it."""
    if label is None:
        label = Label.objects.filter(pk=label_id, project_id=document.project_id).first()
    problems = label_problems(label, named=label_id) + span_problems(document.text, start, end, text)
    if problems:
        raise InvalidInput({field: [message] for field, message in problems})
    return label


@cache
def _create_checks_sql():
    qn = connection.ops.quote_name
    label, assignment, span = (qn(model._meta.db_table) for model in (Label, Assignment, Span))
    return (
        f"SELECT l.*, (SELECT a.{qn('status')} FROM {assignment} a "  # noqa: S608 (names from the models)
        f"WHERE a.{qn('document_id')} = %s AND a.{qn('user_id')} = %s) AS assignment_status, "
        f"(SELECT s.{qn('id')} FROM {span} s WHERE s.{qn('document_id')} = %s AND s.{qn('annotator_id')} = %s "
        f"AND s.{qn('label_id')} = l.{qn('id')} AND s.{qn('start')} = %s AND s.{qn('end')} = %s) AS same_span "
        f"FROM {label} l WHERE l.{qn('id')} = %s AND l.{qn('project_id')} = %s"
    )


def _create_checks(*, document, label_id, user_id, start, end):
    """(the project's label `label_id` or None, the user's assignment status on `document` or None, the id of the
    user's span with that label, start and end on `document` or None).

    One raw query for all three: span creation is the hottest write, and through the ORM building this query
    cost a fifth of it."""
    params = [document.pk, user_id, document.pk, user_id, start, end, label_id, document.project_id]
    found = list(Label.objects.raw(_create_checks_sql(), params))
    if found:
        return found[0], found[0].assignment_status, found[0].same_span
    status = Assignment.objects.filter(document_id=document.pk, user_id=user_id).values_list("status", flat=True)
    return None, status.first(), None


def span_create(*, member, document, label, start, end, note="", text=None, origin=None):
    """Create a span by `member` on `document`. NotAllowed for an annotator the document is not assigned to;
    InvalidInput for a bad label, range or text; SpanExists when the member has this span already (label, start,
    end; the database's unique rule settles a race). The checks read before the transaction opens, so the write
    holds the database (SQLite has one writer at a time) as briefly as possible. `origin`: the source of the
    suggestion the span is accepted from (None: drawn by hand)."""
    label_obj, status, same = _create_checks(
        document=document, label_id=label, user_id=member.user_id, start=start, end=end
    )
    if not can_annotate(member, assigned=status is not None):
        raise NotAllowed("This document is not assigned to you.")
    label_obj = validate_span_fields(
        document=document, label_id=label, start=start, end=end, text=text, label=label_obj
    )
    if same is not None:
        raise SpanExists(Span.objects.select_related("annotator", "reviewed_by").get(pk=same))
    span = Span(
        document=document,
        annotator=member.user,
        label=label_obj,
        start=start,
        end=end,
        note=note,
        origin=origin,
        codebook_version=current_codebook_version(member),
    )
    if connection.vendor == "postgresql":
        insert_audited(
            span,
            actor=member.user,
            action="span.create",
            project_id=document.project_id,
            start_assignment=status == AssignmentStatus.ASSIGNED,
        )
        return span
    with transaction.atomic():
        span.save(force_insert=True)
        audit_record(
            actor=member.user, action="span.create", obj=span, project_id=document.project_id, after=snapshot(span)
        )
        if status == AssignmentStatus.ASSIGNED:
            assignment_start(document_id=document.pk, user_id=member.user_id)
    return span


def _refuse_a_second_copy(span, *, label, start, end):
    """SpanExists when the span's annotator has another span with this label, start and end on its document."""
    same = (
        Span.objects.filter(document_id=span.document_id, annotator_id=span.annotator_id, label_id=label)
        .filter(start=start, end=end)
        .exclude(pk=span.pk)
        .select_related("annotator", "reviewed_by")
        .first()
    )
    if same is not None:
        raise SpanExists(same)


@transaction.atomic
def span_update(*, member, span, expected_version=None, text=None, **changes):
    """Change a span's label, offsets or note. NotAllowed unless `member` drew it; VersionConflict when
    `expected_version` is stale; SpanExists when the change would make it a copy of another of the member's spans;
    a changed label or range sends a reviewed span back to pending."""
    if not can_change_span(member, span):
        raise NotAllowed("Only the annotator who drew a span may change it.")
    check_version(span, expected_version)
    start, end = changes.get("start", span.start), changes.get("end", span.end)
    label = changes.get("label", span.label_id)
    if {"label", "start", "end"} & changes.keys() or text is not None:
        validate_span_fields(document=span.document, label_id=label, start=start, end=end, text=text)
    if "label" in changes:
        changes["label_id"] = changes.pop("label")
    moved = any(getattr(span, name) != value for name, value in changes.items() if name != "note")
    if moved:
        _refuse_a_second_copy(span, label=label, start=start, end=end)
    if moved and span.review_status != ReviewStatus.PENDING:
        changes.update(review_status=ReviewStatus.PENDING, review_comment="", reviewed_by=None, reviewed_at=None)
    before = snapshot(span)
    changes["codebook_version"] = current_codebook_version(member)
    swap(span, expected_version, changes)
    audit_record(
        actor=member.user,
        action="span.update",
        obj=span,
        project_id=span.document.project_id,
        before=before,
        after=snapshot(span),
    )
    return span


@transaction.atomic
def span_delete(*, member, span, expected_version=None):
    """Delete a span and the relations from or to it, each with its own audit event. NotAllowed unless `member`
    drew it; VersionConflict when `expected_version` is stale."""
    if not can_change_span(member, span):
        raise NotAllowed("Only the annotator who drew a span may delete it.")
    check_version(span, expected_version)
    delete_audited(
        Relation.objects.filter(Q(from_span=span) | Q(to_span=span)),
        actor=member.user,
        action="relation.delete",
        project_id=member.project_id,
    )
    audit_record(actor=member.user, action="span.delete", obj=span, project_id=member.project_id, before=snapshot(span))
    delete_if_current(span, expected_version)
