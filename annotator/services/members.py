"""Members: a user's role in one project. Annotators joining or leaving rebalance the assignments."""

from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.choices import AssignmentStatus, Role
from annotator.errors import Conflict, InvalidInput
from annotator.models import Assignment, Member
from annotator.services.assignments import assignment_fill
from annotator.services.audit import audit_record, snapshot


def _ensure_an_owner_remains(member):
    if member.role == Role.OWNER and not (
        Member.objects.filter(project_id=member.project_id, role=Role.OWNER).exclude(pk=member.pk).exists()
    ):
        raise Conflict("A project needs at least one owner; make someone else owner first.")


def _release_open_assignments(member):
    """An annotator who leaves hands back the documents they have not submitted."""
    Assignment.objects.filter(document__project_id=member.project_id, user_id=member.user_id).exclude(
        status=AssignmentStatus.SUBMITTED
    ).delete()


@transaction.atomic
def member_add(*, actor, username, role):
    """Add `username` to the actor's project with `role`; a new annotator takes documents still short."""
    project = actor.project
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput({"username": [f"There is no user named {username!r}."]})
    if Member.objects.filter(project=project, user=user).exists():
        raise InvalidInput({"username": [f"{username!r} is already a member of this project."]})
    member = Member.objects.create(project=project, user=user, role=role)
    audit_record(actor=actor.user, action="member.create", obj=member, project_id=project.pk, after=snapshot(member))
    if role == Role.ANNOTATOR:
        assignment_fill(project=project)
    return member


@transaction.atomic
def member_update(*, actor, member, role):
    """Change a member's role; the last owner cannot step down."""
    if role == member.role:
        return member
    if role != Role.OWNER:
        _ensure_an_owner_remains(member)
    before = snapshot(member)
    was_annotator = member.role == Role.ANNOTATOR
    member.role = role
    member.save(update_fields=["role"])
    audit_record(
        actor=actor.user,
        action="member.update",
        obj=member,
        project_id=member.project_id,
        before=before,
        after=snapshot(member),
    )
    if was_annotator:
        _release_open_assignments(member)
    if was_annotator or role == Role.ANNOTATOR:
        assignment_fill(project=member.project)
    return member


@transaction.atomic
def member_remove(*, actor, member):
    """Remove a member; their spans stay, their unsubmitted documents go to other annotators."""
    _ensure_an_owner_remains(member)
    audit_record(
        actor=actor.user, action="member.delete", obj=member, project_id=member.project_id, before=snapshot(member)
    )
    was_annotator = member.role == Role.ANNOTATOR
    if was_annotator:
        _release_open_assignments(member)
    member.delete()
    if was_annotator:
        assignment_fill(project=actor.project)
