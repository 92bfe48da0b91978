"""Reads of projects for the pages: a user's projects with counts, in a fixed number of queries."""

from collections import defaultdict

from django.db.models import Count, Q

from annotator.choices import AssignmentStatus, Role
from annotator.models import Assignment, Document, Label, Member, Project, Span
from annotator.permissions import sees_all_spans

STATUSES = AssignmentStatus.values


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


def assignment_counts(*, project_id, user_id=None):
    """[(user id, username, status, assignments)] of the project's assignments (only `user_id`'s if given): what
    project_progress counts, and what the figures refresh keeps for it (ProjectFigures.PROGRESS). One query."""
    assignments = Assignment.objects.filter(document__project_id=project_id)
    if user_id is not None:
        assignments = assignments.filter(user_id=user_id)
    return [
        tuple(row)
        for row in assignments.values_list("user_id", "user__username", "status")
        .annotate(n=Count("id"))
        .values_list("user_id", "user__username", "status", "n")
    ]


def project_progress(*, member, stats=None, counts=None):
    """The member's project in figures for its overview page, in a fixed six queries: `documents`, `spans`,
    `annotators` (per user by username: `total` assigned documents, how many `assigned` (not started),
    `in_progress`, `submitted`, and `spans`), `labels` (each with its colour and spans) and `sources`.
    Spans are those the member may see: a blind project's annotator counts only their own, and of the
    annotators sees only their own row. With `stats` (project_stats' answer for a member who sees every span, as
    the figures cache keeps it), the span counts come from there, and with `counts` too (assignment_counts' rows as
    the cache keeps them) the assignments: two queries, none of them over the spans or the assignments."""
    project_id = member.project_id
    everyone = sees_all_spans(member)
    spans = Span.objects.visible_to(member).filter(document__project_id=project_id)
    annotators = Member.objects.filter(project_id=project_id, role=Role.ANNOTATOR)
    if not everyone:
        annotators = annotators.filter(user_id=member.user_id)

    people = {}

    def person(user_id, username):
        return people.setdefault(user_id, {"username": username, "total": 0, "spans": 0, **dict.fromkeys(STATUSES, 0)})

    for user_id, username in annotators.values_list("user_id", "user__username"):
        person(user_id, username)
    cached = stats is not None and everyone
    if cached and counts is None:
        counts = assignment_counts(project_id=project_id)
    for user_id, username, status, n in counts if cached else assignment_counts(
        project_id=project_id, user_id=None if everyone else member.user_id
    ):
        row = person(user_id, username)
        row[status] += n
        row["total"] += n
    if cached:
        by_name = {row["username"]: row for row in people.values()}
        for row in stats["annotators"]:
            if row["spans"]:
                found = by_name.get(row["username"]) or person(row["username"], row["username"])
                found["spans"] = row["spans"]
    else:
        for user_id, username, n in (
            spans.values_list("annotator_id", "annotator__username")
            .annotate(n=Count("id"))
            .values_list("annotator_id", "annotator__username", "n")
        ):
            person(user_id, username)["spans"] = n

    mine = {} if everyone else {"filter": Q(spans__annotator_id=member.user_id)}
    if cached:
        label_spans = {row["label"]: row["spans"] for row in stats["labels"]}
        labels = [
            {"id": pk, "name": name, "color": color, "active": active, "spans": label_spans.get(pk, 0)}
            for pk, name, color, active in Label.objects.filter(project_id=project_id)
            .order_by("id")
            .values_list("id", "name", "color", "active")
        ]
    else:
        labels = [
            {"id": pk, "name": name, "color": color, "active": active, "spans": n}
            for pk, name, color, active, n in Label.objects.filter(project_id=project_id)
            .annotate(n=Count("spans", **mine))
            .order_by("id")
            .values_list("id", "name", "color", "active", "n")
        ]

    per_source = defaultdict(lambda: {"documents": 0, "spans": 0})
    if cached:
        for row in stats["sources"]:
            per_source[row["source"]].update(documents=row["documents"], spans=row["spans"])
    else:
        for source, n in (
            Document.objects.filter(project_id=project_id)
            .values_list("source")
            .annotate(n=Count("id"))
            .values_list("source", "n")
        ):
            per_source[source]["documents"] = n
        for source, n in (
            spans.values_list("document__source").annotate(n=Count("id")).values_list("document__source", "n")
        ):
            per_source[source]["spans"] = n
    sources = [{"source": source, **per_source[source]} for source in sorted(per_source)]

    return {
        "documents": sum(row["documents"] for row in sources),
        "spans": sum(row["spans"] for row in sources),
        "annotators": sorted(people.values(), key=lambda row: row["username"]),
        "labels": labels,
        "sources": sources,
    }


def project_heading(*, project_id):
    """Project `project_id` with its name and guidelines (Markdown) loaded: what a document's page shows of it, as
    access loads a project with its blind flag alone."""
    return Project.objects.only("id", "name", "guidelines").get(pk=project_id)


def member_list(*, project_id):
    """The members of project `project_id` with their users, by id."""
    return Member.objects.filter(project_id=project_id).select_related("user").order_by("id")


def annotator_ids(*, project_id):
    """{username: user id} of the project's annotators, by username."""
    return dict(
        Member.objects.filter(project_id=project_id, role=Role.ANNOTATOR)
        .order_by("user__username")
        .values_list("user__username", "user_id")
    )
