"""iCalendar files (RFC 5545) of the public calendar, built with ``icalendar``
through lib/ical.py (shared with the e-mailed invitations, lib/invitations.py).

Each item is a VEVENT with a stable UID (``event-<id>@<host>`` or
``samrad-<id>@<host>``, the host of SITE_URL), its start and end as
Stockholm times (TZID=Europe/Stockholm, with the VTIMEZONE), the summary,
description and location with a LANGUAGE parameter saying the text's real
language (``sv`` when the Swedish text stands in), the page's address, and
DTSTAMP/LAST-MODIFIED/SEQUENCE from the item's own history (the file is the
same for everyone; SEQUENCE is the one the invitations carry). Never an
ORGANIZER or ATTENDEE: no person is named."""

from __future__ import annotations

from datetime import UTC

from django.http import HttpResponse
from icalendar import Event as VEvent

from lib.ical import finish, item_uid, new_calendar, site_url, timed_vevent, uid_host  # noqa: F401 (re-exported)

from .selectors.calendar import CalendarItem
from .site import PublicContext

CONTENT_TYPE = "text/calendar; charset=utf-8"


def vevent(public: PublicContext, item: CalendarItem) -> VEvent:
    # DTSTAMP is when the item was last revised (no METHOD: RFC 5545 3.8.7.2), so
    # the same item gives the same file, whoever asks and when.
    event = timed_vevent(
        uid=item_uid(item.uid_prefix, item.pk),
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        sequence=item.sequence,
        stamp=item.revised,
    )
    event.add("last-modified", item.revised.astimezone(UTC))
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
    cal = new_calendar(prodid="-//Inkludera//Public calendar//SV", name=name)
    for item in items:
        cal.add_component(vevent(public, item))
    return finish(cal, [item.starts_at for item in items])


def ics_response(public: PublicContext, items: list[CalendarItem], *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(calendar_file(public, items, name), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
