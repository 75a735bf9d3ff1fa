"""The CSV of a whole dataset, streamed and kept in the shared cache
(docs/open-data.md, "Full exports").

A CSV is made once per version of the municipality's data and then served
from the cache (django.core.cache: the database cache by default, Redis by
CACHE_URL), so a client fetching it over and over costs a few cache reads, not
a rebuild. It is stored in parts of PART_BYTES, written as it streams: memory
stays that of one part, however large the city.

The version (``data_version``) is the municipality's latest audit event, which
every change made in Inkludera writes in its own transaction (audit.services),
together with the current period of cache_seconds(): a change shows in the next
download, and what changes by time alone (an event that has taken place, a
samråd that has been held) or outside the services (the admin, a command)
within cache_seconds(). The version is also the CSV's ETag, so a client that
sends If-None-Match gets 304 Not Modified without a rebuild."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.cache import cache

from audit.models import AuditEvent
from organisations.models import Municipality

PART_BYTES = 256 * 1024
PREFIX = "opendata:csv"


def cache_seconds() -> int:
    """How long a CSV is kept, and the longest a change not made through the
    services takes to show: settings.OPEN_DATA_CACHE_SECONDS, by default 300; 0
    turns the cache off, as it is by default under pytest (tests build their
    data with the ORM, without the audit log; opendata's tests turn it on)."""
    return getattr(settings, "OPEN_DATA_CACHE_SECONDS", 0 if settings.RUNNING_TESTS else 300)


def data_version(municipality: Municipality | None) -> str:
    """What the municipality's data looks like now, as far as the CSV is concerned: its latest
    audit event (one query, on the index audit_municipality_recent) and the period. The list of
    municipalities (``None``) changes with the period alone."""
    latest = None
    if municipality is not None:
        events = AuditEvent.objects.filter(municipality=municipality)
        latest = events.order_by("-at", "-pk").values_list("pk", "at").first()
    seconds = cache_seconds()
    period = int(time.time() // seconds) if seconds else 0
    marker = f"{latest[0]}@{latest[1].timestamp()}" if latest else "0"
    return f"{marker}|{period}"


def etag(name: str, version: str) -> str:
    """The CSV's entity tag: the dataset's address (``name``) and the data version."""
    return '"' + hashlib.sha256(f"{name}|{version}".encode()).hexdigest()[:32] + '"'


def cached(tag: str, produce: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
    """The bytes of ``produce()``, from the cache when they are there under
    ``tag``, else made, streamed and stored part by part (the part count last,
    so a half-made copy is never served). A part dropped from the cache while
    being served (the database cache culls when full) is made again: the same
    version gives the same bytes, so the rest is made and what was sent skipped."""
    seconds = cache_seconds()
    if not seconds:
        yield from produce()
        return
    key = f"{PREFIX}:{tag.strip(chr(34))}"
    parts = cache.get(key)
    sent = 0
    if parts is not None:
        for n in range(parts):
            part = cache.get(f"{key}:{n}")
            if part is None:
                break
            sent += len(part)
            yield part
        else:
            return
        yield from _skip(produce(), sent)
        return
    buffer = bytearray()
    count = 0
    for block in produce():
        yield block
        buffer += block
        if len(buffer) >= PART_BYTES:
            cache.set(f"{key}:{count}", bytes(buffer), seconds)
            count += 1
            buffer.clear()
    if buffer:
        cache.set(f"{key}:{count}", bytes(buffer), seconds)
        count += 1
    cache.set(key, count, seconds)


def _skip(blocks: Iterator[bytes], skip: int) -> Iterator[bytes]:
    for block in blocks:
        if skip >= len(block):
            skip -= len(block)
            continue
        yield block[skip:]
        skip = 0
