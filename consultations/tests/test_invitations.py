"""Calendar invitations (lib/invitations.py): a samråd's representatives and the
contacts of its organising units get ``invitation.ics``; a change of time,
place or title sends the next SEQUENCE, a cancellation METHOD:CANCEL. Every
form is posted as the browser sends it (tests/formreader.py)."""

from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from consultations.models import Consultation
from lib.ical import CALENDAR_TZ
from outbox.models import OutgoingMail
from tests.formreader import submissions


def local(days: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute), tzinfo=CALENDAR_TZ)


def the_form(client, url):
    page = client.get(url)
    assert page.status_code == 200
    (form,) = [s for s in submissions(url, page.content) if s.action.endswith(url)]
    return form.data


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def invitation_parts(message):
    """The message's .ics attachments as (filename, content type, parsed calendar)."""
    found = []
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            found.append((part.get_filename(), part["Content-Type"], Calendar.from_ical(part.get_payload(decode=True))))
    return found


def only_invitation(message):
    ((filename, content_type, cal),) = invitation_parts(message)
    assert filename == "invitation.ics"
    (vevent,) = cal.walk("VEVENT")
    return content_type, cal, vevent


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def scheduled(world, django_capture_on_commit_callbacks):
    """A samråd in ten days, scheduled through the form by contact A with the
    representative invited."""
    client = world.client("contact_a")
    url = reverse("consultations:create")
    data = the_form(client, url)
    data.update({
        "title": "Samråd om läxhjälp", "form": "oppet", "organisers": [str(world.unit_a.pk)],
        "starts_at": local(10, 17, 30).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(10, 19, 30).strftime("%Y-%m-%dT%H:%M"),
        "place": "Medborgarhuset", "influence": "samrad", "influence_note": "Hur läxhjälpen ska organiseras.",
        "representatives": [str(world.membership("representative").pk)],
    })  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    return Consultation.objects.get(title="Samråd om läxhjälp")


