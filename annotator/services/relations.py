"""Relations: one annotator's typed, directed link from one of their spans of a document to another, versioned.
The ends never change; the type and note may."""

from django.db import transaction

from annotator.choices import ReviewStatus
from annotator.errors import InvalidInput, NotAllowed, RelationExists
from annotator.models import Assignment, Relation, RelationType, Span
from annotator.permissions import REVIEWERS, can_annotate, can_change_relation
from annotator.rules import relation_problems, relation_type_problems
from annotator.services.audit import audit_record, snapshot
from annotator.services.relation_types import end_labels
from annotator.services.versioning import check_version, delete_if_current, swap


def relation_type_for(*, project_id, type_id):
    """(the project's relation type `type_id`, the labels of its ends); InvalidInput naming `type` when the
    project has no such type or it is deactivated."""
    relation_type = RelationType.objects.filter(pk=type_id, project_id=project_id).first()
    problems = relation_type_problems(relation_type, named=type_id)
    if problems:
        raise InvalidInput({field: [message] for field, message in problems})
    return relation_type, end_labels(relation_type)


def check_relation(*, relation_type, ends, from_span, to_span, named_from, named_to, layer="your spans"):
    """InvalidInput naming `from_span` or `to_span` for ends that are not spans of `layer` on the document (None),
    the same span twice, or a label the type does not allow at that end (rules.relation_problems)."""
    problems = relation_problems(
        from_span=from_span,
        to_span=to_span,
        named_from=named_from,
        named_to=named_to,
        from_labels=ends["from"],
        to_labels=ends["to"],
        type_name=relation_type.name,
        layer=layer,
    )
    if problems:
        errors = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise InvalidInput(errors)


def _same(*, annotator_id, type_id, from_span_id, to_span_id, exclude_pk=None):
    return (
        Relation.objects.filter(from_span_id=from_span_id, to_span_id=to_span_id, type_id=type_id)
        .filter(annotator_id=annotator_id)
        .exclude(pk=exclude_pk)
        .select_related("annotator", "reviewed_by")
        .first()
    )


def relation_create(*, member, document, type, from_span, to_span, note=""):
    """Create a relation by `member` on `document` from span `from_span` to span `to_span` (ids). NotAllowed for
    an annotator the document is not assigned to; InvalidInput naming `type` (not the project's, or deactivated),
    `from_span` or `to_span` (not the member's spans of this document, the same span, a label the type does not
    allow at that end); RelationExists when the member has this relation already (the unique rule settles a
    race, and a span deleted meanwhile fails its foreign key). As for spans, the checks read before the
    transaction opens, so the write holds the database (SQLite has one writer at a time) briefly."""
    if member.role not in REVIEWERS:
        assigned = Assignment.objects.filter(document_id=document.pk, user_id=member.user_id).exists()
        if not can_annotate(member, assigned=assigned):
            raise NotAllowed("This document is not assigned to you.")
    relation_type, ends = relation_type_for(project_id=document.project_id, type_id=type)
    spans = {
        span.pk: span
        for span in Span.objects.filter(
            pk__in=[from_span, to_span], document_id=document.pk, annotator_id=member.user_id
        ).only("id", "label_id")
    }
    check_relation(
        relation_type=relation_type,
        ends=ends,
        from_span=spans.get(from_span),
        to_span=spans.get(to_span),
        named_from=from_span,
        named_to=to_span,
    )
    same = _same(annotator_id=member.user_id, type_id=type, from_span_id=from_span, to_span_id=to_span)
    if same is not None:
        raise RelationExists(same)
    relation = Relation(
        document=document,
        annotator=member.user,
        type=relation_type,
        from_span_id=from_span,
        to_span_id=to_span,
        note=note,
    )
    with transaction.atomic():
        relation.save(force_insert=True)
        audit_record(
            actor=member.user,
            action="relation.create",
            obj=relation,
            project_id=document.project_id,
            after=snapshot(relation),
        )
    return relation


@transaction.atomic
def relation_update(*, member, relation, expected_version=None, **changes):
    """Change a relation's `type` or `note` (its ends never change). NotAllowed unless `member` made it;
    VersionConflict when `expected_version` is stale; InvalidInput naming `type` (as on create) or an end whose
    label the new type does not allow; RelationExists when the change would make it a copy of another of the
    member's relations; a changed type sends a reviewed relation back to pending."""
    if not can_change_relation(member, relation):
        raise NotAllowed("Only the annotator who made a relation may change it.")
    check_version(relation, expected_version)
    if "type" in changes:
        changes["type_id"] = changes.pop("type")
    retyped = "type_id" in changes and changes["type_id"] != relation.type_id
    if retyped:
        relation_type, ends = relation_type_for(project_id=relation.document.project_id, type_id=changes["type_id"])
        spans = Span.objects.in_bulk([relation.from_span_id, relation.to_span_id])
        check_relation(
            relation_type=relation_type,
            ends=ends,
            from_span=spans[relation.from_span_id],
            to_span=spans[relation.to_span_id],
            named_from=relation.from_span_id,
            named_to=relation.to_span_id,
        )
        same = _same(
            annotator_id=relation.annotator_id,
            type_id=changes["type_id"],
            from_span_id=relation.from_span_id,
            to_span_id=relation.to_span_id,
            exclude_pk=relation.pk,
        )
        if same is not None:
            raise RelationExists(same)
        if relation.review_status != ReviewStatus.PENDING:
            changes.update(review_status=ReviewStatus.PENDING, review_comment="", reviewed_by=None, reviewed_at=None)
    before = snapshot(relation)
    swap(relation, expected_version, changes)
    audit_record(
        actor=member.user,
        action="relation.update",
        obj=relation,
        project_id=relation.document.project_id,
        before=before,
        after=snapshot(relation),
    )
    return relation


@transaction.atomic
def relation_delete(*, member, relation, expected_version=None):
    """Delete a relation. NotAllowed unless `member` made it; VersionConflict when `expected_version` is stale."""
    if not can_change_relation(member, relation):
        raise NotAllowed("Only the annotator who made a relation may delete it.")
    check_version(relation, expected_version)
    audit_record(
        actor=member.user,
        action="relation.delete",
        obj=relation,
        project_id=member.project_id,
        before=snapshot(relation),
    )
    delete_if_current(relation, expected_version)
