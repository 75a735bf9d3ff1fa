"""How allauth is used here: nobody gets an account by signing in, and an
identity provider's answer signs in only the invited account with that e-mail
address in the provider's own municipality (signin.models.IdentityProvider)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.models import AccountEvent
from audit.services import account_event_record

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def get_login_stages(self):
        mfa_stage = f"{AuthenticateStage.__module__}.{AuthenticateStage.__qualname__}"
        ours = f"{PasswordOnlyMFAStage.__module__}.{PasswordOnlyMFAStage.__qualname__}"
        return [ours if path == mfa_stage else path for path in super().get_login_stages()]


class PasswordOnlyMFAStage(AuthenticateStage):
    """allauth's second-factor step, skipped when the municipality's identity provider
    signed the person in: the provider decides how its users authenticate, as for
    setting one up (signin/middleware.py)."""

    def handle(self):
        if (self.login.signal_kwargs or {}).get("sociallogin") is not None:
            return None, True
        return super().handle()


def refused(request, reason: str, *, account=None, status: int = 403):
    """The page that ends a sign-in through an identity provider and says why, in Swedish;
    the account log records a failed sign-in."""
    account_event_record(kind=AccountEvent.Kind.SIGN_IN_FAILED, account=account)
    return render(request, "signin/refused.html", {"reason": reason}, status=status)


def refuse(request, reason: str, *, account=None, status: int = 403):
    """End a sign-in through an identity provider with a page that says why, in Swedish."""
    raise ImmediateHttpResponse(refused(request, reason, account=account, status=status))


def provider_email(sociallogin) -> str:
    """The address the provider gave, from the login's addresses or its claims."""
    for address in sociallogin.email_addresses:
        if address.email:
            return address.email.strip()
    data = sociallogin.account.extra_data or {}
    for claims in (data.get("userinfo"), data.get("id_token"), data):
        if isinstance(claims, dict):
            for key in ("email", "upn", "preferred_username"):
                value = claims.get(key)
                if isinstance(value, str) and "@" in value:
                    return value.strip()
            # SAML attributes come as lists.
            for key in (
                "email",
                "mail",
                "emailaddress",
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            ):
                value = claims.get(key)
                if isinstance(value, list) and value and isinstance(value[0], str):
                    return value[0].strip()
    return ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def is_auto_signup_allowed(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        from .models import IdentityProvider

        app = getattr(sociallogin.provider, "app", None)
        idp = IdentityProvider.objects.select_related("municipality").filter(app=app).first() if app else None
        if idp is None:
            refuse(request, _("This identity provider is not set up for any municipality in Inkludera."))
        email = provider_email(sociallogin)
        if not email:
            refuse(request, _("The identity provider did not give an e-mail address."))
        if not idp.accepts(email):
            refuse(
                request,
                _("The address %(email)s is not in a domain %(provider)s may sign in for.")
                % {"email": email, "provider": idp.label},
            )
        users = list(
            get_user_model()
            .objects.filter(email__iexact=email, is_active=True, membership__municipality=idp.municipality)
            .select_related("membership")[:2]
        )
        if len(users) != 1:
            refuse(
                request,
                _(
                    "No account in %(municipality)s is invited with the address %(email)s. Ask your "
                    "municipality's coordinator for an invitation."
                )
                % {"municipality": idp.municipality.name, "email": email},
            )
        user = users[0]
        if sociallogin.is_existing:
            if sociallogin.user.pk != user.pk:
                refuse(
                    request, _("This identity is linked to another account. Contact your coordinator."), account=user
                )
            return
        sociallogin.connect(request, user)
        log.info("Identity provider %s linked to account %s", idp.pk, user.pk)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """allauth refused the provider's answer before matching (OpenID Connect: a token for
        another audience, expired; SAML: a wrong signature, an assertion expired, not yet
        valid or for another audience, an unsolicited answer). The person gets Inkludera's
        Swedish page and the account log a failed sign-in; the reason goes to the log for
        the operator. A sign-in cancelled at the provider goes to allauth's own page."""
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )
        if error == AuthError.CANCELLED:
            return
        reason = (extra_context or {}).get("saml_last_error_reason") or repr(exception or error)
        app = getattr(provider, "app", None)
        log.warning("Identity provider %s: answer refused: %s", getattr(app, "provider_id", None), reason)
        refuse(
            request,
            _(
                "The identity provider's answer could not be accepted. Try again from the sign-in page; if it "
                "happens again, contact your municipality's coordinator."
            ),
            status=401,
        )

    def send_notification_mail(self, *args, **kwargs):
        # Linking an identity to an invited account needs no e-mail: the person just signed in.
        return None


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator-app secrets are stored encrypted (Fernet, with a key derived
    from SECRET_KEY; SECRET_KEY_FALLBACKS still decrypt after a key rotation)."""

    def _fernet(self):
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return MultiFernet([Fernet(_derived_key(key)) for key in keys])

    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            return encrypted_text  # stored before encryption was turned on
        return self._fernet().decrypt(encrypted_text[len(ENCRYPTED_PREFIX) :].encode()).decode()

    def _get_site_name(self) -> str:
        return "Inkludera"

    def send_notification_mail(self, *args, **kwargs) -> None:
        return None


ENCRYPTED_PREFIX = "fernet:"


def _derived_key(secret_key: str) -> bytes:
    digest = hmac.new(secret_key.encode(), b"inkludera.mfa.totp-secret", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)
