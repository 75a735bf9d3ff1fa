"""Sessions that bring their account along: one database query per signed-in request.

Django's database sessions read the session row, then the authentication
backend reads the account: two round trips to the database on every signed-in
request, three with PostgreSQL's connection health check. Here the session table
(signin.models.Session) has the account as a column, kept from the session's
own data each time the session is saved; the session is read with its account
joined (``select_related``), and the authentication middleware hands that
account to the backend instead of a second query.

Nothing about what the account may do is taken on trust from the session: the
account row is read fresh with the session on every request, Django still checks
the session hash (a password change ends the other sessions), and the backend
still refuses an inactive account. Only the round trip is saved.
"""

from __future__ import annotations

import contextvars

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

# The request's session while its account is looked up (AuthenticationMiddleware below).
_current_session: contextvars.ContextVar = contextvars.ContextVar("inkludera_current_session", default=None)


class SessionStore(DatabaseSessionStore):
    # The account read with the session row; None if not signed in or not loaded.
    preloaded_user = None

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def load(self):
        """The session's data, and its account, in one query written once per process:
        building the ORM's query with its join on every request cost more than the
        round trip it saves."""
        row = _read(self.session_key)
        if row is None:
            self._session_key = None
            return {}
        data, self.preloaded_user = row
        return self.decode(data)

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _account_id(data.get(SESSION_KEY))
        return session


class _Query:
    """SELECT session_data and the account's columns for a live session key, with the
    database's converters for each column (as the ORM applies them)."""

    def __init__(self, connection):
        from .models import Session

        User = auth.get_user_model()
        quote = connection.ops.quote_name
        sessions, users = Session._meta, User._meta
        fields = users.concrete_fields
        self.attnames = [f.attname for f in fields]
        self.pk_index = self.attnames.index(users.pk.attname)
        # (column index, its column expression, its converters) for the columns that have any.
        self.converters = []
        for i, f in enumerate(fields):
            col = f.get_col("u")
            converters = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
            if converters:
                self.converters.append((i, col, converters))
        columns = ", ".join(f"u.{quote(f.column)}" for f in fields)
        session_user = quote(sessions.get_field("user").column)
        self.sql = (
            f"SELECT s.{quote('session_data')}, {columns} FROM {quote(sessions.db_table)} s "  # noqa: S608 - names from the models, quoted
            f"LEFT OUTER JOIN {quote(users.db_table)} u ON s.{session_user} = u.{quote(users.pk.column)} "
            f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
        )


_queries: dict[str, _Query] = {}


def _read(session_key):
    """(session data, account or None), or None if there is no such live session."""
    from django.db import connections, router

    from .models import Session

    if not session_key:
        return None
    alias = router.db_for_read(Session)
    connection = connections[alias]
    query = _queries.get(connection.vendor) or _queries.setdefault(connection.vendor, _Query(connection))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # On PostgreSQL a statement prepared once per connection (lib/postgresql).
    prepared = getattr(connection, "prepared_cursor", None)
    with prepared() if prepared else connection.cursor() as cursor:
        cursor.execute(query.sql, [session_key, now])
        row = cursor.fetchone()
    if row is None:
        return None
    data, values = row[0], list(row[1:])
    user = None
    if values[query.pk_index] is not None:
        for i, col, converters in query.converters:
            for converter in converters:
                values[i] = converter(values[i], col, connection)
        user = auth.get_user_model().from_db(alias, query.attnames, values)
    return data, user


def _account_id(value):
    if value is None:
        return None
    try:
        return auth.get_user_model()._meta.pk.to_python(value)
    except (TypeError, ValueError, ValidationError):  # a session naming no valid account has none
        return None


class PreloadedUserMixin:
    """For an authentication backend: the account read with the session, when it is the one asked for."""

    def get_user(self, user_id):
        session = _current_session.get()
        user = getattr(session, "preloaded_user", None)
        if user is not None and str(user.pk) == str(user_id):
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        token = _current_session.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _current_session.reset(token)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the account taken from the session's own query when it is there."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))
