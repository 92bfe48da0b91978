"""Gold relations: the relations of a document's gold layer, between its gold spans, drawn by reviewers or copied
from an annotator's relation (with its spans)."""

from django.db import transaction

from annotator.errors import InvalidInput
from annotator.models import GoldRelation, GoldSpan, Relation
from annotator.services.audit import audit_record, snapshot
from annotator.services.codebook import current_codebook_version
from annotator.services.gold import gold_create
from annotator.services.relations import check_relation, relation_type_for
from annotator.services.versioning import check_version, delete_if_current, swap


def _refuse_a_second_copy(*, type_id, from_span_id, to_span_id, exclude_pk=None):
    if (
        GoldRelation.objects.filter(from_span_id=from_span_id, to_span_id=to_span_id, type_id=type_id)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise InvalidInput({"non_field_errors": ["The gold layer already has this relation."]})


def _gold_copy_of(*, member, document, span):
    """The gold span with `span`'s label, start and end, copied from `span` first when the gold layer lacks it."""
    gold = GoldSpan.objects.filter(document=document, label_id=span.label_id, start=span.start, end=span.end).first()
    return gold or gold_create(member=member, document=document, from_span=span.pk)


def _copy_source(*, member, document, from_relation):
    """The relation `from_relation` of `document`, with `gold_ends`: the gold spans of its two ends, copied into
    gold where the layer lacks them. InvalidInput naming `from_relation` for any reason it cannot be copied (not
    this document's, a deactivated type or label, a type whose rules its ends no longer meet)."""
    source = (
        Relation.objects.filter(pk=from_relation, document=document)
        .select_related("type", "from_span", "to_span")
        .first()
    )
    if source is None:
        raise InvalidInput({"from_relation": [f"Relation {from_relation} is not a relation of this document."]})
    try:
        relation_type, ends = relation_type_for(project_id=document.project_id, type_id=source.type_id)
        check_relation(
            relation_type=relation_type,
            ends=ends,
            from_span=source.from_span,
            to_span=source.to_span,
            named_from=source.from_span_id,
            named_to=source.to_span_id,
        )
        source.gold_ends = [
            _gold_copy_of(member=member, document=document, span=span) for span in (source.from_span, source.to_span)
        ]
    except InvalidInput as error:
        messages = error.detail.values() if isinstance(error.detail, dict) else [[error.detail]]
        raise InvalidInput({"from_relation": [message for field in messages for message in field]}) from None
    return source


@transaction.atomic
def gold_relation_create(
    *,
    member,
    document,
    type=None,
    from_span=None,
    to_span=None,
    note="",
    from_relation=None,
):
    """Add a gold relation between gold spans `from_span` and `to_span` (ids) of `document`, or copy the
    relation `from_relation` (an id of this document's), first copying each of its spans into gold unless a gold
    span with the same label, start and end exists. InvalidInput naming `from_relation`, `type`, `from_span` or
    `to_span` as a relation's are named; InvalidInput when the gold layer already has the relation."""
    source = None
    if from_relation is not None:
        source = _copy_source(member=member, document=document, from_relation=from_relation)
        relation_type, from_span, to_span = source.type, source.gold_ends[0].pk, source.gold_ends[1].pk
        type, note = relation_type.pk, note or source.note
    else:
        given = {"type": type, "from_span": from_span, "to_span": to_span}
        missing = {name: ["This field is required."] for name, value in given.items() if value is None}
        if missing:
            raise InvalidInput(missing)
        relation_type, ends = relation_type_for(project_id=document.project_id, type_id=type)
        golds = GoldSpan.objects.filter(pk__in=[from_span, to_span], document=document).only("id", "label_id")
        found = {gold.pk: gold for gold in golds}
        check_relation(
            relation_type=relation_type,
            ends=ends,
            from_span=found.get(from_span),
            to_span=found.get(to_span),
            named_from=from_span,
            named_to=to_span,
            layer="the gold spans",
        )
    _refuse_a_second_copy(type_id=type, from_span_id=from_span, to_span_id=to_span)
    gold = GoldRelation.objects.create(
        document=document,
        type=relation_type,
        from_span_id=from_span,
        to_span_id=to_span,
        note=note,
        source_relation=source,
        created_by=member.user,
        codebook_version=current_codebook_version(member),
    )
    audit_record(
        actor=member.user,
        action="gold_relation.create",
        obj=gold,
        project_id=member.project_id,
        after=snapshot(gold),
    )
    return gold


@transaction.atomic
def gold_relation_update(*, member, gold, expected_version=None, **changes):
    """Change a gold relation's `type` or `note`; VersionConflict when `expected_version` is stale; InvalidInput
    as on create."""
    check_version(gold, expected_version)
    if "type" in changes:
        changes["type_id"] = changes.pop("type")
    if changes.get("type_id", gold.type_id) != gold.type_id:
        relation_type, ends = relation_type_for(project_id=gold.document.project_id, type_id=changes["type_id"])
        golds = GoldSpan.objects.in_bulk([gold.from_span_id, gold.to_span_id])
        check_relation(
            relation_type=relation_type,
            ends=ends,
            from_span=golds[gold.from_span_id],
            to_span=golds[gold.to_span_id],
            named_from=gold.from_span_id,
            named_to=gold.to_span_id,
            layer="the gold spans",
        )
        _refuse_a_second_copy(
            type_id=changes["type_id"], from_span_id=gold.from_span_id, to_span_id=gold.to_span_id, exclude_pk=gold.pk
        )
    before = snapshot(gold)
    changes["codebook_version"] = current_codebook_version(member)
    swap(gold, expected_version, changes)
    audit_record(
        actor=member.user,
        action="gold_relation.update",
        obj=gold,
        project_id=member.project_id,
        before=before,
        after=snapshot(gold),
    )
    return gold


@transaction.atomic
def gold_relation_delete(*, member, gold, expected_version=None):
    """Delete a gold relation; VersionConflict when `expected_version` is stale."""
    check_version(gold, expected_version)
    audit_record(
        actor=member.user,
        action="gold_relation.delete",
        obj=gold,
        project_id=member.project_id,
        before=snapshot(gold),
    )
    delete_if_current(gold, expected_version)
