"""Reads of a project's codebook versions."""

from annotator.errors import NotFound
from annotator.models import CodebookVersion


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
