"""Reads of spans and gold spans of one document."""

from django.db.models import F

from annotator.dbfunctions import IsoUtc
from annotator.models import GoldSpan, Span

# The columns of a span row, as span_list yields it and the API writes it out.
SPAN_ROW_FIELDS = (
    "id", "document_id", "label_id", "start", "end", "note", "review_status", "review_comment", "version",
)  # fmt: skip


def iso(value):
    """ISO 8601 as DRF writes it (UTC as Z), without a serializer field per value."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def span_list(*, member, document):
    """Rows (dicts of SPAN_ROW_FIELDS, annotator_name, reviewer_name, and created_at_iso and updated_at_iso as
    the API writes them) of the spans of `document` that `member` may see, by start, end, id. Rows, not models,
    with the timestamps formatted by the database: a long article's spans are the hottest read."""
    return (
        Span.objects.visible_to(member)
        .filter(document=document)
        .order_by("start", "end", "id")
        .values(
            *SPAN_ROW_FIELDS,
            annotator_name=F("annotator__username"),
            reviewer_name=F("reviewed_by__username"),
            created_at_iso=IsoUtc("created_at"),
            updated_at_iso=IsoUtc("updated_at"),
        )
    )


def span_row(span):
    """A Span model as the row span_list yields for it."""
    row = {name: getattr(span, name) for name in SPAN_ROW_FIELDS}
    row["annotator_name"] = span.annotator.username
    row["reviewer_name"] = span.reviewed_by.username if span.reviewed_by_id else None
    row["created_at_iso"] = iso(span.created_at)
    row["updated_at_iso"] = iso(span.updated_at)
    return row


def gold_list(*, document):
    """The gold layer of `document`, by start, end, id."""
    return GoldSpan.objects.filter(document=document).select_related("created_by").order_by("start", "end", "id")
