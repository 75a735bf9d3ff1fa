"""Health endpoints for a load balancer or an orchestrator (docs/operations.md,
"More than one machine").

``/halsa/live``: the process is up and answers; touches nothing else (no
database), so a database outage does not make every app server get restarted.
``/halsa/ready``: this server can serve pages: the database answers a trivial
query, the shared cache keeps a value, every migration is applied, and the file
storage takes a file. 200, or 503 naming the failing checks; never an error
message (which might name a host or a user).

Both are answered by ``HealthCheckMiddleware``, first in MIDDLEWARE, before the
host check, the HTTPS redirect, sessions and the request log: a probe sends the
server's own address as Host, over plain HTTP, with no cookie, every few
seconds. The URLconf names the same views (``health-live``, ``health-ready``).

A few lines instead of django-health-check: these four checks are all it would
do here, and it would bring a dependency (dnspython) and an app for them.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

LIVE_PATH = "/halsa/live"
READY_PATH = "/halsa/ready"

# Once every migration is applied it stays so for this process's life (new code
# means a new process): the migration files are read until then, not on every probe.
_migrated = False


def _database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer")


def _cache() -> None:
    key, value = f"health:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("value not kept")
    finally:
        cache.delete(key)


def _migrations() -> None:
    global _migrated
    if _migrated:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations not applied")
    _migrated = True


def _storage() -> None:
    name = default_storage.save(f"health/{secrets.token_hex(8)}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS = {"database": _database, "cache": _cache, "migrations": _migrations, "storage": _storage}


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)
    return response


def live(request):
    return _json({"status": "ok"})


def ready(request):
    failing = []
    for name, check in CHECKS.items():
        if name == "migrations" and "database" in failing:
            failing.append(name)  # cannot be known without the database
            continue
        try:
            check()
        except Exception:
            log.warning("Readiness check %s failed", name, exc_info=True)
            failing.append(name)
    if failing:
        response = _json({"status": "failing", "failing": failing}, status=503)
        response._has_been_logged = True  # logged above, as a warning; Django would log an error per probe
        return response
    return _json({"status": "ok", "checks": list(CHECKS)})


class HealthCheckMiddleware:
    """Answers GET and HEAD on the two health paths before any other middleware."""

    VIEWS = {LIVE_PATH: live, READY_PATH: ready}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path_info.rstrip("/"))
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
