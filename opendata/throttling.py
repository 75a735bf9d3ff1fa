from django.conf import settings
from rest_framework.throttling import BaseThrottle

from lib import ratelimit
from lib.net import client_address

WINDOW_SECONDS = 60


class OpenDataRateLimit(BaseThrottle):
    """At most settings.OPEN_DATA_REQUESTS_PER_MINUTE requests a minute from one
    client address (0 turns the limit off). Counted by lib.ratelimit, which keeps
    only a hash of the address, in the cache, for the minute."""

    def allow_request(self, request, view) -> bool:
        limit = settings.OPEN_DATA_REQUESTS_PER_MINUTE
        if not limit:
            return True
        address = client_address(request)
        return ratelimit.allow(scope="opendata", address=address, limit=limit, window_seconds=WINDOW_SECONDS)

    def wait(self) -> float:
        return WINDOW_SECONDS
