"""Was a POST sent from a page of this site? For the one form that works without
cookies (the public survey), which therefore cannot use Django's CSRF check.

The browser says where a request comes from in three headers, the newest first:
``Sec-Fetch-Site`` (cross-site, same-site, same-origin, none), ``Origin`` (sent
with every cross-origin POST by every current browser) and ``Referer`` (the
site sends ``Referrer-Policy: same-origin``, so its own pages send it and other
sites' pages may not). A request that names another origin in any of them is
refused; one that names none (an old browser, a privacy tool) is let through:
what it may do is protected by the form's signed token and the rate limit."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import is_same_domain


def _is_own(request, origin: str) -> bool:
    """This site's own origin, or one of CSRF_TRUSTED_ORIGINS (``https://*.kommun.se`` as Django reads it)."""
    scheme = "https" if request.is_secure() else "http"
    if origin == f"{scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    wildcards = [urlsplit(t) for t in settings.CSRF_TRUSTED_ORIGINS if "://*" in t]
    return bool(parts.netloc) and any(
        parts.scheme == w.scheme and is_same_domain(parts.netloc, w.netloc.lstrip("*")) for w in wildcards
    )


def sent_from_this_site(request) -> bool:
    if request.headers.get("Sec-Fetch-Site", "").lower() in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return _is_own(request, origin)  # "null" (a sandboxed or privacy-stripped page) is not ours
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return _is_own(request, f"{parts.scheme}://{parts.netloc}")
    return True
