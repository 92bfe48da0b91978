"""Relations: one annotator's typed, directed link from one of their spans of a document to another, versioned.
The ends never change; the type and note may."""

from functools import cache

from django.db import connection, transaction

from annotator.choices import RelationEnd, ReviewStatus
from annotator.errors import InvalidInput, NotAllowed, RelationExists
from annotator.models import Assignment, Relation, RelationType, RelationTypeLabel, Span
from annotator.permissions import can_annotate, can_change_relation
from annotator.rules import relation_problems, relation_type_problems
from annotator.services.audit import audit_record, insert_audited, snapshot
from annotator.services.codebook import current_codebook_version
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


@cache
def _create_checks_sql():
    qn = connection.ops.quote_name
    assignment, span, relation, relation_type, end_label = (
        qn(model._meta.db_table) for model in (Assignment, Span, Relation, RelationType, RelationTypeLabel)
    )
    own_span = (
        f"(SELECT s.{qn('label_id')} FROM {span} s WHERE s.{qn('id')} = %s "  # noqa: S608 (names from the models)
        f"AND s.{qn('document_id')} = %s AND s.{qn('annotator_id')} = %s)"
    )
    # The checks that give one value each come first, in a one-row table; the type joins them with one row per
    # label of its ends (or one row with none), so that a missing type still answers the other checks.
    return (
        f"SELECT c.assigned, c.from_label, c.to_label, c.same_relation, "  # noqa: S608 (names from the models)
        f"t.{qn('id')}, t.{qn('name')}, t.{qn('active')}, e.{qn('end')}, e.{qn('label_id')} "
        f"FROM (SELECT EXISTS (SELECT 1 FROM {assignment} a WHERE a.{qn('document_id')} = %s "
        f"AND a.{qn('user_id')} = %s) AS assigned, {own_span} AS from_label, {own_span} AS to_label, "
        f"(SELECT r.{qn('id')} FROM {relation} r WHERE r.{qn('from_span_id')} = %s AND r.{qn('to_span_id')} = %s "
        f"AND r.{qn('type_id')} = %s AND r.{qn('annotator_id')} = %s) AS same_relation) c "
        f"LEFT JOIN {relation_type} t ON t.{qn('id')} = %s AND t.{qn('project_id')} = %s "
        f"LEFT JOIN {end_label} e ON e.{qn('type_id')} = t.{qn('id')} "
        f"ORDER BY e.{qn('label_id')}"
    )


def _create_checks(*, document, user_id, type_id, from_span, to_span):
    """(whether `document` is assigned to the user, the project's relation type `type_id` or None, its end labels
    as end_labels() gives them, the user's span `from_span` of `document` or None, the same for `to_span`, the id of
    the user's relation of that type between those spans or None).

    One raw query for all of them instead of five: a relation create cost more than twice a span create while it
    asked them one by one (bench/api_bench.py, SQLite: p50 11 ms against 4.9 ms); with this query (and, on
    PostgreSQL, insert_audited) its gunicorn CPU per request fell from 4.7 to 2.6 ms on SQLite and from 5.8 to
    2.6 ms on PostgreSQL (medians of three runs). The type and the spans come with only the fields the checks
    read (the others load when first read)."""
    params = [
        *(document.pk, user_id),
        *(from_span, document.pk, user_id),
        *(to_span, document.pk, user_id),
        *(from_span, to_span, type_id, user_id),
        *(type_id, document.project_id),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_create_checks_sql(), params)
        rows = cursor.fetchall()
    assigned, from_label, to_label, same, found_id, name, active = rows[0][:7]
    relation_type, ends = None, {RelationEnd.FROM.value: [], RelationEnd.TO.value: []}
    if found_id is not None:
        fields = ["id", "project_id", "name", "active"]
        values = [found_id, document.project_id, name, bool(active)]  # SQLite's booleans are 0 and 1
        relation_type = RelationType.from_db(connection.alias, fields, values)
        for *_, end, label_id in rows:
            if end is not None:
                ends[end].append(label_id)
    spans = [
        None if label_id is None else Span.from_db(connection.alias, ["id", "label_id"], [span_id, label_id])
        for span_id, label_id in ((from_span, from_label), (to_span, to_label))
    ]
    return bool(assigned), relation_type, ends, *spans, same


def relation_create(*, member, document, type, from_span, to_span, note=""):
    """Create a relation by `member` on `document` from span `from_span` to span `to_span` (ids). NotAllowed for
    an annotator the document is not assigned to; InvalidInput naming `type` (not the project's, or deactivated),
    `from_span` or `to_span` (not the member's spans of this document, the same span, a label the type does not
    allow at that end); RelationExists when the member has this relation already (the unique rule settles a
    race, and a span deleted meanwhile fails its foreign key). As for spans, the checks read before the
    transaction opens, so the write holds the database (SQLite has one writer at a time) briefly."""
    assigned, relation_type, ends, from_obj, to_obj, same = _create_checks(
        document=document, user_id=member.user_id, type_id=type, from_span=from_span, to_span=to_span
    )
    if not can_annotate(member, assigned=assigned):
        raise NotAllowed("This document is not assigned to you.")
    problems = relation_type_problems(relation_type, named=type)
    if problems:
        raise InvalidInput({field: [message] for field, message in problems})
    check_relation(
        relation_type=relation_type,
        ends=ends,
        from_span=from_obj,
        to_span=to_obj,
        named_from=from_span,
        named_to=to_span,
    )
    if same is not None:
        raise RelationExists(Relation.objects.select_related("annotator", "reviewed_by").get(pk=same))
    relation = Relation(
        document=document,
        annotator=member.user,
        type=relation_type,
        from_span_id=from_span,
        to_span_id=to_span,
        note=note,
        codebook_version=current_codebook_version(member),
    )
    if connection.vendor == "postgresql":
        insert_audited(relation, actor=member.user, action="relation.create", project_id=document.project_id)
        return relation
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
    changes["codebook_version"] = current_codebook_version(member)
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
