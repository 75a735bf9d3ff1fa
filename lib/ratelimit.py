"""A rate limit that keeps no address: the client's address is hashed with the
secret key and kept only in the cache, for the length of the window. Callers
pass lib.net.client_address(request), the one client address every limit uses."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def allow(*, scope: str, address: str, limit: int, window_seconds: int) -> bool:
    """Count a request from ``address`` in ``scope``; False once over ``limit`` in the window."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{address}".encode()).hexdigest()[:32]
    key = f"rl:{scope}:{digest}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit
