"""Sign-in through a municipality's SAML 2.0 identity provider, against a real provider
(pysaml2 signing with xmlsec1, tests/saml_idp, started by signin/tests/conftest.py) and
Inkludera's live test server, walked as a browser would with `requests`: the sign-in
page's button, the AuthnRequest to the provider (HTTP-Redirect binding), the provider's
signed answer posted back (HTTP-POST binding, the form a browser would submit), the start
page. The provider is set up with `manage.py identity_provider saml` as an operator does."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from lxml import etree
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from audit.models import AccountEvent
from signin.adapters import SocialAccountAdapter
from signin.models import IdentityProvider

PROVIDER_ID = "test-saml"
LABEL = "Logga in med testkommunens SAML-konto"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"


@pytest.fixture
def inkludera(live_server, transactional_db, settings, world, saml_provider):
    """Inkludera's live server with the test provider set up for world.municipality by the
    operator's command. The command takes https addresses only; the test provider speaks
    plain HTTP on this machine, so its sign-on address is put in afterwards."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    call_command(
        "identity_provider",
        "saml",
        "--municipality",
        world.municipality.code,
        "--id",
        PROVIDER_ID,
        "--label",
        LABEL,
        "--domain",
        "example.se",
        "--entity-id",
        saml_provider.entity_id,
        "--sso-url",
        "https://idp.invalid/sso/redirect",
        "--certificate-file",
        str(saml_provider.certificate),
        stdout=io.StringIO(),
    )
    app = SocialApp.objects.get(provider_id=PROVIDER_ID)
    app.settings["idp"]["sso_url"] = saml_provider.sso_url
    app.save(update_fields=["settings"])
    saml_provider.set_mode("normal")
    yield live_server
    saml_provider.set_mode("normal")


@pytest.fixture
def auth_errors(monkeypatch):
    """Why allauth refused the provider's answer (python3-saml's reason), as its adapter hears it."""
    seen = []
    original = SocialAccountAdapter.on_authentication_error

    def record(self, request, provider, error=None, exception=None, extra_context=None):
        seen.append((extra_context or {}).get("saml_last_error_reason") or error or exception)
        return original(self, request, provider, error=error, exception=exception, extra_context=extra_context)

    monkeypatch.setattr(SocialAccountAdapter, "on_authentication_error", record)
    return seen


