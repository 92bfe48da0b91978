"""Reads of projects for the pages: a user's projects with counts, in a fixed number of queries."""

from django.db.models import Count, Q

from annotator.models import AssignmentStatus, Project


def project_overview(*, user):
    """`user`'s projects by name, each with `role`, `documents`, and the user's own `assigned` and `submitted`."""
    mine = Q(documents__assignments__user=user)
    return (
        Project.objects.for_user(user)
        .annotate(
            documents_count=Count("documents", distinct=True),
            assigned=Count("documents__assignments", filter=mine, distinct=True),
            submitted=Count(
                "documents__assignments",
                filter=mine & Q(documents__assignments__status=AssignmentStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("name", "id")
    )
