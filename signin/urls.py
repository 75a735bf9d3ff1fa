"""allauth's pages that Inkludera uses, under Swedish paths: the second factor
(set-up and the step at sign-in), confirming the password again before changing
it, and the identity providers' sign-in and answer addresses. Sign-up, e-mail
management and allauth's own password pages are not served: accounts are invited
and passwords are reset through home/urls.py."""

from allauth.account import views as account_views
from allauth.socialaccount import views as social_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("bekrafta/", account_views.reauthenticate, name="account_reauthenticate"),
    path("inaktivt/", account_views.account_inactive, name="account_inactive"),
    path("tvastegs/", include("allauth.mfa.urls")),
    path("idp/avbruten/", social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("idp/fel/", social_views.login_error, name="socialaccount_login_error"),
    path("idp/registrering/", social_views.signup, name="socialaccount_signup"),
    # Before allauth's own, under the same address and name: a replay gets a page that says so.
    path("idp/saml/<str:organization_slug>/acs/finish/", views.saml_finish_acs, name="saml_finish_acs"),
    path("idp/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("idp/", include("allauth.socialaccount.providers.saml.urls")),
]
