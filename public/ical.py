"""iCalendar files (RFC 5545) of the public calendar, built with ``icalendar``.

Each item is a VEVENT with a stable UID (``event-<id>@<host>`` or
``samrad-<id>@<host>``, the host of SITE_URL), its start and end as
Stockholm times (TZID=Europe/Stockholm, with the VTIMEZONE), the summary,
description and location with a LANGUAGE parameter saying the text's real
language (``sv`` when the Swedish text stands in), the page's address, and
DTSTAMP/LAST-MODIFIED/SEQUENCE from the item's own history (the file is the
same for everyone). Never an ORGANIZER or ATTENDEE: no person is named."""

from __future__ import annotations

from datetime import UTC, date
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar
from icalendar import Event as VEvent

from .selectors.calendar import CALENDAR_TZ, CalendarItem
from .site import PublicContext

CONTENT_TYPE = "text/calendar; charset=utf-8"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def vevent(public: PublicContext, item: CalendarItem) -> VEvent:
    event = VEvent()
    event.add("uid", f"{item.uid_prefix}-{item.pk}@{uid_host()}")
    # When the item was last revised (no METHOD: RFC 5545 3.8.7.2), so the
    # same item gives the same file, whoever asks and when; SEQUENCE counts edits.
    event.add("dtstamp", item.revised.astimezone(UTC))
    event.add("last-modified", item.revised.astimezone(UTC))
    event.add("dtstart", item.starts_at.astimezone(CALENDAR_TZ))
    if item.ends_at:
        event.add("dtend", item.ends_at.astimezone(CALENDAR_TZ))
    event.add("sequence", item.sequence)
    event.add("summary", item.title.text, parameters={"LANGUAGE": item.title.lang})
    if item.description:
        event.add("description", item.description.text, parameters={"LANGUAGE": item.description.lang})
    if item.place:
        # Place names are the municipality's, in Swedish.
        event.add("location", item.place, parameters={"LANGUAGE": "sv"})
    event.add("url", site_url(public.url(item.url_name, item.pk)))
    event.add("class", "PUBLIC")
    event.add("transp", "OPAQUE")
    return event


def calendar_file(public: PublicContext, items: list[CalendarItem], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Inkludera//Public calendar//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(CALENDAR_TZ))
    for item in items:
        cal.add_component(vevent(public, item))
    if items:
        # The time zone's rules for the years the items fall in, not since 1970.
        years = [item.local_start.year for item in items]
        cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    return cal.to_ical()


def ics_response(public: PublicContext, items: list[CalendarItem], *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(calendar_file(public, items, name), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
