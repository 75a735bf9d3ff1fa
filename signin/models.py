"""A municipality's identity provider: which allauth app (OpenID Connect or SAML
2.0) its staff sign in with, and the e-mail domains that provider may vouch for.

The protocol settings (issuer, client id and secret, SAML metadata) live in
allauth's SocialApp; this row ties one to a municipality. An account is matched
by its e-mail address to an invited membership in that municipality: nobody
gets an account by signing in (signin.adapters)."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession, BaseSessionManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality


def _domains_valid(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one e-mail domain."))
    for domain in value:
        if not isinstance(domain, str) or "@" in domain or "." not in domain or domain != domain.strip().lower():
            raise ValidationError(_("%(domain)s is not an e-mail domain (such as kommun.se).") % {"domain": domain})


class IdentityProvider(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="identity_providers", verbose_name=_("municipality")
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("allauth app"),
    )
    label = models.CharField(
        _("button text"), max_length=120, help_text=_("For example “Logga in med Stockholms stads konto”.")
    )
    email_domains = models.JSONField(
        _("e-mail domains"),
        validators=[_domains_valid],
        help_text=_('Only addresses in these domains are accepted from this provider, e.g. ["stockholm.se"].'),
    )

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["municipality__name", "label"]

    def __str__(self):
        return f"{self.municipality}: {self.label}"

    def accepts(self, email: str) -> bool:
        domain = email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""
        return domain in self.email_domains


class Session(AbstractBaseSession):
    """Django's database session, with the account it is signed in to as a column,
    so that one query reads both (signin.sessions). Null before sign-in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=True
    )

    objects = BaseSessionManager()

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        db_table = "inkludera_session"
