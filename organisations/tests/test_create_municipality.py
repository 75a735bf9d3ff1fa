"""manage.py create_municipality: a new tenant and its first coordinator, invited by e-mail."""

import io
import re
import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from organisations.models import Membership, Municipality
from outbox.models import OutgoingMail


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def create(*args: str, stderr=None) -> str:
    out = io.StringIO()
    call_command("create_municipality", *args, stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as info:
        create(*args)
    return str(info.value)


# The command commits for real: the invitation is sent after the commit.
@pytest.mark.django_db(transaction=True)
def test_creates_the_municipality_and_invites_its_first_coordinator(settings):
    settings.SITE_URL = "https://inkludera.testby.se/"
    out = create("9999", " Testby kommun ", "Anna.Ek@testby.se", "--first-name", "Anna", "--last-name", "Ek")

    municipality = Municipality.objects.get(code="9999")
    assert municipality.name == "Testby kommun"
    member = Membership.objects.get(municipality=municipality)
    assert member.role == Membership.Role.COORDINATOR
    assert (member.user.username, member.user.email) == ("anna.ek@testby.se", "Anna.Ek@testby.se")
    assert not member.user.has_usable_password()  # chosen by the coordinator, never known to the operator
    assert "Skapade Testby kommun (kommunkod 9999) med samordnaren anna.ek@testby.se" in out
    assert "En inbjudan med en länk för att välja lösenord skickades med e-post till Anna.Ek@testby.se." in out
    events = AuditEvent.objects.filter(municipality=municipality)
    assert sorted(e.content_type.model for e in events) == ["membership", "municipality"]

    # The invitation: in Swedish, with a link on the site's address where the coordinator chooses a password.
    (message,) = mail.outbox
    assert message.to == ["Anna.Ek@testby.se"]
    assert "Hej Anna Ek" in message.body and "med rollen samordnare" in message.body
    link = re.search(r"https://inkludera\.testby\.se(/\S+)", message.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    new_password = "ett-långt-lösenord-för-testby"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    signed_in = Client()
    sign_in = signed_in.post(reverse("login"), {"username": "anna.ek@testby.se", "password": new_password})
    assert sign_in.status_code == 302
    # A coordinator from the start: first asked to set up the second factor the role needs.
    assert signed_in.get(reverse("organisations:members"))["Location"] == reverse("mfa_index")
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(member.user, "JBSWY3DPEHPK3PXP")
    assert signed_in.get(reverse("organisations:members")).status_code == 200


# The command commits for real: the invitation is sent after the commit.
@pytest.mark.django_db(transaction=True)
def test_the_greeting_uses_the_username_without_a_name():
    create("9999", "Testby kommun", "samordnare@testby.se", "--username", "samordnare")
    assert Membership.objects.get().user.username == "samordnare"
    assert "Hej samordnare" in mail.outbox[0].body


@pytest.mark.parametrize("code", ["999", "99999", "12a4", "١٢٣٤", "0180 1"])
def test_refuses_a_code_that_is_not_four_digits(db, code):
    message = refused(code, "Testby kommun", "anna@testby.se")
    assert "Kommunkod: En kommunkod är fyra siffror, t.ex. 0180." in message
    assert "Ingenting skapades." in message
    assert not Municipality.objects.exists() and not get_user_model().objects.exists() and not mail.outbox


def test_refuses_an_existing_code_and_changes_nothing(world):
    message = refused("0180", "Nya Stockholm", "ny@stockholm.se")
    assert "Det finns redan en kommun med kommunkod 0180: Stockholms stad." in message
    assert "Ingenting skapades." in message
    assert Municipality.objects.get(code="0180").name == "Stockholms stad"
    assert not get_user_model().objects.filter(email="ny@stockholm.se").exists()
    assert not mail.outbox


# The command commits for real: the invitation is sent after the commit.
@pytest.mark.django_db(transaction=True)
def test_running_it_twice_creates_one_municipality():
    create("9999", "Testby kommun", "anna@testby.se")
    message = refused("9999", "Testby kommun", "anna@testby.se")
    assert "Det finns redan en kommun med kommunkod 9999: Testby kommun." in message
    assert "Det finns redan en kommun med det här namnet." in message
    assert "En annan person har redan den här e-postadressen." in message
    assert Municipality.objects.count() == 1 and Membership.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("email", ["anna", "anna@", "anna@testby", "anna testby.se", ""])
def test_refuses_a_bad_email_address(db, email):
    message = refused("9999", "Testby kommun", email)
    assert message.startswith("E-post: ")
    assert "Ingenting skapades." in message
    assert not Municipality.objects.exists() and not mail.outbox


def test_refuses_an_email_address_or_username_already_in_use(world):
    assert "En annan person har redan den här e-postadressen." in refused("9999", "Testby", "READER@example.se")
    message = refused("9999", "Testby", "ny@testby.se", "--username", "Coordinator")
    assert "Användarnamn: Användarnamnet är upptaget." in message
    assert not Municipality.objects.filter(code="9999").exists()


def test_refuses_an_empty_name(db):
    assert "Namn: " in refused("9999", "  ", "anna@testby.se")
    assert not Municipality.objects.exists()


def test_refuses_a_name_over_several_lines_or_with_control_characters(db):
    """The name heads every page, report and e-mail subject: one line, as the admin requires too."""
    assert "Namn: Skriv det här på en rad, utan radbrytningar." in refused("9999", "Testby\nkommun", "anna@testby.se")
    assert "Namn: " in refused("9999", "Testby\x07kommun", "anna@testby.se")
    assert "Förnamn: " in refused("9999", "Testby kommun", "anna@testby.se", "--first-name", "An\nna")
    assert not Municipality.objects.exists()


def test_the_admin_refuses_a_name_over_several_lines(world):
    from django.test import Client

    root = get_user_model().objects.create_superuser("root", "root@example.se", "x-Lösenord-2026")
    client = Client()
    client.force_login(root)
    url = reverse("admin:organisations_municipality_change", args=[world.municipality.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = client.post(url, data | {"name": "Stockholms\nstad"})
    assert response.status_code == 200 and "Skriv det här på en rad, utan radbrytningar." in response.content.decode()
    assert Municipality.objects.get(pk=world.municipality.pk).name == "Stockholms stad"


# The command commits for real: the invitation is sent after the commit.
@pytest.mark.django_db(transaction=True)
def test_a_failed_email_is_retried_and_the_operator_told_how_to_get_a_link(monkeypatch, settings):
    settings.SITE_URL = "https://inkludera.testby.se"

    def fail(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "no")

    monkeypatch.setattr(EmailMultiAlternatives, "send", fail)
    err = io.StringIO()
    out = create("9999", "Testby kommun", "anna@testby.se", stderr=err)
    assert "Skapade Testby kommun (kommunkod 9999)" in out and "skickades" not in out
    assert "Inbjudan till anna@testby.se kunde inte skickas än (SMTPConnectError" in err.getvalue()
    assert "https://inkludera.testby.se" + reverse("password_reset") in err.getvalue()
    assert Membership.objects.get().municipality.code == "9999"
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.WAITING  # send_mail_outbox tries again
