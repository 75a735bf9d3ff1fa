"""A coordinator sets up and uses a second factor in the browser: an authenticator app
(codes computed from the secret the page shows) and a security key (Chromium's
virtual authenticator), with an accessibility check on every page of the flow."""

import pytest
from allauth.mfa.models import Authenticator

from conftest import PASSWORD, make_user, totp_code
from organisations.models import Municipality
from tests.test_browser import assert_accessible, browser  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.second_factor]


def code_now(secret: str) -> str:
    return totp_code(secret)


@pytest.fixture
def coordinator(transactional_db):
    municipality = Municipality.objects.create(name="Testkommun", code="0999")
    user = make_user("ny-samordnare", municipality, "coordinator")
    Authenticator.objects.filter(user=user).delete()  # a new coordinator: no second factor yet
    return user


@pytest.fixture
def page(browser, live_server, settings):  # noqa: F811
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # WebAuthn needs a secure origin; the live server is http://localhost (development only).
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield page
    context.close()


def password_step(page):
    page.goto("/logga-in/")
    assert_accessible(page)
    page.get_by_label("Användarnamn eller e-post").fill("ny-samordnare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def sign_out(page):
    page.get_by_role("button", name="Logga ut").first.click()
    page.wait_for_url("**/logga-in/")


def test_set_up_and_use_an_authenticator_app_and_a_security_key(page, coordinator):
    password_step(page)
    # Signed in with a password only: every page leads to setting up a second factor.
    page.wait_for_url("**/konto/tvastegs/")
    assert "Din roll kräver tvåfaktorsautentisering" in page.content()
    assert_accessible(page)
    page.goto("/planer/")
    page.wait_for_url("**/konto/tvastegs/")

    # The authenticator app: confirm the password, then the code from the secret shown.
    page.locator("a", has_text="Aktivera").first.click()
    page.get_by_label("Lösenord").fill(PASSWORD)
    assert_accessible(page)
    page.get_by_role("button", name="Bekräfta").click()
    page.wait_for_url("**/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Autentiseringskod").fill(code_now(secret))
    page.get_by_role("button", name="Aktivera").click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    page.goto("/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert "/konto/tvastegs" not in page.url

    # A security key (Chromium's virtual authenticator).
    page.goto("/konto/tvastegs/webauthn/add/")
    assert_accessible(page)
    page.get_by_label("Säkerhetsnyckelns namn").fill("Min nyckel")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_text("Säkerhetsnyckel tillagd").wait_for()
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.WEBAUTHN).exists()

    # Next sign-in: the password, then a code from the app.
    page.goto("/")
    sign_out(page)
    password_step(page)
    page.wait_for_url("**/konto/tvastegs/authenticate/")
    assert_accessible(page)
    page.get_by_label("Kod").fill(code_now(secret))
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/konto/" not in url and "/logga-in/" not in url)

    # And the one after: the password, then the security key.
    sign_out(page)
    password_step(page)
    page.wait_for_url("**/konto/tvastegs/authenticate/")
    page.get_by_role("button", name="Använd en säkerhetsnyckel").click()
    page.wait_for_url(lambda url: "/konto/" not in url and "/logga-in/" not in url)
    assert page.get_by_role("button", name="Logga ut").count() >= 1
