"""Relation types: names and keys unique in their project, the labels each end allows (none: any), deactivated
rather than deleted while relations use them."""

from django.db import transaction

from annotator.choices import RelationEnd
from annotator.errors import InvalidInput, RelationTypeInUse
from annotator.models import GoldRelation, Label, Relation, RelationType, RelationTypeLabel
from annotator.services.audit import audit_record, snapshot
from annotator.services.codebook import codebook_batch, codebook_bump

# Darker than the labels' highlights: an arc is a line over the text, not a background behind it.
PALETTE = ("#3d85c6", "#e69138", "#6aa84f", "#cc0000", "#674ea7", "#a61c00", "#0b5394", "#bf9000", "#38761d")


def _check_unique(project_id, *, name=None, key=None, exclude_pk=None):
    others = RelationType.objects.filter(project_id=project_id).exclude(pk=exclude_pk)
    errors = {}
    if name is not None and others.filter(name=name).exists():
        errors["name"] = [f"This project already has a relation type named {name!r}."]
    if key and others.filter(key=key).exists():
        errors["key"] = [f"The key {key!r} is already taken by another relation type of this project."]
    if errors:
        raise InvalidInput(errors)


def _check_labels(project_id, ends):
    """InvalidInput naming `from_labels` or `to_labels` when one of its ids is not a label of the project."""
    wanted = {label for ids in ends.values() for label in ids}
    known = set(Label.objects.filter(project_id=project_id, pk__in=wanted).values_list("pk", flat=True))
    errors = {}
    for end, ids in ends.items():
        unknown = [label for label in ids if label not in known]
        if unknown:
            errors[f"{end}_labels"] = [f"label {unknown[0]} is not in this project"]
    if errors:
        raise InvalidInput(errors)


def end_labels(relation_type):
    """{"from": [label ids], "to": [label ids]} that `relation_type` allows at each end, by id (empty: any)."""
    ends = {RelationEnd.FROM.value: [], RelationEnd.TO.value: []}
    rows = RelationTypeLabel.objects.filter(type=relation_type).order_by("label_id").values_list("end", "label_id")
    for end, label in rows:
        ends[end].append(label)
    return ends


def _with_ends(relation_type, ends):
    """The audit trail's state of a relation type: its row and the labels of its ends."""
    return {**snapshot(relation_type), "from_labels": ends["from"], "to_labels": ends["to"]}


def _set_ends(relation_type, ends):
    """Replace the labels of the ends named in `ends` ({"from"|"to": [label ids]})."""
    for end, ids in ends.items():
        RelationTypeLabel.objects.filter(type=relation_type, end=end).delete()
        RelationTypeLabel.objects.bulk_create(
            RelationTypeLabel(type=relation_type, end=end, label_id=label) for label in sorted(set(ids))
        )
    relation_type.ends = {**getattr(relation_type, "ends", {}), **{end: sorted(set(ids)) for end, ids in ends.items()}}


def _given_ends(from_labels, to_labels):
    ends = {}
    if from_labels is not None:
        ends[RelationEnd.FROM.value] = list(from_labels)
    if to_labels is not None:
        ends[RelationEnd.TO.value] = list(to_labels)
    return ends


@transaction.atomic
def relation_type_create(
    *, member, name, key="", color=None, description="", from_labels=None, to_labels=None, active=True
):
    """Add a relation type to the member's project; InvalidInput if its name or key is taken or an end names a
    label the project lacks."""
    project_id = member.project_id
    _check_unique(project_id, name=name, key=key)
    ends = _given_ends(from_labels or [], to_labels or [])
    _check_labels(project_id, ends)
    if color is None:
        color = PALETTE[RelationType.objects.filter(project_id=project_id).count() % len(PALETTE)]
    relation_type = RelationType.objects.create(
        project_id=project_id, name=name, key=key, color=color, description=description, active=active
    )
    _set_ends(relation_type, ends)
    audit_record(
        actor=member.user,
        action="relation_type.create",
        obj=relation_type,
        project_id=project_id,
        after=_with_ends(relation_type, relation_type.ends),
    )
    codebook_bump(member=member)
    return relation_type


@transaction.atomic
def relation_type_create_many(*, member, items):
    """Create each of `items` (keyword arguments of relation_type_create), all or nothing, as one codebook version."""
    with codebook_batch(member):
        return [relation_type_create(member=member, **item) for item in items]


@transaction.atomic
def relation_type_update(*, member, relation_type, from_labels=None, to_labels=None, **changes):
    """Change a relation type (deactivate with active=False; `from_labels`/`to_labels` replace an end's labels).
    InvalidInput if the new name or key is taken or an end names a label the project lacks. Relations made
    before keep their ends: a type's rules are checked when a relation takes it."""
    _check_unique(member.project_id, name=changes.get("name"), key=changes.get("key"), exclude_pk=relation_type.pk)
    ends = _given_ends(from_labels, to_labels)
    _check_labels(member.project_id, ends)
    before = _with_ends(relation_type, end_labels(relation_type))
    for name, value in changes.items():
        setattr(relation_type, name, value)
    relation_type.save()
    relation_type.ends = {"from": before["from_labels"], "to": before["to_labels"]}
    _set_ends(relation_type, ends)
    audit_record(
        actor=member.user,
        action="relation_type.update",
        obj=relation_type,
        project_id=relation_type.project_id,
        before=before,
        after=_with_ends(relation_type, relation_type.ends),
    )
    codebook_bump(member=member)
    return relation_type


@transaction.atomic
def relation_type_delete(*, member, relation_type):
    """Delete an unused relation type; RelationTypeInUse if any relation or gold relation has it."""
    if Relation.objects.filter(type=relation_type).exists() or GoldRelation.objects.filter(type=relation_type).exists():
        raise RelationTypeInUse()
    audit_record(
        actor=member.user,
        action="relation_type.delete",
        obj=relation_type,
        project_id=relation_type.project_id,
        before=_with_ends(relation_type, end_labels(relation_type)),
    )
    relation_type.delete()
    codebook_bump(member=member)
