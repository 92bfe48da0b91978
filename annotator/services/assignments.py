"""Assignments: which annotators must annotate which document, balanced so the least loaded go first."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from annotator.choices import AssignmentStatus, Role
from annotator.errors import InvalidInput, NotAllowed
from annotator.models import Assignment, Document, Member
from annotator.selectors.questions import unanswered_required
from annotator.services.audit import audit_record, snapshot


def assignment_plan(*, project, documents):
    """The (document id, user id) pairs that bring each of `documents` ({document id: ids of the users it is
    assigned to}, filled in that order) up to annotators_per_document, least loaded annotators first (ties by
    user id). Writes nothing."""
    annotators = list(
        Member.objects.filter(project=project, role=Role.ANNOTATOR)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    wanted = project.annotators_per_document
    documents = {document_id: have for document_id, have in documents.items() if len(have) < wanted}
    if not annotators or not documents:
        return []
    # Counted over the project's documents, not over the annotators' assignments: those span every project they
    # are in, and the databases chose to read them all by user (an import of 10,000 documents slowed as the
    # database grew). Members who are no annotator are counted too and never asked for.
    load = Counter(
        dict(
            Assignment.objects.filter(document__project=project)
            .values_list("user_id")
            .annotate(n=Count("id"))
            .values_list("user_id", "n")
        )
    )
    pairs = []
    for document_id, have in documents.items():
        free = sorted((u for u in annotators if u not in have), key=lambda u: (load[u], u))
        for user_id in free[: wanted - len(have)]:
            pairs.append((document_id, user_id))
            load[user_id] += 1
    return pairs


def assignment_fill(*, project, document_ids=None):
    """Assign every document of `project` (or of `document_ids`) that has fewer than annotators_per_document
    annotators to the least loaded annotators not yet on it (ties by user id). Returns the new assignments."""
    wanted = project.annotators_per_document
    docs = Document.objects.filter(project=project)
    if document_ids is not None:
        docs = docs.filter(pk__in=document_ids)
    short = list(docs.annotate(n=Count("assignments")).filter(n__lt=wanted).order_by("id").values_list("id", flat=True))
    if not short:
        return []
    taken = {document_id: set() for document_id in short}
    for document_id, user_id in Assignment.objects.filter(document_id__in=short).values_list("document_id", "user_id"):
        taken[document_id].add(user_id)
    pairs = assignment_plan(project=project, documents=taken)
    return Assignment.objects.bulk_create(
        [Assignment(document_id=document_id, user_id=user_id) for document_id, user_id in pairs], batch_size=1000
    )


@transaction.atomic
def assignment_create(*, actor, document, username):
    """Assign `document` to the annotator `username`; InvalidInput unless they are an annotator not yet on it."""
    user = get_user_model().objects.filter(username=username).first()
    if (
        user is None
        or not Member.objects.filter(project_id=document.project_id, user=user, role=Role.ANNOTATOR).exists()
    ):
        raise InvalidInput({"username": [f"{username!r} is not an annotator of this project."]})
    if Assignment.objects.filter(document=document, user=user).exists():
        raise InvalidInput({"username": [f"{username!r} is already assigned to this document."]})
    assignment = Assignment.objects.create(document=document, user=user)
    audit_record(
        actor=actor.user,
        action="assignment.create",
        obj=assignment,
        project_id=document.project_id,
        after=snapshot(assignment),
    )
    return assignment


@transaction.atomic
def assignment_delete(*, actor, assignment):
    """Take a document off an annotator's queue; their spans stay."""
    audit_record(
        actor=actor.user,
        action="assignment.delete",
        obj=assignment,
        project_id=actor.project_id,
        before=snapshot(assignment),
    )
    assignment.delete()


@transaction.atomic
def document_submit(*, member, document):
    """Mark the member's work on `document` submitted; NotAllowed unless it is assigned to them; InvalidInput
    naming under `questions` each active required question they have not answered on it."""
    assignment = Assignment.objects.select_for_update().filter(document=document, user_id=member.user_id).first()
    if assignment is None:
        raise NotAllowed("This document is not assigned to you.")
    missing = unanswered_required(document=document, user_id=member.user_id)
    if missing:
        raise InvalidInput({"questions": missing})
    if assignment.status != AssignmentStatus.SUBMITTED:
        before = snapshot(assignment)
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=member.user,
            action="assignment.submit",
            obj=assignment,
            project_id=document.project_id,
            before=before,
            after=snapshot(assignment),
        )
    return assignment


def assignment_start(*, document_id, user_id):
    """The first span an annotator draws moves their assignment from assigned to in_progress."""
    Assignment.objects.filter(document_id=document_id, user_id=user_id, status=AssignmentStatus.ASSIGNED).update(
        status=AssignmentStatus.IN_PROGRESS, updated_at=timezone.now()
    )
