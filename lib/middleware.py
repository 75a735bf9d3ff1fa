from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language (the language cookie set
    by the switcher). The browser's Accept-Language is not followed: the
    system's language is Swedish, English is a choice."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in settings.UI_LANGUAGES:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# When the signed-in session began, in the session (seconds since the epoch).
SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "renewed_at"


def start_session_clock(sender, request, user, **kwargs):
    """On sign-in (user_logged_in, connected in home.apps): the lifetime and the
    idle renewal start now, written with the sign-in, so the first page after it
    writes nothing."""
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[SIGNED_IN_AT] = now
        request.session[RENEWED_AT] = now


class SessionLifetimeMiddleware:
    """Ends a signed-in session SESSION_LIFETIME seconds after it began,
    however active it has been (the idle timeout, SESSION_COOKIE_AGE renewed
    by activity, ends it earlier). The request then goes on as a signed-
    out visitor's, so a page asks for the sign-in again. After the
    authentication and message middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(timezone.now().timestamp())
        signed_in_at = request.session.get(SIGNED_IN_AT)
        if (
            request.user.is_authenticated
            and signed_in_at is not None
            and now - signed_in_at >= settings.SESSION_LIFETIME
        ):
            logout(request)
            hours = settings.SESSION_LIFETIME // 3600
            messages.info(
                request,
                ngettext(
                    "You have been signed out: a session lasts at most %(hours)s hour.",
                    "You have been signed out: a session lasts at most %(hours)s hours.",
                    hours,
                )
                % {"hours": hours},
            )
        account_before = request.session.get(SESSION_KEY)
        response = self.get_response(request)
        if request.user.is_authenticated:
            # A new sign-in (or a session from before this rule) starts the clock.
            if SIGNED_IN_AT not in request.session or request.session.get(SESSION_KEY) != account_before:
                request.session[SIGNED_IN_AT] = now
            # The idle timeout: the session's expiry is renewed by saving it, at most
            # once every SESSION_RENEW_SECONDS, so reading a page writes nothing.
            renewed_at = request.session.get(RENEWED_AT)
            if renewed_at is None or now - renewed_at >= settings.SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT] = now
        return response


class NoStoreWhenSignedInMiddleware:
    """``Cache-Control: no-store`` (and the other never-cache headers) on every
    answer to a signed-in person, pages and downloads alike, so neither the
    browser nor a proxy keeps a copy. An answer that says itself it is public
    keeps its own header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "public" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


class MethodNotAllowedPageMiddleware:
    """Sign-out, removals and workflow steps take only POST. Opened in the address bar
    (a bookmark, a pasted link), Django answers 405 with an empty body, which browsers show
    as their own error page in English: here it is a Swedish page in the site's layout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method == "GET":
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


class NoCookiesOnPublicAnswersMiddleware:
    """An answer that says it may be cached by anyone (``Cache-Control: public``:
    the public site's pages and feeds) carries no cookie, not even a signed-in
    person's renewed session cookie, so no shared cache can store one and hand it
    to the next reader. Outside the session and CSRF middlewares, so it sees the
    cookies they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" in response.get("Cache-Control", ""):
            for name in list(response.cookies):
                del response.cookies[name]
        return response
