"""A second factor for the roles that must have one (MFA_REQUIRED_ROLES), on
password sign-in: until the account has an authenticator app or a security key,
every page sends its user to set one up. A sign-in through the municipality's
identity provider is exempt: the provider decides how its users authenticate
(docs/sign-in.md).

The check reads the account's role and authenticators; it runs at sign-in and
then at most once every SESSION_RENEW_SECONDS (remembered in the session, written
with the session's own renewal), so a page read costs no query for it. Removing an
authenticator forgets the last check at once."""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

# Pages open to an account that still has to set up its second factor.
ALLOWED_URL_NAMES = {"logout", "account_logout", "account_reauthenticate", "set_language", "account_login", "login"}
ALLOWED_PREFIXES = ("mfa_",)
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


# When the account was last found not to need setting up a second factor (seconds since the epoch).
CHECKED_AT = "second_factor_checked_at"


def must_set_up_second_factor(request, user=None) -> bool:
    current = getattr(request, "user", None)
    user = user or current
    if not user.is_authenticated:
        return False
    membership = getattr(request, "membership", None) if user is current else getattr(user, "membership", None)
    # request.membership is a lazy object that may wrap None.
    if getattr(membership, "role", None) not in settings.MFA_REQUIRED_ROLES:
        return False
    if any(record.get("method") == "socialaccount" for record in get_authentication_records(request, user)):
        return False
    return not Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def check_at_sign_in(sender, request, user, **kwargs):
    """user_logged_in: check now, so the first pages after signing in need no query for it."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(CHECKED_AT, None)
    if not must_set_up_second_factor(request, user):
        request.session[CHECKED_AT] = int(time.time())


def forget_check(sender, request=None, **kwargs):
    """authenticator_removed: the account may have no second factor left."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(CHECKED_AT, None)


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.must_set_up_second_factor = False
        if request.user.is_authenticated:
            now = int(time.time())
            checked = request.session.get(CHECKED_AT)
            if checked is None or now - checked >= settings.SESSION_RENEW_SECONDS:
                request.must_set_up_second_factor = must_set_up_second_factor(request)
                if not request.must_set_up_second_factor:
                    request.session[CHECKED_AT] = now
        if request.must_set_up_second_factor:
            try:
                name = resolve(request.path_info).url_name or ""
            except Resolver404:
                name = ""
            if name not in ALLOWED_URL_NAMES and not name.startswith(ALLOWED_PREFIXES):
                # The page it leads to says why (templates/allauth/layouts/manage.html).
                return redirect("mfa_index")
        return self.get_response(request)
