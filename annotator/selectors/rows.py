"""A document's rows read with SQL that Django compiled once: the hottest lists, spans and relations, without
building their query on every request."""

from functools import cache

from django.db import connection

from annotator.permissions import sees_all_spans


class DocumentRows:
    """`rows(model.objects.visible_to(member).filter(document=document))` read with SQL that Django compiled once
    (per database and visibility rule) rather than on every request, where building the query was a fifth of a
    span list's time. Slicing runs the query with LIMIT and OFFSET and gives its rows (dicts, as the queryset's);
    count() counts them. What the API lists when no filter is asked for; a filter needs the queryset. A subclass
    names its `model` (whose visible_to is querysets.py's rule: an annotator of a blind project reads only their
    own rows) and its `rows` (a queryset to its ordered `values()`)."""

    model = None
    _DOCUMENT, _USER = -1, -2  # stand-ins for the ids while the query is compiled

    @staticmethod
    def rows(queryset):
        raise NotImplementedError

    def __init__(self, *, member, document):
        self.own_only = not sees_all_spans(member)
        self.values = {self._DOCUMENT: document.pk, self._USER: member.user_id}

    @classmethod
    @cache
    def _sql(cls, vendor, own_only):
        """(SELECT …, COUNT, the stand-ins in the order of the parameters)."""
        queryset = cls.model.objects.filter(document_id=cls._DOCUMENT)
        if own_only:
            queryset = queryset.filter(annotator_id=cls._USER)
        sql, params = cls.rows(queryset).query.sql_with_params()
        count_sql, count_params = queryset.values("id").query.sql_with_params()
        if not {*params, *count_params} <= {cls._DOCUMENT, cls._USER}:
            raise AssertionError(f"unexpected parameters {params!r} in the {cls.__name__} query")
        # Django compiled both from the models; the only values are the stand-ins, passed as parameters.
        return sql, f"SELECT COUNT(*) FROM ({count_sql}) rows", list(params), list(count_params)  # noqa: S608

    def _compiled(self):
        return self._sql(connection.vendor, self.own_only)

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None or (item.start or 0) < 0 or item.stop is None:
            raise TypeError(f"{type(self).__name__} takes a slice [start:stop]")
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
