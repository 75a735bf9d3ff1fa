"""The database connection's health check, skipped right after a successful request.

With ``CONN_HEALTH_CHECKS`` Django checks a reused connection before the first query
of every request; on PostgreSQL that is a ``SELECT 1``, a round trip of its own, as
dear as the request's real query on a light page. A connection that served a
request without error a moment ago is checked again only once it has been idle
for ``DB_HEALTH_CHECK_DELAY`` seconds (default 10; 0 checks before every request,
as Django does), the rule PgBouncer follows for its server connections
(``server_check_delay``). A connection that broke within that moment fails one
request, which closes it (Django closes a connection after an error it cannot
use), as it would without health checks; after a longer idle time, when a
restarted server or a firewall's idle timeout is likely to have cut it, it is
checked first.

The settings' PostgreSQL ENGINE is ``lib.postgresql``, Django's backend with
this rule in its ``close_if_health_check_failed``; ``note_request_finished`` is
connected to ``request_finished`` in home.apps. SQLite has no such check (a
file needs none)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connections

# Attribute on a connection wrapper: when it last finished a request in good order.
_FINISHED_AT = "_inkludera_finished_at"


def note_request_finished(**kwargs) -> None:
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.errors_occurred:
            setattr(conn, _FINISHED_AT, now)


def recently_used(conn) -> bool:
    """Whether the connection finished a request in good order less than DB_HEALTH_CHECK_DELAY seconds ago."""
    delay = getattr(settings, "DB_HEALTH_CHECK_DELAY", 0)
    finished = getattr(conn, _FINISHED_AT, None)
    return delay > 0 and finished is not None and not conn.errors_occurred and time.monotonic() - finished < delay
