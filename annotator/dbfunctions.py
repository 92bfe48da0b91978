"""Database functions Django lacks, written for both databases Slant runs on."""

from django.db.models import Aggregate, CharField, Func, JSONField, TextField

# SQLite takes at most 32,766 parameters in one statement: a list of ids longer than this goes in several.
ID_BATCH = 10_000


def id_batches(ids, size=ID_BATCH):
    """`ids` (any iterable) as lists of at most `size`, for `pk__in` filters that must hold on SQLite too."""
    ids = list(ids)
    for first in range(0, len(ids), size):
        yield ids[first : first + size]


class IsoUtc(Func):
    """A datetime column as the ISO 8601 text the API writes for it: UTC as "Z", the fraction of a second left out
    when it is zero (as Python's isoformat does), so `"2026-03-01T08:30:00.250000Z"` or `"2026-03-01T08:30:00Z"`.

    The database formats it: loading 120 timestamps of a span list into aware datetimes and formatting them again
    took a fifth of the list's time on PostgreSQL (psycopg's text loader with Django's time-zone loader on top).
    """

    arity = 1
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores UTC as "YYYY-MM-DD HH:MM:SS[.ffffff]", the fraction only when it is not zero.
        return self.as_sql(compiler, connection, template="(REPLACE(%(expressions)s, ' ', 'T') || 'Z')")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        utc = f"({sql} AT TIME ZONE 'UTC')"
        whole = """'YYYY-MM-DD"T"HH24:MI:SS"Z"'"""
        fraction = """'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"""
        return (
            f"(CASE WHEN date_trunc('second', {utc}) = {utc} THEN to_char({utc}, {whole}) "
            f"ELSE to_char({utc}, {fraction}) END)",
            params * 4,
        )


class JsonRows(Aggregate):
    """A group's rows as the JSON text of an array holding one array per row, of `columns` (a JSONField column
    embedded as JSON, not as a string); the text "[]" for a group without rows is the caller's to supply (None).

    `ordering` (column names or expressions, ascending) orders the rows where the database can order an aggregate's
    input (PostgreSQL); SQLite 3.40 cannot (ORDER BY in an aggregate came in 3.44), so there the caller sorts each
    group's rows by the same keys, which SQLite's BINARY collation compares as Python compares strings. An export
    read 40,000 spans as 2,000 such rows in 60% of the CPU time that one row a span took (SQLite; 75% PostgreSQL):
    the driver builds one string a document instead of ten objects a span.
    """

    name = "JsonRows"
    output_field = TextField()

    def __init__(self, *columns, ordering=()):
        self.width = len(columns)
        super().__init__(*columns, *ordering)

    @staticmethod
    def ordered(connection):
        """Whether the database orders the rows as `ordering` says (else the caller sorts them)."""
        return connection.vendor == "postgresql"

    def _parts(self, compiler, wrap_json):
        """([column SQL], [ordering SQL], column params, ordering params)."""
        compiled = []
        for index, expression in enumerate(self.get_source_expressions()):
            if expression is None:  # the FILTER clause's place, unused
                continue
            sql, params = compiler.compile(expression)
            if wrap_json and index < self.width and isinstance(expression.output_field, JSONField):
                sql = f"json({sql})"
            compiled.append((sql, list(params)))
        columns, ordering = compiled[: self.width], compiled[self.width :]
        column_params = [param for _, params in columns for param in params]
        ordering_params = [param for _, params in ordering for param in params]
        return [sql for sql, _ in columns], [sql for sql, _ in ordering], column_params, ordering_params

    def as_sqlite(self, compiler, connection, **extra_context):
        columns, _, params, _ = self._parts(compiler, wrap_json=True)
        return f"json_group_array(json_array({', '.join(columns)}))", params

    def as_postgresql(self, compiler, connection, **extra_context):
        columns, ordering, params, ordering_params = self._parts(compiler, wrap_json=False)
        order = f" ORDER BY {', '.join(ordering)}" if ordering else ""
        return f"(json_agg(json_build_array({', '.join(columns)}){order}))::text", params + ordering_params
