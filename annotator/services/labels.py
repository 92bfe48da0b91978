"""Labels: names and keys unique in their project; a label that spans use is deactivated, never deleted."""

from django.db import transaction

from annotator.errors import InvalidInput, LabelInUse
from annotator.models import GoldSpan, Label, RelationTypeLabel, Span, Suggestion
from annotator.selectors.jobs import recommenders_naming
from annotator.services.audit import audit_record, snapshot
from annotator.services.codebook import codebook_batch, codebook_bump

# Distinct, readable behind black text; a new label without a colour takes the next one.
PALETTE = ("#ffd966", "#9fc5e8", "#b6d7a8", "#f4cccc", "#d9d2e9", "#f9cb9c", "#a2c4c9", "#ead1dc", "#c9daf8", "#d9ead3")


def _check_unique(project, *, name=None, key=None, exclude_pk=None):
    others = Label.objects.filter(project=project).exclude(pk=exclude_pk)
    errors = {}
    if name is not None and others.filter(name=name).exists():
        errors["name"] = [f"This project already has a label named {name!r}."]
    if key and others.filter(key=key).exists():
        errors["key"] = [f"The key {key!r} is already taken by another label of this project."]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def label_create(*, member, name, key="", color=None, description=""):
    """Add a label to the member's project; InvalidInput if its name or key is taken."""
    project = member.project
    _check_unique(project, name=name, key=key)
    if color is None:
        color = PALETTE[Label.objects.filter(project=project).count() % len(PALETTE)]
    label = Label.objects.create(project=project, name=name, key=key, color=color, description=description)
    audit_record(actor=member.user, action="label.create", obj=label, project_id=project.pk, after=snapshot(label))
    codebook_bump(member=member)
    return label


@transaction.atomic
def label_create_many(*, member, items):
    """Create each of `items` (keyword arguments of label_create), all or nothing, as one codebook version."""
    with codebook_batch(member):
        return [label_create(member=member, **item) for item in items]


@transaction.atomic
def label_update(*, member, label, **changes):
    """Change a label (deactivate with active=False); InvalidInput if the new name or key is taken."""
    _check_unique(member.project, name=changes.get("name"), key=changes.get("key"), exclude_pk=label.pk)
    before = snapshot(label)
    for name, value in changes.items():
        setattr(label, name, value)
    label.save()
    audit_record(
        actor=member.user,
        action="label.update",
        obj=label,
        project_id=label.project_id,
        before=before,
        after=snapshot(label),
    )
    codebook_bump(member=member)
    return label


@transaction.atomic
def label_delete(*, member, label):
    """Delete an unused label; LabelInUse if any span, gold span or suggestion carries it, or a relation type allows
    it at an end (taking it off the type silently could turn "only Cue" into "any label"), or a recommender's config
    names it (dropping its entries silently would change what the recommender suggests)."""
    if any(model.objects.filter(label=label).exists() for model in (Span, GoldSpan, Suggestion)):
        raise LabelInUse()
    recommenders = recommenders_naming(label)
    if recommenders:
        raise LabelInUse(
            f"Recommender {recommenders[0]!r} names this label in its config; take it out of the config first, or "
            'deactivate the label with {"active": false}.'
        )
    types = sorted(set(RelationTypeLabel.objects.filter(label=label).values_list("type__name", flat=True)))
    if types:
        raise LabelInUse(
            f"Relation type {types[0]!r} allows this label at one of its ends; take it off the type first, or "
            'deactivate the label with {"active": false}.'
        )
    audit_record(
        actor=member.user, action="label.delete", obj=label, project_id=label.project_id, before=snapshot(label)
    )
    label.delete()
    codebook_bump(member=member)
