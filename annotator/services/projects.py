"""Projects: create (its creator becomes owner, labels, relation types and questions from a preset), change,
delete."""

from django.db import transaction

from annotator.choices import Role
from annotator.errors import InvalidInput
from annotator.models import AuditEvent, Label, Member, Project, Question, RelationType, RelationTypeLabel
from annotator.presets import PRESETS, QUESTION_PRESETS, RELATION_PRESETS
from annotator.services.assignments import assignment_fill
from annotator.services.audit import audit_event, audit_record, snapshot
from annotator.services.codebook import codebook_bump, codebook_first

PROJECT_FIELDS = ("name", "description", "guidelines", "blind", "annotators_per_document")


@transaction.atomic
def project_create(*, user, name, label_preset=None, **fields):
    """Create a project owned by `user`; with `label_preset`, start it with that preset's labels, relation types and
    questions."""
    if label_preset is not None and label_preset not in PRESETS:
        raise InvalidInput({"label_preset": [f"Unknown preset {label_preset!r}; choose one of {sorted(PRESETS)}."]})
    project = Project.objects.create(name=name, created_by=user, **fields)
    owner = Member.objects.create(project=project, user=user, role=Role.OWNER)
    labels = Label.objects.bulk_create(Label(project=project, **spec) for spec in PRESETS.get(label_preset, []))
    events = [
        audit_event(actor=user, action="project.create", obj=project, project_id=project.pk, after=snapshot(project))
    ]
    events.append(
        audit_event(actor=user, action="member.create", obj=owner, project_id=project.pk, after=snapshot(owner))
    )
    events += [
        audit_event(actor=user, action="label.create", obj=label, project_id=project.pk, after=snapshot(label))
        for label in labels
    ]
    events += _preset_relation_types(user, project, labels, RELATION_PRESETS.get(label_preset, []))
    questions = Question.objects.bulk_create(
        Question(project=project, **spec) for spec in QUESTION_PRESETS.get(label_preset, [])
    )
    events += [
        audit_event(actor=user, action="question.create", obj=question, project_id=project.pk, after=snapshot(question))
        for question in questions
    ]
    first = codebook_first(user=user, project=project)
    first.save(force_insert=True)
    events.append(
        audit_event(
            actor=user,
            action="codebook_version.create",
            obj=first,
            project_id=project.pk,
            after={"number": 1, "changes": []},
        )
    )
    AuditEvent.objects.bulk_create(events)
    return project


def _preset_relation_types(user, project, labels, specs):
    """Store the preset's relation types `specs` in `project`, their ends by the names of `labels`; return their
    audit events (each type's with the labels of its ends, as relation_type_create writes it)."""
    by_name = {label.name: label.pk for label in labels}
    fields = ("name", "key", "color", "description")
    types = RelationType.objects.bulk_create(
        RelationType(project=project, **{name: spec[name] for name in fields}) for spec in specs
    )
    ends = [
        (relation_type, end, by_name[name])
        for relation_type, spec in zip(types, specs, strict=True)
        for end in ("from", "to")
        for name in spec[f"{end}_labels"]
    ]
    RelationTypeLabel.objects.bulk_create(RelationTypeLabel(type=t, end=end, label_id=label) for t, end, label in ends)
    return [
        audit_event(
            actor=user,
            action="relation_type.create",
            obj=relation_type,
            project_id=project.pk,
            after={
                **snapshot(relation_type),
                **{
                    f"{end}_labels": sorted(label for t, e, label in ends if t is relation_type and e == end)
                    for end in ("from", "to")
                },
            },
        )
        for relation_type in types
    ]


@transaction.atomic
def project_update(*, member, **changes):
    """Change a project's settings; raising annotators_per_document assigns the documents now short."""
    project = member.project
    before = snapshot(project)
    for name, value in changes.items():
        setattr(project, name, value)
    # Only the fields changed: codebook_version is codebook_bump's, and this Project may have been read before it.
    project.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=member.user,
        action="project.update",
        obj=project,
        project_id=project.pk,
        before=before,
        after=snapshot(project),
    )
    if "annotators_per_document" in changes:
        assignment_fill(project=project)
    if "guidelines" in changes:
        codebook_bump(member=member)
    return project


@transaction.atomic
def project_delete(*, member):
    """Delete a project with everything in it; its audit trail stays."""
    project = member.project
    before = snapshot(project)
    audit_record(actor=member.user, action="project.delete", obj=project, project_id=project.pk, before=before)
    project.delete()
