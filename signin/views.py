"""The password sign-in form (Django's, with axes' throttling), handing the
signed-in account to allauth's later steps: the second factor when the
account has one."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib.auth import views as auth_views

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
