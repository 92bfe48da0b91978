"""Reads of spans and gold spans of one document."""

from django.db.models import F

from annotator.dbfunctions import IsoUtc
from annotator.models import GoldSpan, Span
from annotator.selectors.rows import DocumentRows

# The columns of a span row as span_list yields it: every Span column but the users (the row names them) and the
# times (the row has them formatted); representations.span_json chooses what the API shows of them.
SPAN_ROW_FIELDS = tuple(
    field.attname
    for field in Span._meta.concrete_fields
    if field.attname not in {"annotator_id", "reviewed_by_id", "reviewed_at", "created_at", "updated_at"}
)


def span_list(*, member, document):
    """Rows (dicts of SPAN_ROW_FIELDS, annotator_name, reviewer_name, and created_at_iso and updated_at_iso as
    the API writes them) of the spans of `document` that `member` may see, by start, end, id. Rows, not models,
    with the timestamps formatted by the database: a long article's spans are the hottest read."""
    return _span_rows(Span.objects.visible_to(member).filter(document=document))


def _span_rows(queryset):
    return queryset.order_by("start", "end", "id").values(
        *SPAN_ROW_FIELDS,
        annotator_name=F("annotator__username"),
        reviewer_name=F("reviewed_by__username"),
        created_at_iso=IsoUtc("created_at"),
        updated_at_iso=IsoUtc("updated_at"),
    )


class SpanRows(DocumentRows):
    """span_list(member=..., document=...) with SQL compiled once (rows.DocumentRows)."""

    model = Span
    rows = staticmethod(_span_rows)


def gold_list(*, document):
    """The gold layer of `document`, by start, end, id."""
    return GoldSpan.objects.filter(document=document).select_related("created_by").order_by("start", "end", "id")
