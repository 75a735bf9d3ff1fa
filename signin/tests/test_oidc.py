"""Sign-in through a municipality's OpenID Connect provider, against a real provider
(django-oauth-toolkit, started by signin/tests/conftest.py) and Inkludera's live test
server, walked as a browser would with `requests`: the sign-in page's button, the
provider's authorisation, the answer back to Inkludera, the start page."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import jwt
import pytest
import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.urls import reverse

from signin.adapters import SocialAccountAdapter
from signin.models import IdentityProvider

from .conftest import CLIENT_ID, CLIENT_SECRET, PROVIDER_ID

LABEL = "Logga in med testkommunens konto"


@pytest.fixture
def inkludera(live_server, transactional_db, settings, world, oidc_provider):
    """Inkludera's live server (transactional: it answers from another thread) with the
    test provider set up for world.municipality."""
    # The live server speaks plain HTTP; `requests` sends no Secure cookie over it.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name="Testkommunens inloggning",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": f"{oidc_provider.url}/o", "oauth_pkce_enabled": True},
    )
    IdentityProvider.objects.create(municipality=world.municipality, app=app, label=LABEL, email_domains=["example.se"])
    oidc_provider.set_mode("normal")
    yield live_server
    oidc_provider.set_mode("normal")


@pytest.fixture
def auth_errors(monkeypatch):
    """The exceptions allauth reports when it refuses a provider's answer (the adapter's
    hook, still called through to allauth's own)."""
    seen = []
    original = SocialAccountAdapter.on_authentication_error

    def record(self, request, provider, error=None, exception=None, extra_context=None):
        seen.append(exception)
        return original(self, request, provider, error=error, exception=exception, extra_context=extra_context)

    monkeypatch.setattr(SocialAccountAdapter, "on_authentication_error", record)
    return seen


def sign_in_with_provider(live_server, provider, username: str, email: str):
    """Sign in at the provider as `username` vouching for `email`, then press the
    provider's button on Inkludera's sign-in page and follow every redirect."""
    browser = requests.Session()
    browser.get(f"{provider.url}/test-login/{username}/", params={"email": email}, timeout=10).raise_for_status()
    page = browser.get(live_server.url + reverse("login"), timeout=10)
    assert page.status_code == 200
    form = re.search(
        r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
        r'\s*<input type="hidden" name="next" value="([^"]*)">\s*<button[^>]*>([^<]+)</button>',
        page.text,
    )
    assert form, "the sign-in page has no button for the identity provider"
    action, csrf, next_url, label = form.groups()
    assert html.unescape(label).strip() == LABEL
    assert action == reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    response = browser.post(
        urljoin(page.url, action),
        data={"csrfmiddlewaretoken": csrf, "next": html.unescape(next_url)},
        headers={"Referer": page.url},
        timeout=20,
    )
    # The way went through the provider and back.
    assert any(r.url.startswith(f"{provider.url}/o/authorize/") for r in response.history), [
        r.url for r in response.history
    ]
    return browser, response


def signed_in(browser, live_server) -> bool:
    start = browser.get(live_server.url + reverse("home:start"), allow_redirects=False, timeout=10)
    if start.status_code == 200:
        return True
    assert start.status_code == 302 and start.headers["Location"].startswith(reverse("login"))
    return False


def test_an_invited_address_signs_in_and_the_identity_is_linked_once(inkludera, oidc_provider, world):
    contact = world.users["contact_a"]
    browser, response = sign_in_with_provider(inkludera, oidc_provider, "anna.idp", contact.email)
    assert response.status_code == 200
    assert response.url == inkludera.url + reverse("home:start")
    assert "Contact Testsson" in response.text
    assert signed_in(browser, inkludera)
    account = SocialAccount.objects.get(user=contact)
    assert account.provider == PROVIDER_ID
    assert account.extra_data["userinfo"]["email"] == contact.email

    # A second sign-in, in a new browser, uses the same link.
    _again, response = sign_in_with_provider(inkludera, oidc_provider, "anna.idp", contact.email)
    assert response.url == inkludera.url + reverse("home:start")
    assert "Contact Testsson" in response.text
    assert SocialAccount.objects.filter(user=contact).count() == 1
    assert SocialAccount.objects.count() == 1
    assert get_user_model().objects.count() == len(world.users)


@pytest.mark.parametrize(
    ("mode", "cause"),
    [("wrong-audience", jwt.InvalidAudienceError), ("expired", jwt.ExpiredSignatureError)],
)
def test_an_id_token_that_is_not_for_inkludera_now_is_refused(
    inkludera, oidc_provider, world, auth_errors, mode, cause
):
    oidc_provider.set_mode(mode)
    contact = world.users["contact_a"]
    browser, response = sign_in_with_provider(inkludera, oidc_provider, "anna.idp", contact.email)
    # allauth's error page: the answer came back, but its id_token was refused.
    assert response.status_code == 401
    assert response.url.startswith(
        inkludera.url + reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    )
    assert "Contact Testsson" not in response.text
    assert not signed_in(browser, inkludera)
    assert not SocialAccount.objects.exists()
    # Refused for that reason: the provider did issue a token, PyJWT rejected its claims.
    assert len(auth_errors) == 1
    assert isinstance(auth_errors[0].__cause__, cause), repr(auth_errors[0].__cause__)


def test_an_unknown_address_gets_the_swedish_refusal_and_no_account(inkludera, oidc_provider, world):
    browser, response = sign_in_with_provider(inkludera, oidc_provider, "okand", "okand.person@example.se")
    assert response.status_code == 403
    text = html.unescape(response.text)
    assert "Du kunde inte loggas in" in text
    assert "Inget konto i Stockholms stad är inbjudet med adressen okand.person@example.se." in text
    assert not signed_in(browser, inkludera)
    assert get_user_model().objects.count() == len(world.users)
    assert not get_user_model().objects.filter(email__iexact="okand.person@example.se").exists()
    assert not SocialAccount.objects.exists()


def test_an_account_in_another_municipality_is_not_signed_in_by_this_provider(inkludera, oidc_provider, world):
    other = world.users["other_coordinator"]  # same e-mail domain, invited in Huddinge only
    browser, response = sign_in_with_provider(inkludera, oidc_provider, "huddinge.idp", other.email)
    assert response.status_code == 403
    assert f"Inget konto i Stockholms stad är inbjudet med adressen {other.email}." in html.unescape(response.text)
    assert not signed_in(browser, inkludera)
    assert not SocialAccount.objects.exists()


def test_an_address_outside_the_providers_domains_is_refused(inkludera, oidc_provider, world):
    contact = world.users["contact_a"]
    contact.email = "contact_a@annan-kommun.se"  # invited, but the provider may not vouch for it
    contact.save(update_fields=["email"])
    browser, response = sign_in_with_provider(inkludera, oidc_provider, "anna.idp", contact.email)
    assert response.status_code == 403
    assert f"Adressen contact_a@annan-kommun.se hör inte till en domän som {LABEL} får logga in för." in html.unescape(
        response.text
    )
    assert not signed_in(browser, inkludera)
    assert not SocialAccount.objects.exists()


def test_a_coordinator_signing_in_through_the_provider_is_not_asked_for_a_second_factor(
    inkludera, oidc_provider, world
):
    coordinator = world.users["coordinator"]
    browser, response = sign_in_with_provider(inkludera, oidc_provider, "koordinator.idp", coordinator.email)
    assert not any(reverse("mfa_authenticate") in r.url for r in [*response.history, response])
    assert response.url == inkludera.url + reverse("home:start")
    assert "Coordinator Testsson" in response.text
    assert signed_in(browser, inkludera)
