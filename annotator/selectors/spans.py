"""Reads of spans and gold spans of one document."""

from functools import cache

from django.db import connection
from django.db.models import F

from annotator.dbfunctions import IsoUtc
from annotator.models import GoldSpan, Span
from annotator.permissions import sees_all_spans

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


class SpanRows:
    """span_list(member=..., document=...) read with SQL that Django compiled once (per database and visibility
    rule) rather than on every request, where building the query was a fifth of a span list's time. Slicing runs
    the query with LIMIT and OFFSET and gives its rows (dicts, as the queryset's); count() counts them. What the
    API lists when no filter is asked for; a filter needs the queryset."""

    _DOCUMENT, _USER = -1, -2  # stand-ins for the ids while the query is compiled

    def __init__(self, *, member, document):
        self.own_only = not sees_all_spans(member)
        self.values = {self._DOCUMENT: document.pk, self._USER: member.user_id}

    @classmethod
    @cache
    def _sql(cls, vendor, own_only):
        """(SELECT …, COUNT, the stand-ins in the order of the parameters)."""
        queryset = Span.objects.filter(document_id=cls._DOCUMENT)
        if own_only:
            queryset = queryset.filter(annotator_id=cls._USER)
        rows = _span_rows(queryset)
        sql, params = rows.query.sql_with_params()
        count_sql, count_params = queryset.values("id").query.sql_with_params()
        if not {*params, *count_params} <= {cls._DOCUMENT, cls._USER}:
            raise AssertionError(f"unexpected parameters {params!r} in the span list query")
        # Django compiled both from the models; the only values are the stand-ins, passed as parameters.
        return sql, f"SELECT COUNT(*) FROM ({count_sql}) rows", list(params), list(count_params)  # noqa: S608

    def _compiled(self):
        return self._sql(connection.vendor, self.own_only)

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None or (item.start or 0) < 0 or item.stop is None:
            raise TypeError("SpanRows takes a slice [start:stop]")
        sql, _, params, _ = self._compiled()
        start = item.start or 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql} LIMIT %s OFFSET %s", [*(self.values[p] for p in params), max(0, item.stop - start), start]
            )
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def count(self):
        _, sql, _, params = self._compiled()
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.values[p] for p in params])
            return cursor.fetchone()[0]


def gold_list(*, document):
    """The gold layer of `document`, by start, end, id."""
    return GoldSpan.objects.filter(document=document).select_related("created_by").order_by("start", "end", "id")
