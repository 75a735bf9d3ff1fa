"""ENGINE "lib.postgresql": Django's PostgreSQL backend, whose connection health
check (CONN_HEALTH_CHECKS, a ``SELECT 1``) is skipped while the connection
served a request without error less than DB_HEALTH_CHECK_DELAY seconds ago
(lib/dbhealth.py); and a cursor whose statements PostgreSQL can keep prepared.
"""

import psycopg
from django.db.backends.postgresql import base, operations

from lib import dbhealth

PREPARE_THRESHOLD = 5  # psycopg's default


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """A prepared statement's text as sent (Django reads a client-side cursor's)."""
        if isinstance(cursor, _PreparingCursor):
            try:
                return self.compose_sql(sql, params)
            except psycopg.errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def close_if_health_check_failed(self):
        if self.connection is not None and not self.health_check_done and dbhealth.recently_used(self):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def prepared_cursor(self):
        """A cursor (wrapped as Django's, so its queries are logged and watched as
        any other) that binds its parameters on the server and has PostgreSQL
        prepare each statement it runs, once per connection: a statement run
        again is neither parsed nor planned. Django's own cursors bind on the
        client (every statement is new text to the server) and Django turns
        psycopg's automatic preparing off. For statements run on every request
        only: the session with its account (signin/sessions.py), 340 → 150 µs
        a round trip. Behind a connection pooler in transaction mode, use
        PgBouncer 1.21 or later (prepared statements across pooled connections)."""
        self.close_if_health_check_failed()  # as Django's cursor()
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            # Django's None turns preparing off for the connection. Its own cursors bind on
            # the client and never prepare, whatever the threshold: only this one does.
            self.connection.prepare_threshold = PREPARE_THRESHOLD
        with self.wrap_database_errors:
            return self._prepare_cursor(_PreparingCursor(self.connection))


class _PreparingCursor(psycopg.Cursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)
