"""The password sign-in form (Django's, with axes' throttling), handing the
signed-in account to allauth's later steps: the second factor when the
account has one."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .adapters import refused
from .models import IdentityProvider


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = (
            IdentityProvider.objects.select_related("app", "municipality")
            .filter(app__provider__in=["openid_connect", "saml"])
            .order_by("municipality__name", "label")
        )
        return context

    def form_valid(self, form):
        user = form.get_user()
        record_authentication(self.request, user, method="password", username=user.get_username())
        return perform_login(self.request, user, redirect_url=self.get_success_url())


def saml_finish_acs(request, organization_slug):
    """allauth's last SAML step. It refuses an answer this browser's session did not ask for
    (one used already: a replay; or one whose request expired) with a bare 403, which would
    say the person's role is not enough: say what happened instead."""
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        return refused(
            request,
            _(
                "This answer from the identity provider has already been used, or this browser did not ask for "
                "it. Start the sign-in again from the sign-in page."
            ),
        )
