"""Database functions Django lacks, written for both databases Slant runs on."""

from django.db.models import CharField, Func

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
