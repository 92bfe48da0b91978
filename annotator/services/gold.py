"""The gold layer: a document's curated spans, drawn by reviewers or copied from an annotator's span."""

from django.db import transaction
from django.db.models import Q

from annotator.errors import InvalidInput
from annotator.models import GoldRelation, GoldSpan, Span
from annotator.services.audit import audit_record, delete_audited, snapshot
from annotator.services.codebook import current_codebook_version
from annotator.services.spans import validate_span_fields
from annotator.services.versioning import check_version, delete_if_current, swap


def _check_not_in_gold(document, label_id, start, end, exclude_pk=None):
    if (
        GoldSpan.objects.filter(document=document, label_id=label_id, start=start, end=end)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise InvalidInput({"non_field_errors": ["The gold layer already has this span."]})


@transaction.atomic
def gold_create(*, member, document, label=None, start=None, end=None, note="", from_span=None):
    """Add a gold span, given directly or copied `from_span` (a span id of this document)."""
    source = None
    if from_span is not None:
        source = Span.objects.filter(pk=from_span, document=document).first()
        if source is None:
            raise InvalidInput({"from_span": [f"Span {from_span} is not a span of this document."]})
        label, start, end = source.label_id, source.start, source.end
        note = note or source.note
    else:
        given = {"label": label, "start": start, "end": end}
        missing = {name: ["This field is required."] for name, value in given.items() if value is None}
        if missing:
            raise InvalidInput(missing)
    label_obj = validate_span_fields(document=document, label_id=label, start=start, end=end)
    _check_not_in_gold(document, label, start, end)
    gold = GoldSpan.objects.create(
        document=document,
        label=label_obj,
        start=start,
        end=end,
        note=note,
        source_span=source,
        created_by=member.user,
        codebook_version=current_codebook_version(member),
    )
    audit_record(actor=member.user, action="gold.create", obj=gold, project_id=member.project_id, after=snapshot(gold))
    return gold


@transaction.atomic
def gold_update(*, member, gold, expected_version=None, **changes):
    """Change a gold span's label, offsets or note; VersionConflict when `expected_version` is stale."""
    check_version(gold, expected_version)
    label = changes.pop("label", gold.label_id)
    start, end = changes.get("start", gold.start), changes.get("end", gold.end)
    validate_span_fields(document=gold.document, label_id=label, start=start, end=end)
    _check_not_in_gold(gold.document, label, start, end, exclude_pk=gold.pk)
    before = snapshot(gold)
    swap(gold, expected_version, {**changes, "label_id": label, "codebook_version": current_codebook_version(member)})
    audit_record(
        actor=member.user,
        action="gold.update",
        obj=gold,
        project_id=member.project_id,
        before=before,
        after=snapshot(gold),
    )
    return gold


@transaction.atomic
def gold_delete(*, member, gold, expected_version=None):
    """Delete a gold span and the gold relations from or to it, each with its own audit event; VersionConflict
    when `expected_version` is stale."""
    check_version(gold, expected_version)
    delete_audited(
        GoldRelation.objects.filter(Q(from_span=gold) | Q(to_span=gold)),
        actor=member.user,
        action="gold_relation.delete",
        project_id=member.project_id,
    )
    audit_record(actor=member.user, action="gold.delete", obj=gold, project_id=member.project_id, before=snapshot(gold))
    delete_if_current(gold, expected_version)
