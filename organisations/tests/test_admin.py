"""The admin: municipalities, units and memberships, for superusers only (support and repair)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from conftest import PASSWORD
from organisations.models import Membership, Municipality


@pytest.fixture
def superuser_client(world) -> Client:
    root = get_user_model().objects.create_superuser("root", "root@example.se", PASSWORD)
    client = Client()
    client.force_login(root)
    return client


def test_superuser_lists_and_searches_municipalities_and_memberships(superuser_client):
    page = superuser_client.get(reverse("admin:organisations_municipality_changelist")).content.decode()
    assert "Stockholms stad" in page and "0180" in page and "Huddinge kommun" in page
    found = superuser_client.get(reverse("admin:organisations_membership_changelist"), {"q": "contact_a@example"})
    html = found.content.decode()
    assert "contact_a@example.se" in html and "contact_b@example.se" not in html
    assert "Socialnämnden" in superuser_client.get(reverse("admin:organisations_orgunit_changelist")).content.decode()


def admin_form_data(client: Client, url: str) -> dict:
    """The add form's hidden fields as rendered (the CSRF token is not enforced by the test client)."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


def test_superuser_adds_a_municipality_and_it_is_audited(superuser_client):
    url = reverse("admin:organisations_municipality_add")
    data = admin_form_data(superuser_client, url)
    response = superuser_client.post(url, data | {"name": "Testby kommun", "code": "9999"})
    assert response.status_code == 302
    municipality = Municipality.objects.get(code="9999")
    assert (municipality.name, municipality.suppression_k) == ("Testby kommun", 5)
    event = AuditEvent.objects.get(municipality=municipality)
    assert (event.action, event.actor.username) == ("create", "root")


@pytest.mark.parametrize(
    ("code", "message"),
    [("12", "En kommunkod är fyra siffror, t.ex. 0180."), ("0126", "Det finns redan en kommun med kommunkod 0126")],
)
def test_the_admin_refuses_a_bad_or_taken_code(superuser_client, code, message):
    url = reverse("admin:organisations_municipality_add")
    data = admin_form_data(superuser_client, url)
    response = superuser_client.post(url, data | {"name": "Testby kommun", "code": code}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Municipality.objects.filter(name="Testby kommun").exists()


def test_superuser_adds_a_membership_with_units_of_its_own_municipality_only(superuser_client, world):
    person = get_user_model().objects.create_user("ny", "ny@example.se")
    url = reverse("admin:organisations_membership_add")
    data = admin_form_data(superuser_client, url) | {
        "user": person.pk, "municipality": world.municipality.pk, "role": "contact",
    }  # fmt: skip
    refused = superuser_client.post(url, data | {"units": [world.other_unit.pk]})
    assert refused.status_code == 200
    assert "Inte enheter i Stockholms stad: Kultur- och fritidsnämnden." in refused.content.decode()
    assert not Membership.objects.filter(user=person).exists()

    assert superuser_client.post(url, data | {"units": [world.unit_b.pk]}).status_code == 302
    member = Membership.objects.get(user=person)
    assert list(member.units.all()) == [world.unit_b]
    event = AuditEvent.objects.get(object_id=member.pk, content_type__model="membership")
    assert event.changes["units"] == [None, ["Hägersten-Älvsjö"]]


def test_superuser_changes_a_role_and_the_history_shows_it(superuser_client, world):
    member = world.membership("reader")
    url = reverse("admin:organisations_membership_change", args=[member.pk])
    data = admin_form_data(superuser_client, url)
    assert superuser_client.post(url, data | {"role": "coordinator"}).status_code == 302
    member.refresh_from_db()
    assert member.role == "coordinator"
    event = AuditEvent.objects.get(object_id=member.pk, content_type__model="membership", action="update")
    assert set(event.changes) == {"role"}


def test_nothing_is_deleted_in_the_admin(superuser_client, world):
    for name, pk in [
        ("admin:organisations_municipality_delete", world.municipality.pk),
        ("admin:organisations_orgunit_delete", world.unit_a.pk),
        ("admin:organisations_membership_delete", world.membership("reader").pk),
    ]:
        assert superuser_client.get(reverse(name, args=[pk])).status_code == 403, name
    assert Municipality.objects.filter(pk=world.municipality.pk).exists()


def test_the_invitation_action_queues_a_set_password_link(superuser_client, world, django_capture_on_commit_callbacks):
    from django.core import mail

    member = world.membership("contact_b")
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:organisations_membership_changelist"),
            {"action": "send_invitation", "_selected_action": [member.pk]},
            follow=True,
        )
    assert "1 person fick en länk för att välja lösenord med e-post." in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["contact_b@example.se"] and "/losenord/nytt/" in message.body


@pytest.mark.parametrize("role", ["coordinator", "reader", "other_coordinator"])
def test_members_never_reach_the_admin_pages(world, role):
    client = world.client(role)
    for name in ("admin:index", "admin:organisations_municipality_changelist", "admin:organisations_membership_add"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"], (role, name)


def test_staff_status_alone_does_not_open_the_admin(world):
    """Django's admin lets in every ``is_staff`` account; this one only superusers."""
    coordinator = world.users["coordinator"]
    coordinator.is_staff = True
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    response = client.get(reverse("admin:organisations_membership_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    # Signing in through the admin's own form does not help either.
    client = Client()
    client.post(reverse("admin:login"), {"username": "coordinator", "password": PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 302
    assert Municipality.objects.get(pk=world.municipality.pk).name == "Stockholms stad"


def test_people_are_made_unable_to_sign_in_in_the_admin_never_deleted_and_it_is_audited(superuser_client, world):
    """docs/operations.md: nothing is deleted in the admin, and every change there is in the
    municipality's history, the user pages (name, e-mail, can sign in) included."""
    from tests.formreader import submissions

    person = world.users["contact_b"]
    assert superuser_client.get(reverse("admin:auth_user_delete", args=[person.pk])).status_code == 403
    changelist = superuser_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist

    url = reverse("admin:auth_user_change", args=[person.pk])
    (form,) = [s for s in submissions(url, superuser_client.get(url).content) if s.name.endswith("|_save")]
    data = dict(form.data)
    data.pop("is_active")  # the box unticked: the person can no longer sign in
    response = superuser_client.post(form.action, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_active and get_user_model().objects.filter(pk=person.pk).exists()
    event = AuditEvent.objects.get(object_id=person.membership.pk, action="update")
    assert (event.municipality, event.actor.username) == (world.municipality, "root")
    assert event.changes == {"is_active": [True, False]}
