"""Reads of a project's codebook versions."""

from django.db.models import Q, Subquery

from annotator.errors import NotFound
from annotator.models import CodebookVersion, Member


def codebook_version_list(*, project_id):
    """The versions of project `project_id`'s codebook, newest first (the history a settings page shows), with
    their makers; the snapshots are left unread."""
    return (
        CodebookVersion.objects.filter(project_id=project_id)
        .select_related("created_by")
        .defer("snapshot")
        .order_by("-number")
    )


def codebook_version_get(*, project_id, number):
    """Version `number` of project `project_id`'s codebook, with its maker; NotFound for any other number."""
    version = (
        CodebookVersion.objects.filter(project_id=project_id, number=number).select_related("created_by").first()
    )
    if version is None:
        raise NotFound(f"This codebook has no version {number}.")
    return version


def guidelines_versions(*, member):
    """(current, read, then, now) for the member's annotate page, in one query whatever the number of versions:
    the current version's number, the version whose guidelines the member last opened (None: never), and the
    snapshots of both (`then` None unless `read` is an older version than the current one)."""
    current = member.project.codebook_version
    read = Subquery(Member.objects.filter(pk=member.pk).values("guidelines_read_version")[:1])
    rows = {
        number: (read_number, snapshot)
        for number, read_number, snapshot in CodebookVersion.objects.filter(project_id=member.project_id)
        .filter(Q(number=current) | Q(number=read))
        .annotate(read=read)
        .values_list("number", "read", "snapshot")
    }
    read_number, now = rows[current]
    older = read_number is not None and read_number < current
    then = rows[read_number][1] if older and read_number in rows else None
    return current, read_number, then, now
