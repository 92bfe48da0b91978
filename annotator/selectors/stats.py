"""Project statistics: counts of documents and spans per annotator, per label and per source."""

from collections import defaultdict

from django.db.models import Count, Q

from annotator.models import Assignment, AssignmentStatus, Document, Label, Member, Role, Span


def project_stats(*, project):
    """SPEC's stats shape; a fixed handful of aggregate queries whatever the project's size."""
    spans = Span.objects.filter(document__project=project)
    per_user = dict(
        spans.values_list("annotator__username").annotate(n=Count("id")).values_list("annotator__username", "n")
    )
    assignment_counts = {
        username: (assigned, submitted)
        for username, assigned, submitted in Assignment.objects.filter(document__project=project)
        .values_list("user__username")
        .annotate(assigned=Count("id"), submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)))
        .values_list("user__username", "assigned", "submitted")
    }
    annotator_names = set(
        Member.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user__username", flat=True)
    )
    annotators = [
        {
            "username": name,
            "assigned": assignment_counts.get(name, (0, 0))[0],
            "submitted": assignment_counts.get(name, (0, 0))[1],
            "spans": per_user.get(name, 0),
        }
        for name in sorted(annotator_names | per_user.keys() | assignment_counts.keys())
    ]
    labels = [
        {"label": pk, "name": name, "spans": n}
        for pk, name, n in Label.objects.filter(project=project)
        .annotate(n=Count("spans"))
        .order_by("id")
        .values_list("id", "name", "n")
    ]
    per_source = defaultdict(lambda: {"documents": 0, "spans": 0, "labels": {}})
    for source, n in (
        Document.objects.filter(project=project)
        .values_list("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    ):
        per_source[source]["documents"] = n
    for source, name, n in (
        spans.values_list("document__source", "label__name")
        .annotate(n=Count("id"))
        .values_list("document__source", "label__name", "n")
    ):
        per_source[source]["spans"] += n
        per_source[source]["labels"][name] = n
    sources = [{"source": source, **per_source[source]} for source in sorted(per_source)]
    return {
        "documents": sum(row["documents"] for row in sources),
        "spans": sum(row["spans"] for row in sources),
        "annotators": annotators,
        "labels": labels,
        "sources": sources,
    }
