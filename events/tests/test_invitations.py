"""An event in the organisers' calendars (lib/invitations.py): the contacts of
its organising units get ``invitation.ics``; a new time, place or title the next
SEQUENCE; a deleted event METHOD:CANCEL. Nothing for an event already over."""

import pytest
from django.core import mail
from django.urls import reverse

from consultations.tests.test_invitations import local, only_invitation, post
from events.models import Event
from outbox.models import OutgoingMail
from tests.formreader import submissions


def form_data(client, url):
    page = client.get(url)
    assert page.status_code == 200
    (form,) = [s for s in submissions(url, page.content) if s.action.endswith(url)]
    return form.data


def register(world, client, *, days, django_capture_on_commit_callbacks):
    url = reverse("events:create")
    data = form_data(client, url)
    data.update({
        "title": "Romska nationaldagen", "kind": "8_april", "organisers": [str(world.unit_a.pk)],
        "starts_at": local(days, 14).strftime("%Y-%m-%dT%H:%M"), "ends_at": local(days, 17).strftime("%Y-%m-%dT%H:%M"),
        "place": "Kulturhuset",
    })  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    return Event.objects.get(title="Romska nationaldagen")


@pytest.fixture
def registered(world, django_capture_on_commit_callbacks):
    return register(
        world,
        world.client("coordinator"),
        days=20,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )


def test_the_organising_units_contacts_get_it_in_their_calendar(world, registered):
    assert [m.to for m in mail.outbox] == [["contact_a@example.se"]]
    assert OutgoingMail.objects.get().kind == OutgoingMail.Kind.EVENT_INVITATION
    content_type, cal, vevent = only_invitation(mail.outbox[0])
    assert content_type == "text/calendar; method=REQUEST; charset=utf-8"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm" and vevent["DTSTART"].dt == registered.starts_at
    assert str(vevent["UID"]).startswith(f"event-{registered.pk}@") and int(vevent["SEQUENCE"]) == 0
    assert str(vevent["LOCATION"]) == "Kulturhuset"
    assert reverse("events:detail", args=[registered.pk]) in str(vevent["DESCRIPTION"])


def test_a_new_place_an_added_unit_and_a_removed_one(world, registered, django_capture_on_commit_callbacks):
    client = world.client("coordinator")
    url = reverse("events:edit", args=[registered.pk])
    mail.outbox.clear()
    data = form_data(client, url)
    data["place"] = "Stadsbiblioteket"
    data["organisers"] = [str(world.unit_a.pk), str(world.unit_b.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    registered.refresh_from_db()
    assert registered.calendar_sequence == 1
    by_to = {m.to[0]: only_invitation(m) for m in mail.outbox}
    assert set(by_to) == {"contact_a@example.se", "contact_b@example.se"}
    for content_type, _cal, vevent in by_to.values():
        assert "method=REQUEST" in content_type
        assert int(vevent["SEQUENCE"]) == 1 and str(vevent["LOCATION"]) == "Stadsbiblioteket"

    # Only the description changes: no mail.
    mail.outbox.clear()
    data = form_data(client, url)
    data["description"] = "Musik och dans."
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    assert mail.outbox == []

    # Unit B no longer organises it: its contact's calendar loses it.
    data = form_data(client, url)
    data["organisers"] = [str(world.unit_a.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    assert [m.to for m in mail.outbox] == [["contact_b@example.se"]]
    content_type, cal, vevent = only_invitation(mail.outbox[0])
    assert str(cal["METHOD"]) == "CANCEL" and str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 2


def test_deleting_it_cancels_it(world, registered, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    client = world.client("coordinator")
    url = reverse("events:delete", args=[registered.pk])
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, form_data(client, url))
    content_type, _cal, vevent = only_invitation(mail.outbox[0])
    assert [m.to for m in mail.outbox] == [["contact_a@example.se"]]
    assert "method=CANCEL" in content_type and str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1


def test_an_event_registered_afterwards_sends_nothing(world, django_capture_on_commit_callbacks):
    register(
        world,
        world.client("coordinator"),
        days=-30,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []
