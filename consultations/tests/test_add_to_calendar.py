"""The "Lägg till i min kalender" link: a samråd's and an event's page offer the item as an
.ics file (METHOD:PUBLISH) with the same UID and SEQUENCE as the invitations, in
Stockholm time, to whoever may read the page."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Event
from lib.ical import CALENDAR_TZ, item_uid

pytestmark = pytest.mark.django_db


def parsed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH"
    (vevent,) = cal.walk("VEVENT")
    return cal, vevent


def test_a_consultation_downloads_as_a_calendar_entry(world):
    consultation = world.consultation
    consultation.calendar_sequence = 3
    consultation.save(update_fields=["calendar_sequence"])
    client = world.client("contact_b")  # staff of the municipality, not an organiser
    page = client.get(reverse("consultations:detail", args=[consultation.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    url = reverse("consultations:ics", args=[consultation.pk])
    assert f'href="{url}"' in page.content.decode() and "Lägg till i min kalender (.ics)" in page.content.decode()
    cal, vevent = parsed(client.get(url))
    assert str(vevent["UID"]) == item_uid("samrad", consultation.pk)
    assert int(vevent["SEQUENCE"]) == 3 and str(vevent["SUMMARY"]) == consultation.title
    start = vevent.decoded("DTSTART")
    assert start == consultation.starts_at and str(start.tzinfo) == str(CALENDAR_TZ)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert "ATTENDEE" not in vevent  # nobody's address in a file anyone may download
    assert world.client("other_coordinator").get(url).status_code == 404


def test_an_event_downloads_as_a_calendar_entry(world):
    starts = datetime.combine(timezone.localdate() + timedelta(days=40), datetime.min.time(), tzinfo=CALENDAR_TZ)
    event = Event.objects.create(
        municipality=world.municipality,
        title="Romska nationaldagen",
        kind=Event.Kind.ROMA_DAY,
        starts_at=starts.replace(hour=17),
        ends_at=starts.replace(hour=20),
        place="Stadshuset",
    )
    event.organisers.set([world.unit_a])
    client = world.client("reader")
    _cal, vevent = parsed(client.get(reverse("events:ics", args=[event.pk])))
    assert str(vevent["UID"]) == item_uid("event", event.pk)
    assert str(vevent["LOCATION"]) == "Stadshuset"
    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(hours=3)
    assert world.client("other_coordinator").get(reverse("events:ics", args=[event.pk])).status_code == 404
    assert world.client("anonymous").get(reverse("events:ics", args=[event.pk])).status_code == 302
