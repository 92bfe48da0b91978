"""Token authentication in one plain SQL round trip.

It runs before every API request, and building the query through the ORM cost more than running it
(about a quarter of a span create). The rules are DRF's: an unknown key or an inactive user → 401.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from annotator.access import DocumentScope, scoped_document_sql

# The user fields a request needs; the others stay deferred and load on first access.
_WANTED = {"id", "username", "email", "is_active", "is_staff", "is_superuser"}
_FLAGS = ("is_active", "is_staff", "is_superuser")


@cache
def _query(scoped=False):
    """(SQL, user field names in the model's order, as Model.from_db wants them). `scoped`: the same round trip
    also brings the user's membership of a project and a document of it (see scoped_document_sql); parameters
    project id, document id, then the key."""
    user_model = get_user_model()
    fields = [f for f in user_model._meta.concrete_fields if f.attname in _WANTED]
    qn = connection.ops.quote_name
    user_id = f"u.{qn(user_model._meta.pk.column)}"
    columns = ", ".join(f"u.{qn(f.column)}" for f in fields)
    joins = ""
    if scoped:
        scope_columns, joins = scoped_document_sql(user_id)
        columns = f"{columns}, {scope_columns}"
    # Table and column names come from the models, never from input; the ids and the key are parameters.
    sql = (
        f"SELECT {columns} FROM {qn(Token._meta.db_table)} t "  # noqa: S608
        f"JOIN {qn(user_model._meta.db_table)} u ON {user_id} = t.{qn('user_id')}{joins} "
        f"WHERE t.{qn('key')} = %s"
    )
    return sql, [f.attname for f in fields]


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication in one plain query. For a URL inside one document of a project (DocumentScope.of),
    the same round trip brings the caller's membership and the document: `request.document_scope`, which ScopedView
    hands to access_project_document. One query fewer on every span request."""

    def authenticate(self, request):
        kwargs = (getattr(request, "parser_context", None) or {}).get("kwargs") or {}
        self.scope = DocumentScope.of(kwargs)
        self.request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        scope = getattr(self, "scope", None)
        sql, names = _query(scoped=scope is not None)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*scope[:2], key] if scope else [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        values = dict(zip(names, row[: len(names)], strict=True))
        values.update({flag: bool(values[flag]) for flag in _FLAGS})  # SQLite answers 0/1
        user = get_user_model().from_db(connection.alias, list(values), list(values.values()))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if scope:
            self.request.document_scope = scope.with_row(row[len(names) :])
        return user, Token(key=key, user=user)
