"""A signed-in person's heavy staff pages, kept in the shared cache until the
data changes (docs/operations.md, "Page cache").

The plan page, the coverage matrix, a committee's report and the other pages
marked ``@per_user_page_cache`` take from tens to hundreds of milliseconds to
build for a large city, and are read far more often than the data under them
changes. Such a page is kept, compressed, in the shared cache (the database
cache by default, Redis by CACHE_URL) under a key made of:

- the person (their account), their session and its CSRF secret, both
  renewed at every sign-in: a page is only ever served to the session it was
  made for, and its form tokens stay valid;
- the address with its query string, the language and whether htmx asked
  for a part of the page;
- today's date (what a page says about "overdue" or "coming" changes with it).

A kept page is served only while the *data generation* it was made in is
still current. The generation is one value in the shared cache, replaced by
a new random one after every write to the database made by any process
running Inkludera (web servers, workers, commands, the admin): a wrapper on
every database connection sees each INSERT, UPDATE and DELETE, whether made
by a model's save(), a queryset's update(), bulk_create() or raw SQL, and
replaces the generation when the transaction commits (at once outside a
transaction). A write that changed no row (an UPDATE or DELETE that matched
nothing, as a worker's periodic sweep mostly does) makes no new generation.
Writes that change no page are left out too: sessions, the cache
table itself, the task queue, workers' heartbeats, sign-in attempts and the
mail outbox. A change made outside Inkludera (psql) shows within
PAGE_CACHE_SECONDS (default 60), the longest a page is kept; 0 turns the cache
off.

A kept page is stored as a gzip file (compressed once, at the fastest level)
and sent as it is to a browser that accepts gzip (every browser does), with
``Content-Encoding: gzip``: serving it from the cache then neither
decompresses nor sends the whole HTML, so a long page (a committee's report
with every activity of its unit) costs little more to serve than a short one.
Each response gets a random file name of random length in its gzip header, as
Django's GZipMiddleware does against BREACH ("Heal the Breach"): the length of
a response says nothing reliable about a secret in it. A client that does not
accept gzip gets the page decompressed.

A page is not kept when it carries a message (it is shown once), sets a
cookie, or is not a complete HTML page answered with 200. Nothing but GET is
served from the cache, and the views keep their access checks: the decorator
goes under them, so a person who lost access is refused before the cache is
read (the membership change is also a write, which makes a new generation)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import re
import secrets
import zlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PREFIX = "pagecache:page2"  # 2: kept as a gzip file

# Tables whose writes change no page (see the module's docstring).
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "inkludera_session",
        "django_tasks_database_dbtaskresult",
        "worker_workerprocess",
        "worker_scheduledrun",
        "outbox_outgoingmail",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
    }
)
RETURNING = re.compile(r"\bRETURNING\b", re.I)
WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)"?', re.I)


def cache_seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 60)


def _ignored_tables() -> frozenset[str]:
    cache_tables = {conf["LOCATION"] for conf in settings.CACHES.values() if conf["BACKEND"].endswith("DatabaseCache")}
    return IGNORED_TABLES | cache_tables


# --- The generation -------------------------------------------------------


_paused = False  # while migrate runs (the cache table may not exist yet)
_warned = False


def new_generation() -> None:
    """Replace the data generation: every kept page is stale from now on. A
    failing cache must not fail the write that was made: it is logged (once a
    process), and kept pages then live at most PAGE_CACHE_SECONDS."""
    global _warned
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), None)
    except Exception:
        if not _warned:
            _warned = True
            logger.exception("The page cache's data generation could not be replaced")


def pause_during_migrate(sender=None, **kwargs) -> None:
    """pre_migrate: no generation per migration write (connected in home.apps)."""
    global _paused
    _paused = True


def resume_after_migrate(sender=None, **kwargs) -> None:
    """post_migrate: one new generation for whatever the migrations changed."""
    global _paused
    _paused = False
    new_generation()


# On a connection: a write made outside a transaction whose new generation waits
# for its statement to finish (see _after_write).
PENDING = "_pagecache_pending"


def _after_write(connection, sql: str) -> None:
    if _paused:
        return
    blocks = connection.atomic_blocks
    # Outside a transaction the write is visible to others now; so is one made in
    # the test suite's own per-test transaction (which never commits) to the test.
    if not blocks or blocks[0]._from_testcase:
        if not blocks and connection.vendor == "sqlite" and RETURNING.search(sql):
            # SQLite's INSERT … RETURNING is still running until its rows are read,
            # after this wrapper returns, and its implicit transaction with it: the
            # cache's write (a transaction of its own on this connection, for the
            # database cache) would fail and roll the row back. Replaced once the
            # statement is done: before the connection's next statement outside a
            # transaction, or at the end of the request or task (flush_pending).
            setattr(connection, PENDING, True)
            return
        new_generation()
        return
    # Once per transaction: the callback is forgotten with a rolled-back savepoint.
    if not any(func is new_generation for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(new_generation, using=connection.alias)


def _flush(connection) -> None:
    if getattr(connection, PENDING, False):
        setattr(connection, PENDING, False)
        new_generation()


def flush_pending(**kwargs) -> None:
    """request_finished, task_finished: replace the generation for the writes still waiting."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            _flush(connection)


