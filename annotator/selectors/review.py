"""Reads for reviewers: the review queue, the documents that most need a reviewer first."""

from django.db.models import Count, Q
from django.db.models.functions import Substr

from annotator.choices import AssignmentStatus
from annotator.models import Document
from annotator.selectors.agreement import document_disagreement

EXCERPT = 120


def review_queue(*, project):
    """Documents of `project` that an annotator submitted or has spans on, with `submitted`, `spans` and `f1`
    (mean pairwise exact span F1 between its annotators; None with fewer than two): lowest F1 first, then the
    documents with a single annotator, each group in id order. Three queries whatever the project's size."""
    rows = list(
        Document.objects.filter(project=project)
        .annotate(
            submitted=Count(
                "assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED), distinct=True
            ),
            spans_count=Count("spans", distinct=True),
            excerpt=Substr("text", 1, EXCERPT),
        )
        .filter(Q(submitted__gt=0) | Q(spans_count__gt=0))
        .order_by("id")
        .values("id", "title", "source", "excerpt", "submitted", "spans_count")
    )
    f1 = document_disagreement(project=project, include_unsubmitted=True)
    for row in rows:
        row["f1"] = f1.get(row["id"])
    return sorted(rows, key=lambda row: (row["f1"] is None, row["f1"] if row["f1"] is not None else 0, row["id"]))
