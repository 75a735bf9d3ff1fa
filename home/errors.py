"""The page shown when Django's CSRF check refuses a form (settings.CSRF_FAILURE_VIEW).
The other error pages are the templates 400.html, 403.html, 404.html and 500.html."""

from django.middleware.csrf import REASON_BAD_ORIGIN, REASON_BAD_REFERER, REASON_NO_CSRF_COOKIE
from django.shortcuts import render

# "Origin checking failed - …", "Referer checking failed - …": sent from a page of another site.
OTHER_SITE_REASONS = (REASON_BAD_ORIGIN.split(" - ")[0], REASON_BAD_REFERER.split(" - ")[0])


def csrf_failure(request, reason: str = ""):
    """In Swedish, in the site's layout: what happened (usually cookies turned off,
    or a page left open across a sign-in or sign-out) and how not to lose what was
    written. The public survey form never comes here: it works without cookies."""
    context = {
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "other_site": reason.startswith(OTHER_SITE_REASONS),
    }
    return render(request, "403_csrf.html", context, status=403)
