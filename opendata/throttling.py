"""The open-data API's rate limit, counted by cost (docs/open-data.md, "Limits").

Each client address has settings.OPEN_DATA_REQUESTS_PER_MINUTE units a minute
(0 turns the limit off). A page of JSON costs one; a whole dataset as CSV costs
EXPORT_COST (one when answered 304 Not Modified; the whole limit if that
is lower). A request that would go over
the limit is refused with 429 and Retry-After, and costs nothing. The count is
kept in the shared cache (django.core.cache), so it holds across app servers,
under a keyed hash of the address (as lib.ratelimit): the address is never
stored."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from lib.net import client_address

WINDOW_SECONDS = 60
EXPORT_COST = 20


def charge(*, address: str, cost: int, limit: int) -> bool:
    """Count ``cost`` units for ``address`` in this minute's window; False (and
    nothing counted) if that would take it over ``limit``."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|opendata|{address}".encode()).hexdigest()[:32]
    key = f"rl:opendata:{digest}"
    if cache.add(key, cost, timeout=WINDOW_SECONDS):
        return True
    used = cache.get(key)
    if used is not None and used + cost > limit:
        return False
    try:
        cache.incr(key, cost)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, cost, timeout=WINDOW_SECONDS)
    return True


class OpenDataRateLimit(BaseThrottle):
    """The view's ``request_cost(request)`` (1 if it has none) against the limit."""

    def allow_request(self, request, view) -> bool:
        limit = settings.OPEN_DATA_REQUESTS_PER_MINUTE
        if not limit:
            return True
        cost_of = getattr(view, "request_cost", None)
        cost = min(cost_of(request) if cost_of else 1, limit)  # a low limit still allows one export a minute
        return charge(address=client_address(request), cost=cost, limit=limit)

    def wait(self) -> float:
        return WINDOW_SECONDS
