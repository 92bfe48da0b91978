"""Project statistics: counts of documents and spans per annotator, per label and per source."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import Length

from annotator.choices import AssignmentStatus, Role
from annotator.models import Assignment, Document, Label, Member, Span
from annotator.permissions import sees_all_spans


def project_stats(*, member):
    """SPEC's stats shape for `member`'s project, and per source the framing profile: spans per label per 1,000
    characters of the source's text. In a blind project an annotator's figures count their own spans and
    assignments only. A fixed handful of aggregate queries whatever the project's size."""
    project = member.project
    spans = Span.objects.filter(document__project=project)
    assignments = Assignment.objects.filter(document__project=project)
    if not sees_all_spans(member):
        spans = spans.filter(annotator_id=member.user_id)
        assignments = assignments.filter(user_id=member.user_id)
    per_user = dict(
        spans.values_list("annotator__username").annotate(n=Count("id")).values_list("annotator__username", "n")
    )
    assignment_counts = {
        username: (assigned, submitted)
        for username, assigned, submitted in assignments.values_list("user__username")
        .annotate(assigned=Count("id"), submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)))
        .values_list("user__username", "assigned", "submitted")
    }
    members = Member.objects.filter(project=project, role=Role.ANNOTATOR)
    if not sees_all_spans(member):
        members = members.filter(user_id=member.user_id)
    annotator_names = set(members.values_list("user__username", flat=True))
    annotators = [
        {
            "username": name,
            "assigned": assignment_counts.get(name, (0, 0))[0],
            "submitted": assignment_counts.get(name, (0, 0))[1],
            "spans": per_user.get(name, 0),
        }
        for name in sorted(annotator_names | per_user.keys() | assignment_counts.keys())
    ]
    per_label = dict(spans.values_list("label_id").annotate(n=Count("id")).values_list("label_id", "n"))
    labels = [
        {"label": pk, "name": name, "spans": per_label.get(pk, 0)}
        for pk, name in Label.objects.filter(project=project).order_by("id").values_list("id", "name")
    ]
    per_source = defaultdict(lambda: {"documents": 0, "characters": 0, "spans": 0, "labels": {}})
    for source, n, characters in (
        Document.objects.filter(project=project)
        .values_list("source")
        .annotate(n=Count("id"), characters=Sum(Length("text")))
        .values_list("source", "n", "characters")
    ):
        per_source[source]["documents"] = n
        per_source[source]["characters"] = characters or 0
    for source, name, n in (
        spans.values_list("document__source", "label__name")
        .annotate(n=Count("id"))
        .values_list("document__source", "label__name", "n")
    ):
        per_source[source]["spans"] += n
        per_source[source]["labels"][name] = n
    for row in per_source.values():
        thousands = row["characters"] / 1000
        row["labels_per_1000_characters"] = {
            name: round(n / thousands, 3) if thousands else None for name, n in row["labels"].items()
        }
    sources = [{"source": source, **per_source[source]} for source in sorted(per_source)]
    return {
        "documents": sum(row["documents"] for row in sources),
        "spans": sum(row["spans"] for row in sources),
        "annotators": annotators,
        "labels": labels,
        "sources": sources,
    }