def test_the_invitation_carries_an_ics_in_stockholm_time(world, scheduled, settings):
    assert sorted(m.to[0] for m in mail.outbox) == ["contact_a@example.se", "representative@example.se"]
    (message,) = mails_to("representative@example.se")
    assert "Medborgarhuset" in message.body
    content_type, cal, vevent = only_invitation(message)
    assert content_type == "text/calendar; method=REQUEST; charset=utf-8"
    assert str(cal["METHOD"]) == "REQUEST"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    # Both the winter and the summer rule, so any calendar shows the Stockholm hour.
    assert {sub.name for sub in cal.walk("VTIMEZONE")[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert vevent["DTSTART"].dt == scheduled.starts_at and vevent["DTSTART"].dt.hour == 17
    assert vevent["DTSTART"].dt.tzinfo.key == "Europe/Stockholm"
    assert vevent["DTEND"].dt == scheduled.ends_at and vevent["DTEND"].params["TZID"] == "Europe/Stockholm"
    assert str(vevent["UID"]).startswith(f"samrad-{scheduled.pk}@")
    assert str(vevent["UID"]).endswith("@" + urlsplit(settings.SITE_URL).hostname)
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["SUMMARY"]) == "Samråd om läxhjälp"
    assert str(vevent["LOCATION"]) == "Medborgarhuset"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    link = settings.SITE_URL.rstrip("/") + reverse("consultations:detail", args=[scheduled.pk])
    assert link in str(vevent["DESCRIPTION"])
    assert str(vevent["ORGANIZER"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert vevent["ORGANIZER"].params["CN"] == "Stockholms stad"
    # Only the recipient is named in their own file.
    assert str(vevent["ATTENDEE"]) == "mailto:representative@example.se"
    # The organising unit's contact gets the same meeting (same UID) for their calendar.
    (to_contact,) = mails_to("contact_a@example.se")
    _type, _cal, theirs = only_invitation(to_contact)
    assert str(theirs["UID"]) == str(vevent["UID"]) and str(theirs["ATTENDEE"]) == "mailto:contact_a@example.se"
    # The outbox keeps the file only until it is sent.
    assert set(OutgoingMail.objects.values_list("status", "attachment")) == {(OutgoingMail.Status.SENT, "")}


def test_a_change_of_time_sends_the_next_sequence_to_everyone_invited(
    world, scheduled, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client = world.client("contact_a")
    url = reverse("consultations:edit", args=[scheduled.pk])
    data = the_form(client, url)
    data["starts_at"] = local(11, 18, 0).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = local(11, 20, 0).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    scheduled.refresh_from_db()
    assert scheduled.calendar_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["contact_a@example.se", "representative@example.se"]
    for message in mail.outbox:
        assert message.subject.startswith("Ändrat") or "Changed" in message.subject, message.subject
        content_type, cal, vevent = only_invitation(message)
        assert "method=REQUEST" in content_type and str(cal["METHOD"]) == "REQUEST"
        assert int(vevent["SEQUENCE"]) == 1
        assert vevent["DTSTART"].dt == local(11, 18, 0)

    # A change nobody's calendar needs (the internal notes) sends nothing.
    mail.outbox.clear()
    data = the_form(client, url)
    data["internal_notes"] = "Boka lokalen."
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    scheduled.refresh_from_db()
    assert scheduled.calendar_sequence == 1 and mail.outbox == []

    # A new place: the next sequence again.
    data = the_form(client, url)
    data["place"] = "Stadsbiblioteket"
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    _type, _cal, vevent = only_invitation(mails_to("representative@example.se")[-1])
    assert int(vevent["SEQUENCE"]) == 2 and str(vevent["LOCATION"]) == "Stadsbiblioteket"


def test_a_representative_no_longer_invited_gets_a_cancellation(world, scheduled, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    client = world.client("contact_a")
    url = reverse("consultations:edit", args=[scheduled.pk])
    data = the_form(client, url)
    data.pop("representatives")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, data)
    assert [m.to for m in mail.outbox] == [["representative@example.se"]]
    content_type, cal, vevent = only_invitation(mail.outbox[0])
    assert "method=CANCEL" in content_type and str(cal["METHOD"]) == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1


def test_deleting_a_coming_samrad_cancels_it_in_every_calendar(world, scheduled, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    uid = f"samrad-{scheduled.pk}@"
    client = world.client("contact_a")
    url = reverse("consultations:delete", args=[scheduled.pk])
    page = client.get(url)
    (form,) = [s for s in submissions(url, page.content) if s.action.endswith(url)]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, url, form.data)
    assert not Consultation.objects.filter(pk=scheduled.pk).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["contact_a@example.se", "representative@example.se"]
    for message in mail.outbox:
        content_type, cal, vevent = only_invitation(message)
        assert "method=CANCEL" in content_type and str(cal["METHOD"]) == "CANCEL"
        assert str(vevent["STATUS"]) == "CANCELLED"
        assert str(vevent["UID"]).startswith(uid) and int(vevent["SEQUENCE"]) == 1


def test_the_public_feed_has_the_same_uid_and_sequence(world, scheduled, settings):
    """A samråd in the public calendar is the same meeting in the feed and the invitation."""
    from public.ical import vevent as feed_vevent
    from public.selectors.calendar import consultation_item

    Consultation.objects.filter(pk=scheduled.pk).update(calendar_sequence=3)
    scheduled.refresh_from_db()

    class Public:  # what the feed needs of the public site
        def url(self, name, pk):
            return f"/0180/samrad/{pk}/"

    feed = feed_vevent(Public(), consultation_item(scheduled))
    _type, _cal, invited = only_invitation(mails_to("representative@example.se")[0])
    assert str(feed["UID"]) == str(invited["UID"]) and int(feed["SEQUENCE"]) == 3
