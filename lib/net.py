"""The client's address, for every rate limit and lockout (sign-in throttling,
the open-data API, survey answers): one function, so none of them can be fooled
in a way the others are not. The address is never stored; lib.ratelimit keeps
only a keyed hash of it in the cache."""

from django.conf import settings


def client_address(request) -> str:
    """The address of the client that sent ``request``.

    Behind the one trusted reverse proxy (``BEHIND_TLS_PROXY``) every
    connection comes from the proxy, which appends the address it saw to
    X-Forwarded-For: the last entry is the client. Entries before it were sent
    by the client and cannot be trusted. Without the proxy, X-Forwarded-For is
    whatever the client wrote and is ignored: the address is the connection's."""
    if settings.BEHIND_TLS_PROXY:
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
