"""Reads for reviewers: the review queue, the documents that most need a reviewer first."""

from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr

from annotator.choices import AssignmentStatus, ReviewStatus
from annotator.metrics.relations import End, exact_holders
from annotator.metrics.relations import Relation as RelationTuple
from annotator.models import Assignment, Document, Span
from annotator.selectors.agreement import document_disagreement
from annotator.selectors.figures import stored_agreement

EXCERPT = 120


def review_queue(*, project):
    """Documents of `project` that an annotator submitted or has spans on, with `submitted`, `spans_count`,
    `reviewed` (its spans no longer pending) and `f1` (mean pairwise exact span F1 between its annotators; None
    with fewer than two): lowest F1 first, then the documents with a single annotator, each group in id order.
    Three queries whatever the project's size."""
    rows = list(
        Document.objects.filter(project=project)
        .annotate(
            submitted=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED), distinct=True),
            spans_count=Count("spans", distinct=True),
            reviewed=Count("spans", filter=~Q(spans__review_status=ReviewStatus.PENDING), distinct=True),
            excerpt=Substr("text", 1, EXCERPT),
        )
        .filter(Q(submitted__gt=0) | Q(spans_count__gt=0))
        .order_by("id")
        .values("id", "title", "source", "excerpt", "submitted", "spans_count", "reviewed")
    )
    return _in_review_order(rows, _agreement(project))


def _agreement(project):
    """{document id: the figure the queue sorts by}: the stored per-document overlap span F1 (SPEC: the order of
    `?by=document`, one query) once the figures refresh has run for the project; before that (a small project
    whose figures are computed in the request) the mean pairwise exact F1 of everyone's work, read here."""
    stored = stored_agreement(project=project)
    if stored is not None:
        return stored
    return document_disagreement(project=project, include_unsubmitted=True)


def _in_review_order(rows, f1):
    for row in rows:
        row["f1"] = f1.get(row["id"])
    return sorted(rows, key=lambda row: (row["f1"] is None, row["f1"] if row["f1"] is not None else 0, row["id"]))


def review_neighbours(*, project, document):
    """(previous, next, (position, count)) of `document` in the review queue's order; (None, None, None) when it is
    not in the queue. The order rests on every queued document's F1, so this reads the project's spans (no text,
    no counts): two queries and the spans' F1, not the queue's rows."""
    queued = Document.objects.filter(project=project).filter(
        Exists(Assignment.objects.filter(document=OuterRef("pk"), status=AssignmentStatus.SUBMITTED))
        | Exists(Span.objects.filter(document=OuterRef("pk")))
    )
    rows = [{"id": pk} for pk in queued.values_list("id", flat=True)]
    f1 = _agreement(project)
    ids = [row["id"] for row in _in_review_order(rows, f1)]
    if document.pk not in ids:
        return None, None, None
    here = ids.index(document.pk)
    previous = ids[here - 1] if here else None
    following = ids[here + 1] if here + 1 < len(ids) else None
    return previous, following, (here + 1, len(ids))


def relation_holders(*, spans, relations):
    """{relation id: how many annotators drew it exactly} (metrics.relations.exact_holders: same type, ends of the
    same label, start and end) for a review page's `spans` and `relations` (representations' span_json and
    relation_json). 1: no other annotator has it. No query: the page has read both already."""
    ends = {span["id"]: End(span["label"], span["start"], span["end"]) for span in spans}
    by_annotator = {}
    for row in relations:
        if row["from_span"] in ends and row["to_span"] in ends:
            relation = RelationTuple(row["type"], ends[row["from_span"]], ends[row["to_span"]])
            by_annotator.setdefault(row["annotator"], []).append((row["id"], relation))
    counts = exact_holders({name: [relation for _, relation in rows] for name, rows in by_annotator.items()})
    return {pk: count for name, rows in by_annotator.items() for (pk, _), count in zip(rows, counts[name], strict=True)}


def answer_agreement(*, answers):
    """{question id: "agree" or "disagree"} for each question that two or more annotators answered among a review
    page's `answers` (representations' answer_json): "disagree" when their values differ (a multi answer's options
    as a set). No query: the page has read the answers already."""
    answered = Counter(row["question"] for row in answers)
    values = {}
    for row in answers:
        value = row["value"]
        values.setdefault(row["question"], set()).add(frozenset(value) if isinstance(value, list) else value)
    return {pk: "agree" if len(distinct) == 1 else "disagree" for pk, distinct in values.items() if answered[pk] > 1}
