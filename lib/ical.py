"""iCalendar (RFC 5545) building blocks shared by the public calendar's feeds
(public/ical.py) and the invitations e-mailed to a samråd's representatives
and an event's organisers (lib/invitations.py), built with ``icalendar``.

One item has one UID everywhere (``samrad-<id>@<host>`` or
``event-<id>@<host>``, the host of SITE_URL), so a calendar that holds both a
feed's copy and an invitation's knows them as the same meeting. Times are
written as Stockholm wall-clock times (TZID=Europe/Stockholm) with the
VTIMEZONE for the years they fall in, so every calendar app shows the hour the
municipality meant, across summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as VEvent

# The calendar's time zone, whatever the server's.
CALENDAR_TZ = ZoneInfo("Europe/Stockholm")


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def item_uid(prefix: str, pk: int) -> str:
    """``samrad-12@inkludera.example.se``: the same in the feeds and the invitations."""
    return f"{prefix}-{pk}@{uid_host()}"


def new_calendar(*, prodid: str, method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", str(CALENDAR_TZ))
    return cal


def timed_vevent(*, uid: str, starts_at: datetime, ends_at: datetime | None, sequence: int, stamp: datetime) -> VEvent:
    """A VEVENT with its UID, DTSTAMP, Stockholm DTSTART/DTEND and SEQUENCE; the
    caller adds the texts."""
    event = VEvent()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(CALENDAR_TZ))
    if ends_at:
        event.add("dtend", ends_at.astimezone(CALENDAR_TZ))
    event.add("sequence", sequence)
    return event


def finish(cal: Calendar, starts: list[datetime]) -> bytes:
    """The file: with the Stockholm VTIMEZONE for the years the items fall in
    (not since 1970, which would make every file large)."""
    if starts:
        years = [timezone_year(moment) for moment in starts]
        cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    return cal.to_ical()


def timezone_year(moment: datetime) -> int:
    return moment.astimezone(CALENDAR_TZ).year
