"""Reads of documents: a project's list with each document's assignments, and its filters."""

from typing import NamedTuple

from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr

from annotator.choices import AssignmentStatus, Role
from annotator.models import Assignment, Document, GoldSpan, Span
from annotator.permissions import sees_all_spans

# How much of a document's text a list row carries, for documents without a title.
EXCERPT = 200


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


def document_search(*, member, q=None, status=None, annotator=None, source=None, sort=None):
    """The documents of the member's project the documents page lists, in id order (`sort="agreement"`: by the
    kept per-document overlap F1, the lowest first, documents without it last, as the review queue orders them):
    an annotator's own (status then means theirs), everyone else's all, narrowed to `annotator` (a user id) as
    document_filter does, and to an exact `source`. Rows defer the text and carry its first characters as
    `excerpt`, and with the agreement order their overlap F1 as `agreement`."""
    assigned_to = member.user_id if member.role == Role.ANNOTATOR else annotator
    documents = (
        Document.objects.filter(project_id=member.project_id)
        .defer("text", "metadata")
        .annotate(excerpt=Substr("text", 1, EXCERPT))
        .order_by("id")
    )
    if source is not None:
        documents = documents.filter(source=source)
    if sort == "agreement":
        agreement = F("figures__span_f1_overlap")
        documents = documents.annotate(agreement=agreement).order_by(agreement.asc(nulls_last=True), "id")
    return document_filter(documents, assigned_to=assigned_to, status=status, q=q)


def document_sources(*, member):
    """The distinct sources of the documents `member` lists (an annotator's own), sorted, blanks left out."""
    documents = Document.objects.filter(project_id=member.project_id).exclude(source="")
    if member.role == Role.ANNOTATOR:
        documents = documents.filter(assignments__user_id=member.user_id)
    return list(documents.order_by("source").values_list("source", flat=True).distinct())


def document_workers(*, member, documents):
    """For each of `documents` (one page of them), who works on it: {document id: [{username, status, spans}]}
    by username, every assignee (status None for a span author not assigned) with their span count. In a
    blind project an annotator learns only about themself. Two queries, whatever the page's length."""
    ids = [document.pk for document in documents]
    assignments = Assignment.objects.filter(document_id__in=ids)
    spans = Span.objects.visible_to(member).filter(document_id__in=ids)
    if not sees_all_spans(member):
        assignments = assignments.filter(user_id=member.user_id)
    workers = {pk: {} for pk in ids}
    for document_id, username, status in assignments.values_list("document_id", "user__username", "status"):
        workers[document_id][username] = {"username": username, "status": status, "spans": 0}
    for document_id, username, n in (
        spans.values_list("document_id", "annotator__username")
        .annotate(n=Count("id"))
        .values_list("document_id", "annotator__username", "n")
    ):
        workers[document_id].setdefault(username, {"username": username, "status": None, "spans": 0})["spans"] = n
    return {pk: sorted(people.values(), key=lambda row: row["username"]) for pk, people in workers.items()}


def _count_of(model):
    rows = model.objects.filter(document=OuterRef("pk")).order_by().values("document").annotate(n=Count("*"))
    return Coalesce(Subquery(rows.values("n")), 0)


def document_annotation_counts(*, documents):
    """For each of `documents` (one page of them), what points into its text: {document id: {"spans", "gold"}},
    every annotator's spans and the gold spans. Its text may change only while both are 0. One query."""
    rows = (
        Document.objects.filter(pk__in=[document.pk for document in documents])
        .annotate(span_count=_count_of(Span), gold_count=_count_of(GoldSpan))
        .values_list("pk", "span_count", "gold_count")
    )
    return {pk: {"spans": spans, "gold": gold} for pk, spans, gold in rows}


def document_queue(*, member, limit):
    """Up to `limit` of the documents assigned to `member` in their project, as rows (document_id, title,
    excerpt, status): the open ones (not yet submitted) first, then the submitted, each group in id order."""
    submitted_last = Case(When(status=AssignmentStatus.SUBMITTED, then=Value(1)), default=Value(0))
    return list(
        Assignment.objects.filter(user_id=member.user_id, document__project_id=member.project_id)
        .order_by(submitted_last, "document_id")
        .values(
            "document_id",
            "status",
            title=F("document__title"),
            excerpt=Substr("document__text", 1, EXCERPT),
        )[:limit]
    )


class QueuePlace(NamedTuple):
    """Where a document stands in a member's own queue (the documents assigned to them, by id)."""

    previous: int | None  # the ids around the document; None past either end
    next: int | None
    assigned: bool  # whether the document is in the queue at all
    status: str | None  # the member's assignment status on it
    open_elsewhere: int  # how many other documents of the queue are not submitted yet
    first_open: int | None  # the first of those


def document_neighbours(*, member, document):
    """The QueuePlace of `document` in the member's queue. One query, whatever the queue's length."""
    here, elsewhere = Q(document_id=document.pk), ~Q(document_id=document.pk)
    still_open = elsewhere & ~Q(status=AssignmentStatus.SUBMITTED)
    figures = Assignment.objects.filter(user_id=member.user_id, document__project_id=member.project_id).aggregate(
        previous=Max("document_id", filter=Q(document_id__lt=document.pk)),
        following=Min("document_id", filter=Q(document_id__gt=document.pk)),
        status_here=Max("status", filter=here),
        open_elsewhere=Count("id", filter=still_open),
        first_open=Min("document_id", filter=still_open),
    )
    assigned = figures["status_here"] is not None
    if not assigned:  # outside the queue, the document has no neighbours in it
        figures["previous"] = figures["following"] = None
    return QueuePlace(
        figures["previous"],
        figures["following"],
        assigned,
        figures["status_here"],
        figures["open_elsewhere"],
        figures["first_open"],
    )


def document_title(*, document_id):
    """The title of document `document_id` ("" when it has none)."""
    return Document.objects.filter(pk=document_id).values_list("title", flat=True).get()


def document_statuses(*, document):
    """{username: status} of the document's assignments."""
    return dict(Assignment.objects.filter(document=document).values_list("user__username", "status"))