def _watch_writes(execute, sql, params, many, context):
    connection = context["connection"]
    if not connection.in_atomic_block:
        _flush(connection)  # the previous statement has finished: its rows were read
    result = execute(sql, params, many, context)
    match = WRITE.match(sql)
    if match and match.group(1).strip('"') not in _ignored_tables() and _changed_rows(context["cursor"], sql):
        _after_write(connection, sql)
    return result


def _changed_rows(cursor, sql: str) -> bool:
    """Whether a write changed anything. An UPDATE or DELETE that matched no row
    (a worker's sweep that found nothing to do, every few minutes) changes no
    page and must not make every kept page stale. A statement with RETURNING
    counts as a change: SQLite counts its rows only as they are read."""
    if RETURNING.search(sql):
        return True
    return getattr(cursor, "rowcount", -1) != 0


def watch_connection(sender=None, connection=None, **kwargs) -> None:
    """connection_created: every new database connection reports its writes
    (connected in home.apps, before any connection is made)."""
    if connection is not None and _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def prune_expired() -> int:
    """Delete the database cache's expired rows (kept pages among them: they
    hold what staff saw, and a database cache only deletes an expired row when
    it is read again or the table is full). Run by the worker every 15
    minutes; Redis expires its keys itself. Returns the rows deleted."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return 0
    db = router.db_for_write(backend.cache_model_class)
    connection = connections[db]
    now = timezone.now().replace(microsecond=0)
    table = connection.ops.quote_name(backend._table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [connection.ops.adapt_datetimefield_value(now)])  # noqa: S608 - the configured table name, quoted
        return cursor.rowcount


# --- The pages -------------------------------------------------------------


def _key(request) -> str | None:
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not request.user.is_authenticated:
        return None
    parts = "|".join(
        (
            str(request.user.pk),
            request.session.session_key or "",
            secret,
            request.get_full_path(),
            translation.get_language() or "",
            "htmx" if request.headers.get("HX-Request") else "",
            timezone.localdate().isoformat(),
        )
    )
    return f"{PREFIX}:{hashlib.sha256(parts.encode()).hexdigest()}"


def _keepable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Disposition")
        and not len(get_messages(request))
    )


ACCEPTS_GZIP = re.compile(r"\bgzip\b")
MAX_RANDOM_BYTES = 100  # as django.middleware.gzip.GZipMiddleware


def _kept_response(request, headers: list[tuple[str, str]], blob: bytes) -> HttpResponse:
    """A kept page as a response: the gzip file as it is (with a random file
    name in its header) if the client accepts gzip, else decompressed."""
    if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        # The gzip header is 10 bytes; a name (FNAME, NUL-terminated) follows it.
        name = get_random_string(1 + secrets.randbelow(MAX_RANDOM_BYTES)).encode() + b"\x00"
        response = HttpResponse(blob[:3] + bytes([gzip.FNAME]) + blob[4:10] + name + blob[10:])
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(zlib.decompress(blob, wbits=31))
    for header, value in headers:
        response[header] = value
    patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Page-Cache"] = "hit"
    return response


def per_user_page_cache(view):
    """Serve the view's page from the shared cache while the data is unchanged
    (see the module's docstring). Put it under the view's access decorators."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = cache_seconds()
        key = _key(request) if seconds and request.method == "GET" else None
        # A pending message is shown on this page and must not be kept or skipped.
        if key is None or len(get_messages(request)):
            return view(request, *args, **kwargs)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            new_generation()
            generation = cache.get(GENERATION_KEY)
        kept = found.get(key)
        if kept is not None and kept[0] == generation:
            return _kept_response(request, kept[1], kept[2])
        response = view(request, *args, **kwargs)
        if generation is not None and _keepable(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            blob = gzip.compress(response.content, compresslevel=1, mtime=0)
            headers = [(h, v) for h, v in response.items() if h.lower() != "content-length"]
            cache.set(key, (generation, headers, blob), seconds)
        return response

    return wrapped
