"""Reads of spans and gold spans of one document."""

from django.db.models import F

from annotator.models import GoldSpan, Span


def span_list(*, member, document):
    """Spans of `document` that `member` may see, by start, end, id, with annotator and reviewer usernames."""
    return (
        Span.objects.visible_to(member)
        .filter(document=document)
        .annotate(annotator_name=F("annotator__username"), reviewer_name=F("reviewed_by__username"))
        .order_by("start", "end", "id")
    )


def gold_list(*, document):
    """The gold layer of `document`, by start, end, id."""
    return GoldSpan.objects.filter(document=document).select_related("created_by").order_by("start", "end", "id")
