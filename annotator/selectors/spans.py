"""Reads of spans and gold spans of one document."""

from django.db.models import F

from annotator.models import GoldSpan, Span

# The columns of a span row, as span_list yields it and the API writes it out.
SPAN_ROW_FIELDS = (
    "id", "document_id", "label_id", "start", "end", "note", "review_status", "review_comment", "version",
    "created_at", "updated_at",
)  # fmt: skip


def span_list(*, member, document):
    """Rows (dicts of SPAN_ROW_FIELDS, annotator_name, reviewer_name) of the spans of `document` that
    `member` may see, by start, end, id. Rows, not models: a long article's spans are the hottest read."""
    return (
        Span.objects.visible_to(member)
        .filter(document=document)
        .order_by("start", "end", "id")
        .values(*SPAN_ROW_FIELDS, annotator_name=F("annotator__username"), reviewer_name=F("reviewed_by__username"))
    )


def span_row(span):
    """A Span model as the row span_list yields for it."""
    row = {name: getattr(span, name) for name in SPAN_ROW_FIELDS}
    row["annotator_name"] = span.annotator.username
    row["reviewer_name"] = span.reviewed_by.username if span.reviewed_by_id else None
    return row


def gold_list(*, document):
    """The gold layer of `document`, by start, end, id."""
    return GoldSpan.objects.filter(document=document).select_related("created_by").order_by("start", "end", "id")
