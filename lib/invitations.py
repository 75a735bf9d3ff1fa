"""Calendar invitations by e-mail: a samråd to its representatives and the
contacts of its organising units, an event to the contacts of its organising
units. Each mail carries ``invitation.ics`` (RFC 5546 iTIP, the form Outlook,
Google and Apple read as a meeting):

- an invitation or a change of time, place or title: METHOD:REQUEST;
- a cancellation, or a person no longer invited: METHOD:CANCEL with
  STATUS:CANCELLED.

The UID is the item's own (the same as the public feeds', lib/ical.py), so a
later mail replaces the earlier one in the recipient's calendar; SEQUENCE is
the object's ``calendar_sequence``, which the services raise with every change
that is sent (``changed_for_calendar``). The ORGANIZER is the system's sender
address in the municipality's name, never a person; the only ATTENDEE is the
recipient of that mail. The services call ``send_invitations`` inside their
transaction: the mails go out after the commit (outbox)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from icalendar import vCalAddress, vText

from lib.ical import CALENDAR_TZ, finish, item_uid, new_calendar, site_url, timed_vevent
from outbox.services import Attachment, queue_mail

REQUEST = "REQUEST"
CANCEL = "CANCEL"
FILENAME = "invitation.ics"
# What decides whether the people invited are told of a change.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "video_link")


@dataclass(frozen=True)
class Meeting:
    """What an invitation says about a samråd or an event."""

    uid_prefix: str  # "samrad" or "event", as in the public feeds
    pk: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    path: str  # the page, for the DESCRIPTION and URL
    municipality: str
    sequence: int
    mail_kind: str

    @property
    def link(self) -> str:
        return site_url(self.path)

    @property
    def when(self) -> str:
        start = timezone.localtime(self.starts_at, CALENDAR_TZ)
        text = formats.date_format(start, "j F Y") + " " + start.strftime("%H:%M")
        if self.ends_at:
            end = timezone.localtime(self.ends_at, CALENDAR_TZ)
            same_day = end.date() == start.date()
            text += "–" + (end.strftime("%H:%M") if same_day else formats.date_format(end, "j F Y H:i"))
        return text


def changed_for_calendar(before: dict, after: dict) -> bool:
    """Whether a change concerns the calendar (time, place or title): only then
    are the people invited sent an update."""
    return any(before.get(name) != after.get(name) for name in CALENDAR_FIELDS)


def calendar_values(obj) -> dict:
    return {name: getattr(obj, name, None) for name in CALENDAR_FIELDS}


def ics(meeting: Meeting, *, method: str, attendee: str) -> str:
    """The iTIP file for one recipient."""
    cal = new_calendar(prodid="-//Inkludera//Invitation//SV", method=method)
    event = timed_vevent(
        uid=item_uid(meeting.uid_prefix, meeting.pk),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        sequence=meeting.sequence,
        stamp=timezone.now(),
    )
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["CN"] = vText(meeting.municipality)
    event.add("organizer", organizer)
    guest = vCalAddress(f"mailto:{attendee}")
    guest.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"})
    event.add("attendee", guest)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", _("Read more: %(link)s") % {"link": meeting.link})
    event.add("url", meeting.link)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return finish(cal, [meeting.starts_at]).decode()


def publish_ics(meeting: Meeting) -> bytes:
    """The meeting as a file to add to one's own calendar (METHOD:PUBLISH, no attendee):
    the staff pages' "Lägg till i kalendern". The same UID and SEQUENCE as the invitations,
    so an invitation that arrives later updates the same calendar entry."""
    cal = new_calendar(prodid="-//Inkludera//Calendar//SV", method="PUBLISH")
    event = timed_vevent(
        uid=item_uid(meeting.uid_prefix, meeting.pk),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        sequence=meeting.sequence,
        stamp=timezone.now(),
    )
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", _("Read more: %(link)s") % {"link": meeting.link})
    event.add("url", meeting.link)
    event.add("status", "CONFIRMED")
    cal.add_component(event)
    return finish(cal, [meeting.starts_at])


def ics_download(meeting: Meeting, filename: str) -> HttpResponse:
    response = HttpResponse(publish_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def attachment(meeting: Meeting, *, method: str, attendee: str) -> Attachment:
    return Attachment(
        name=FILENAME,
        content_type=f"text/calendar; method={method}; charset=utf-8",
        text=ics(meeting, method=method, attendee=attendee),
    )


def _send(meeting: Meeting, emails: Iterable[str], *, method: str, subject: str, body: str) -> int:
    sent = 0
    for email in sorted(set(emails)):
        queue_mail(
            kind=meeting.mail_kind,
            to=email,
            subject=subject,
            body=body,
            attachment=attachment(meeting, method=method, attendee=email),
        )
        sent += 1
    return sent


def send_invitations(
    meeting: Meeting,
    *,
    invited: Iterable[str] = (),
    organising: Iterable[str] = (),
    updated: Iterable[str] = (),
    uninvited: Iterable[str] = (),
    cancelled: Iterable[str] = (),
) -> int:
    """Queue the calendar mails of one change, in the caller's transaction:
    ``invited`` (representatives newly invited) and ``organising`` (contacts of
    the organising units newly concerned) get the invitation, ``updated`` the
    changed time or place, ``uninvited`` word that they are no longer invited
    and ``cancelled`` that it will not take place. Returns how many were queued."""
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        # Inside the override: the month's name in Swedish.
        context = {"title": meeting.title, "when": meeting.when, "place": meeting.place or "–", "link": meeting.link}
        invitation = _("Invitation to consultation: %(title)s") if meeting.uid_prefix == "samrad" else None
        sent += _send(
            meeting,
            invited,
            method=REQUEST,
            subject=(invitation or _("Invitation: %(title)s")) % context,
            body=_("You are invited to %(title)s on %(when)s, %(place)s.\n\nRead more and follow up: %(link)s")
            % context,
        )
        sent += _send(
            meeting,
            organising,
            method=REQUEST,
            subject=_("In your calendar: %(title)s") % context,
            body=_(
                "Your unit organises %(title)s on %(when)s, %(place)s. "
                "The attached file puts it in your calendar.\n\nRead more: %(link)s"
            )
            % context,
        )
        sent += _send(
            meeting,
            updated,
            method=REQUEST,
            subject=_("Changed: %(title)s") % context,
            body=_(
                "%(title)s has changed. It now takes place on %(when)s, %(place)s. "
                "The attached file updates your calendar.\n\nRead more: %(link)s"
            )
            % context,
        )
        sent += _send(
            meeting,
            uninvited,
            method=CANCEL,
            subject=_("No longer invited: %(title)s") % context,
            body=_(
                "You are no longer invited to %(title)s on %(when)s. The attached file removes it from your calendar."
            )
            % context,
        )
        sent += _send(
            meeting,
            cancelled,
            method=CANCEL,
            subject=_("Cancelled: %(title)s") % context,
            body=_("%(title)s on %(when)s is cancelled. The attached file removes it from your calendar.") % context,
        )
    return sent