class _Forms(HTMLParser):
    """The forms of a page: action and hidden fields."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "method": attrs.get("method", "get"), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def forms_of(text: str) -> list[dict]:
    parser = _Forms()
    parser.feed(text)
    return parser.forms


def start_sign_in(live_server, provider, username: str, email: str):
    """Sign in at the provider as `username` with `email`, press the provider's button on
    Inkludera's sign-in page and return the browser and the provider's answering form."""
    browser = requests.Session()
    browser.get(f"{provider.url}/test-login/{username}/", params={"email": email}, timeout=10).raise_for_status()
    page = browser.get(live_server.url + reverse("login"), timeout=10)
    assert page.status_code == 200
    buttons = re.findall(r'<form method="post" action="([^"]+)">.*?<button[^>]*>([^<]+)</button>', page.text, re.S)
    action = reverse("saml_login", kwargs={"organization_slug": PROVIDER_ID})
    assert (action, LABEL) in [(a, html.unescape(label).strip()) for a, label in buttons], buttons
    form = next(f for f in forms_of(page.text) if f["action"] == action)
    answer = browser.post(urljoin(page.url, action), data=form["fields"], headers={"Referer": page.url}, timeout=20)
    # Inkludera sent the browser to the provider with an AuthnRequest.
    assert answer.url.split("?")[0] == provider.sso_url, provider.log_text()
    assert "SAMLRequest=" in answer.url
    assert answer.status_code == 200, answer.text + provider.log_text()
    (saml_form,) = [f for f in forms_of(answer.text) if "SAMLResponse" in f["fields"]]
    assert saml_form["method"].lower() == "post"
    assert saml_form["action"] == live_server.url + reverse("saml_acs", kwargs={"organization_slug": PROVIDER_ID})
    return browser, saml_form


def post_answer(browser, saml_form):
    """Submit the provider's form, as the browser's script would, and follow the redirects."""
    return browser.post(saml_form["action"], data=saml_form["fields"], timeout=20)


def sign_in(live_server, provider, username: str, email: str):
    browser, saml_form = start_sign_in(live_server, provider, username, email)
    return browser, saml_form, post_answer(browser, saml_form)


def signed_in(browser, live_server) -> bool:
    start = browser.get(live_server.url + reverse("home:start"), allow_redirects=False, timeout=10)
    if start.status_code == 200:
        return True
    assert start.status_code == 302 and start.headers["Location"].startswith(reverse("login"))
    return False


def people_page_status(browser, live_server) -> int:
    """The People page is for coordinators: 200 for one, 403 for other staff."""
    return browser.get(
        live_server.url + reverse("organisations:members"), allow_redirects=False, timeout=10
    ).status_code


def test_an_invited_contact_signs_in_with_their_role_and_the_identity_is_linked_once(inkludera, saml_provider, world):
    contact = world.users["contact_a"]
    browser, _form, response = sign_in(inkludera, saml_provider, "anna.saml", contact.email)
    assert response.status_code == 200, response.text
    assert response.url == inkludera.url + reverse("home:start")
    assert "Contact Testsson" in response.text
    assert signed_in(browser, inkludera)
    assert people_page_status(browser, inkludera) == 403  # a contact, as invited: not a coordinator
    account = SocialAccount.objects.get(user=contact)
    assert account.provider == PROVIDER_ID
    # The stable id is the provider's object id attribute, not the e-mail address.
    assert account.uid == "object-anna.saml"
    assert account.extra_data["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"] == [contact.email]

    # A second sign-in, in a new browser, uses the same link.
    browser, _form, response = sign_in(inkludera, saml_provider, "anna.saml", contact.email)
    assert response.url == inkludera.url + reverse("home:start")
    assert "Contact Testsson" in response.text
    assert SocialAccount.objects.filter(user=contact).count() == 1
    assert SocialAccount.objects.count() == 1
    assert get_user_model().objects.count() == len(world.users)


def test_attributes_named_by_oid_with_a_subject_id_and_a_transient_name_id_sign_in_too(inkludera, saml_provider, world):
    """As a Shibboleth-style provider (common among Sambi's) sends them: the command's
    attribute mapping reads mail and the subject-id; the link survives a new NameID."""
    saml_provider.set_mode("oid-attributes")
    contact = world.users["contact_a"]
    for _attempt in range(2):
        _browser, _form, response = sign_in(inkludera, saml_provider, "anna.sambi", contact.email)
        assert response.url == inkludera.url + reverse("home:start")
        assert "Contact Testsson" in response.text
    account = SocialAccount.objects.get(user=contact)
    assert account.uid == "anna.sambi@idp.test"
    assert account.extra_data["urn:oid:0.9.2342.19200300.100.1.3"] == [contact.email]


def test_a_coordinator_signs_in_as_coordinator_without_inkluderas_second_factor(inkludera, saml_provider, world):
    coordinator = world.users["coordinator"]
    browser, _form, response = sign_in(inkludera, saml_provider, "koordinator.saml", coordinator.email.upper())
    assert not any(reverse("mfa_authenticate") in r.url for r in [*response.history, response])
    assert response.url == inkludera.url + reverse("home:start")
    assert "Coordinator Testsson" in response.text
    assert people_page_status(browser, inkludera) == 200


def test_an_unknown_address_gets_the_swedish_refusal_and_no_account(inkludera, saml_provider, world):
    browser, _form, response = sign_in(inkludera, saml_provider, "okand", "okand.person@example.se")
    assert response.status_code == 403
    text = html.unescape(response.text)
    assert "Du kunde inte loggas in" in text
    assert "Inget konto i Stockholms stad är inbjudet med adressen okand.person@example.se." in text
    assert not signed_in(browser, inkludera)
    assert get_user_model().objects.count() == len(world.users)
    assert not get_user_model().objects.filter(email__iexact="okand.person@example.se").exists()
    assert not SocialAccount.objects.exists()
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.SIGN_IN_FAILED).count() == 1


def test_an_address_outside_the_providers_domains_is_refused(inkludera, saml_provider, world):
    contact = world.users["contact_a"]
    contact.email = "contact_a@annan-kommun.se"
    contact.save(update_fields=["email"])
    browser, _form, response = sign_in(inkludera, saml_provider, "anna.saml", contact.email)
    assert response.status_code == 403
    assert f"Adressen contact_a@annan-kommun.se hör inte till en domän som {LABEL} får logga in för." in html.unescape(
        response.text
    )
    assert not signed_in(browser, inkludera)
    assert not SocialAccount.objects.exists()


def swedish(text: str) -> str:
    """A message as the Swedish pages show it (locale/sv)."""
    with translation.override("sv"):
        return gettext(text)


REFUSED_ANSWER = (
    "The identity provider's answer could not be accepted. Try again from the sign-in page; if it happens again, "
    "contact your municipality's coordinator."
)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("other-key", "Signature validation failed. SAML Response rejected"),
        ("unsigned", "The Assertion of the Response is not signed and the SP require it"),
        ("expired", "Could not validate timestamp: expired. Check system clock."),
        ("not-yet-valid", "Could not validate timestamp: not yet valid. Check system clock."),
        ("wrong-audience", "is not a valid audience for this Response"),
        ("unsolicited", None),  # allauth refuses IdP-initiated sign-on, as the command sets it up
    ],
)
def test_an_answer_that_is_not_for_inkludera_now_or_not_from_the_provider_is_refused(
    inkludera, saml_provider, world, auth_errors, mode, reason
):
    saml_provider.set_mode(mode)
    contact = world.users["contact_a"]
    browser, _form, response = sign_in(inkludera, saml_provider, "anna.saml", contact.email)
    # The answer came back and allauth (python3-saml) refused it, for that reason.
    assert response.status_code == 401
    assert response.url == inkludera.url + reverse("saml_finish_acs", kwargs={"organization_slug": PROVIDER_ID})
    text = html.unescape(response.text)
    assert "Du kunde inte loggas in" in text
    assert swedish(REFUSED_ANSWER) in text
    assert "Contact Testsson" not in text
    assert len(auth_errors) == 1
    if reason:
        assert reason in str(auth_errors[0]), auth_errors
    assert not signed_in(browser, inkludera)
    assert not SocialAccount.objects.exists()
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.SIGN_IN_FAILED).count() == 1


REPLAYED = (
    "This answer from the identity provider has already been used, or this browser did not ask for it. Start the "
    "sign-in again from the sign-in page."
)


def test_a_replayed_answer_is_refused(inkludera, saml_provider, world):
    contact = world.users["contact_a"]
    browser, saml_form, response = sign_in(inkludera, saml_provider, "anna.saml", contact.email)
    assert response.url == inkludera.url + reverse("home:start")

    # Someone who captured the signed answer posts it from another browser, within its validity.
    thief = requests.Session()
    response = post_answer(thief, saml_form)
    assert response.status_code == 403
    assert swedish(REPLAYED) in html.unescape(response.text)
    assert "Contact Testsson" not in response.text
    assert not signed_in(thief, inkludera)

    # And the browser it was meant for cannot use it twice: signed out, it posts it again.
    start = browser.get(inkludera.url + reverse("home:start"), timeout=10)
    (logout,) = [f for f in forms_of(start.text) if f["action"] == reverse("logout")]
    browser.post(inkludera.url + logout["action"], data=logout["fields"], headers={"Referer": start.url}, timeout=10)
    assert not signed_in(browser, inkludera)
    response = post_answer(browser, saml_form)
    assert response.status_code == 403
    assert swedish(REPLAYED) in html.unescape(response.text)
    assert not signed_in(browser, inkludera)
    assert SocialAccount.objects.count() == 1
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.SIGN_IN_FAILED).count() == 2


def test_the_providers_metadata_address_serves_valid_service_provider_metadata(inkludera, world):
    url = inkludera.url + reverse("saml_metadata", kwargs={"organization_slug": PROVIDER_ID})
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    document = OneLogin_Saml2_XML.validate_xml(response.content, "saml-schema-metadata-2.0.xsd")
    assert not isinstance(document, str), document  # a string is the schema's complaint
    root = etree.fromstring(response.content)
    assert root.get("entityID") == url
    (sp,) = root.findall(f"{{{MD}}}SPSSODescriptor")
    assert sp.get("WantAssertionsSigned") == "true"
    (acs,) = sp.findall(f"{{{MD}}}AssertionConsumerService")
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    assert acs.get("Location") == inkludera.url + reverse("saml_acs", kwargs={"organization_slug": PROVIDER_ID})
    # Another id has no metadata.
    missing = inkludera.url + reverse("saml_metadata", kwargs={"organization_slug": "no-such-provider"})
    assert requests.get(missing, timeout=10).status_code == 404
    assert IdentityProvider.objects.get(app__provider_id=PROVIDER_ID).municipality == world.municipality
