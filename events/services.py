"""Writes to events. Each runs in one transaction and writes its audit event in
the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from lib import invitations
from lib.languages import SWEDISH
from lib.locking import claim_version
from organisations.models import Membership, Municipality
from outbox.models import OutgoingMail
from public.services import text_save
from public.texts import rows, swedish_digest, text_fields
from public.translation import TextStatus

from .models import AGE_GROUPS, Event

EVENT_FIELDS = (
    "title", "kind", "starts_at", "ends_at", "place", "accessibility", "interpretation", "childcare",
    "partners", "is_public", "description", "participants_total", "participants",
)  # fmt: skip
# What "create next year's" copies: the texts, not the counts.
COPIED_FIELDS = tuple(f for f in EVENT_FIELDS if f not in ("participants_total", "participants"))


def mirror_swedish_texts(event: Event, *, by) -> None:
    """The Swedish public texts are the event's title and description: keep the
    ``sv`` row equal to them (public.services.text_save audits a change and
    sends the translations back to being translated)."""
    text_save(
        obj=event,
        municipality=event.municipality,
        language=SWEDISH,
        texts={"public_title": event.title, "public_text": event.description},
        by=by,
    )


def event_snapshot(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(event, name) for name in EVENT_FIELDS}
    data["kind"] = event.get_kind_display()
    for name in ("starts_at", "ends_at"):
        moment = getattr(event, name)
        data[name] = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else None
    ages = dict(AGE_GROUPS)
    data["participants"] = ", ".join(
        f"{ages.get(age, age)}: {n}" for age, n in sorted((event.participants or {}).items())
    )
    data["organisers"] = sorted(u.short_name for u in event.organisers.all())
    data["goals"] = sorted(g.code for g in event.goals.all())
    data["activities"] = sorted(a.reference for a in event.activities.select_related("municipality"))
    return data


def calendar_meeting(event: Event, *, sequence: int | None = None) -> invitations.Meeting:
    """The event as the calendar invitations to its organisers describe it."""
    return invitations.Meeting(
        uid_prefix="event",
        pk=event.pk,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place,
        path=reverse("events:detail", args=[event.pk]),
        municipality=event.municipality.name,
        sequence=event.calendar_sequence if sequence is None else sequence,
        mail_kind=OutgoingMail.Kind.EVENT_INVITATION,
    )


def calendar_people(event: Event) -> set[str]:
    """The e-mail addresses of the organising units' contacts: they get the event
    in their calendar. One query."""
    return set(
        Membership.objects.filter(
            municipality_id=event.municipality_id, role=Membership.Role.CONTACT,
            units__in=event.organisers.all(), user__is_active=True,
        ).exclude(user__email="").values_list("user__email", flat=True)
    )  # fmt: skip


@transaction.atomic
def event_create(
    *,
    municipality: Municipality,
    by,
    fields: dict[str, Any],
    organisers: Iterable = (),
    goals: Iterable = (),
    activities: Iterable = (),
    notify: bool = True,
) -> Event:
    """Register an event; with ``notify`` (not for demo data), a coming one goes
    to the calendars of its organising units' contacts."""
    event = Event.objects.create(municipality=municipality, **fields)
    event.organisers.set(list(organisers))
    event.goals.set(list(goals))
    event.activities.set(list(activities))
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=event,
        changes=snapshot_created(event_snapshot(event)),
    )
    mirror_swedish_texts(event, by=by)
    if notify and event.starts_at > timezone.now():
        invitations.send_invitations(calendar_meeting(event), organising=calendar_people(event))
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    by,
    fields: dict[str, Any],
    organisers: Iterable | None = None,
    goals: Iterable | None = None,
    activities: Iterable | None = None,
    version: int | None = None,
) -> Event:
    """Save changes; with ``version`` (the one the form was opened with), raise
    lib.locking.StaleEdit if someone else saved in between."""
    stored = Event.objects.get(pk=event.pk)
    before = event_snapshot(stored)
    claim_version(event, version)
    had = calendar_people(stored)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    if organisers is not None:
        event.organisers.set(list(organisers))
    if goals is not None:
        event.goals.set(list(goals))
    if activities is not None:
        event.activities.set(list(activities))
    if "title" in fields or "description" in fields:
        mirror_swedish_texts(event, by=by)
    audit_record(
        municipality=event.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=event,
        changes=diff(before, event_snapshot(event)),
    )
    _send_changes(event, stored, had)
    return event


def _send_changes(event: Event, stored: Event, had: set[str]) -> None:
    """As for a samråd (consultations.services): the invitation to contacts of
    newly organising units, an update when the time, place or title changed, a
    cancellation to those no longer organising. Nothing for an event that is over."""
    if max(event.ends_at or event.starts_at, stored.ends_at or stored.starts_at) < timezone.now():
        return
    now = calendar_people(event)
    changed = invitations.changed_for_calendar(invitations.calendar_values(stored), invitations.calendar_values(event))
    removed = had - now
    if changed or removed:
        event.calendar_sequence += 1
        Event.objects.filter(pk=event.pk).update(calendar_sequence=event.calendar_sequence)
    invitations.send_invitations(
        calendar_meeting(event), organising=now - had, updated=(now & had) if changed else (), uninvited=removed
    )


@transaction.atomic
def event_delete(*, event: Event, by) -> None:
    audit_record(
        municipality=event.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=event,
        changes=snapshot_deleted(event_snapshot(event)),
    )
    if (event.ends_at or event.starts_at) > timezone.now():
        # Not over yet: it is cancelled in the organisers' calendars.
        meeting = calendar_meeting(event, sequence=event.calendar_sequence + 1)
        invitations.send_invitations(meeting, cancelled=calendar_people(event))
    event.delete()


def next_year(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:  # 29 February: the 28th next year
        return moment.replace(year=moment.year + 1, day=28)


@transaction.atomic
def event_copy_next_year(*, event: Event, by) -> Event:
    """A copy one year later: same texts, organisers, goals and activities; no counts."""
    fields = {name: getattr(event, name) for name in COPIED_FIELDS}
    fields["starts_at"] = next_year(event.starts_at)
    fields["ends_at"] = next_year(event.ends_at)
    copy = event_create(
        municipality=event.municipality,
        by=by,
        fields=fields,
        organisers=event.organisers.all(),
        goals=event.goals.all(),
        activities=event.activities.all(),
    )
    # Translations made from today's Swedish text come along, with their status.
    by_language = rows(event)
    current = swedish_digest(event, by_language)
    for language, row in by_language.items():
        if language != SWEDISH and row.text_digest == current:
            text_save(
                obj=copy,
                municipality=copy.municipality,
                language=language,
                texts={field: getattr(row, field) for field in text_fields(event)},
                by=by,
                # A review is of this event's text; the copy's starts as done.
                status=TextStatus.DONE if row.text_status == TextStatus.REVIEWED else row.text_status,
            )
    return copy
