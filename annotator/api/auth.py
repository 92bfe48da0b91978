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

# The user fields a request needs; the others stay deferred and load on first access.
_WANTED = {"id", "username", "email", "is_active", "is_staff", "is_superuser"}
_FLAGS = ("is_active", "is_staff", "is_superuser")


@cache
def _query():
    """(SQL, field names in the model's order, as Model.from_db wants them)."""
    user_model = get_user_model()
    fields = [f for f in user_model._meta.concrete_fields if f.attname in _WANTED]
    qn = connection.ops.quote_name
    columns = ", ".join(f"u.{qn(f.column)}" for f in fields)
    # Table and column names come from the models, never from input; the key is a parameter.
    sql = (
        f"SELECT {columns} FROM {qn(Token._meta.db_table)} t "  # noqa: S608
        f"JOIN {qn(user_model._meta.db_table)} u ON u.{qn(user_model._meta.pk.column)} = t.{qn('user_id')} "
        f"WHERE t.{qn('key')} = %s"
    )
    return sql, [f.attname for f in fields]


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        sql, names = _query()
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        values = dict(zip(names, row, strict=True))
        values.update({flag: bool(values[flag]) for flag in _FLAGS})  # SQLite answers 0/1
        user = get_user_model().from_db(connection.alias, list(values), list(values.values()))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, Token(key=key, user=user)
