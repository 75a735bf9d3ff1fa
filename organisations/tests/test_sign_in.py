"""Sign-in throttling counts failures per account, however the name is typed."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_user
from organisations.backends import lockout_username


def sign_in(username: str, password: str, ip: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    # As the browser sends it: the CSRF token the page rendered, then the form.
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


@pytest.fixture
def contact(world):
    return make_user("sthlm-kontakt-un", world.municipality, "contact", [world.unit_a])


SPELLINGS = ["sthlm-kontakt-un", "STHLM-KONTAKT-UN", "Sthlm-Kontakt-Un", "sthlm-kontakt-un@example.se"]


def test_every_spelling_of_the_name_signs_in(contact):
    for spelling in SPELLINGS:
        _client, response = sign_in(spelling, PASSWORD)
        assert response.status_code == 302, spelling


@pytest.mark.parametrize("failed_with", SPELLINGS)
def test_failures_with_one_spelling_lock_every_spelling(contact, settings, failed_with):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _client, response = sign_in(failed_with, "wrong-guess")
        assert response.status_code in (200, 429)
    for spelling in SPELLINGS:
        client, response = sign_in(spelling, PASSWORD)
        assert response.status_code == 429, spelling
        page = response.content.decode()
        assert "För många misslyckade försök" in page, spelling
        # Not signed in: the start page sends the visitor to the sign-in page.
        assert client.get(reverse("home:start"))["Location"].startswith(reverse("login"))


def test_failures_spread_over_spellings_add_up(contact, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(SPELLINGS[attempt % len(SPELLINGS)], "wrong-guess")
    assert sign_in("sthlm-kontakt-un", PASSWORD)[1].status_code == 429


def test_another_account_and_another_address_are_not_locked(contact, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("STHLM-KONTAKT-UN", "wrong-guess")
    assert sign_in("reader", PASSWORD)[1].status_code == 302
    assert sign_in("Sthlm-Kontakt-Un", PASSWORD, ip="10.0.0.2")[1].status_code == 302


def test_the_counted_name(rf, contact):
    def counted(name):
        return lockout_username(rf.post("/", {"username": name}))

    assert {counted(s) for s in SPELLINGS} == {"sthlm-kontakt-un"}
    assert counted("  Nobody-Here ") == "nobody-here"
    assert lockout_username(rf.post("/"), {"username": "STHLM-kontakt-UN", "password": "x"}) == "sthlm-kontakt-un"


def _new_member(client, **fields):
    """The new-person form as the browser sends it, with ``fields`` typed in."""
    from tests.formreader import submissions

    url = reverse("organisations:member_create")
    page = client.get(url)
    (form,) = [f for f in submissions(url, page.content) if f.action.endswith(url)]
    data = form.data | {k: [v] for k, v in fields.items()}
    return client.post(url, data)


def test_no_username_can_be_another_persons_e_mail_address(world, contact):
    """The sign-in name is a username or an e-mail address, a username first: a
    coordinator in another municipality who named a new account after this person's
    address took over signing in with that address (it then checked the password of
    the other account, and failures counted there)."""
    other = world.client("other_coordinator")
    response = _new_member(
        other,
        username="STHLM-kontakt-un@example.se",
        first_name="Ny",
        last_name="Person",
        email="ny.person@example.se",
        role="reader",
    )
    assert response.status_code == 200
    assert "Användarnamnet är upptaget." in response.content.decode()
    assert not get_user_model().objects.filter(email="ny.person@example.se").exists()
    assert sign_in("sthlm-kontakt-un@example.se", PASSWORD)[1].status_code == 302


def test_no_e_mail_address_can_be_another_persons_username(world):
    """The other way round: an address that is someone's username signs in as them."""
    make_user("anna@example.se", world.municipality, "reader").__class__.objects.filter(
        username="anna@example.se"
    ).update(email="anna.a@example.se")
    response = _new_member(
        world.client("other_coordinator"),
        username="ny.person",
        first_name="Ny",
        last_name="Person",
        email="ANNA@example.se",
        role="reader",
    )
    assert response.status_code == 200
    assert "En annan person har redan den här e-postadressen." in response.content.decode()
    assert not get_user_model().objects.filter(username="ny.person").exists()
