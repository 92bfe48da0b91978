"""Reads of documents: a project's list with each document's assignments, and its filters."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from annotator.models import Assignment, Document


def document_list(*, project):
    """Documents of `project` in id order, their assignments (with usernames) prefetched."""
    return (
        Document.objects.filter(project=project)
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("user").order_by("id")))
        .order_by("id")
    )


def document_filter(queryset, *, assigned_to=None, status=None, q=None):
    """Keep documents assigned to `assigned_to` (a user id); `status` then means that user's own status,
    and without it, anyone's. `q` searches title, text, external id and source."""
    assignments = Assignment.objects.filter(document=OuterRef("pk"))
    if assigned_to is not None:
        assignments = assignments.filter(user_id=assigned_to)
        queryset = queryset.filter(Exists(assignments))
    if status:
        queryset = queryset.filter(Exists(assignments.filter(status=status)))
    if q:
        queryset = queryset.filter(
            Q(title__icontains=q) | Q(text__icontains=q) | Q(external_id__icontains=q) | Q(source__icontains=q)
        )
    return queryset
