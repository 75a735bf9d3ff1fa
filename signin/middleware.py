"""A second factor for the roles that must have one (MFA_REQUIRED_ROLES), on
password sign-in: until the account has an authenticator app or a security key,
every page sends its user to set one up. A sign-in through the municipality's
identity provider is exempt: the provider decides how its users authenticate
(docs/sign-in.md)."""

from __future__ import annotations

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

# Pages open to an account that still has to set up its second factor.
ALLOWED_URL_NAMES = {"logout", "account_logout", "account_reauthenticate", "set_language", "account_login", "login"}
ALLOWED_PREFIXES = ("mfa_",)
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def must_set_up_second_factor(request) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    # request.membership is a lazy object that may wrap None.
    if getattr(getattr(request, "membership", None), "role", None) not in settings.MFA_REQUIRED_ROLES:
        return False
    if any(record.get("method") == "socialaccount" for record in get_authentication_records(request)):
        return False
    return not Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.must_set_up_second_factor = must_set_up_second_factor(request)
        if request.must_set_up_second_factor:
            try:
                name = resolve(request.path_info).url_name or ""
            except Resolver404:
                name = ""
            if name not in ALLOWED_URL_NAMES and not name.startswith(ALLOWED_PREFIXES):
                # The page it leads to says why (templates/allauth/layouts/manage.html).
                return redirect("mfa_index")
        return self.get_response(request)
