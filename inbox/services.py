"""Writes of the inbox: a coordinator's Påminn, and the daily and weekly
summaries (docs/inbox.md). Every e-mail goes through the outbox, in the
transaction that records it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record
from organisations.models import Membership
from outbox.models import OutgoingMail
from outbox.services import mail_key, queue_mail

from .models import DigestSent, Frequency, Reminder
from .preferences import frequencies_of
from .selectors import Item, inbox_items


class AlreadyReminded(Exception):
    """Påminn was pressed on this object today already."""


# --- Påminn ------------------------------------------------------------------------


@dataclass
class Recipient:
    user_id: int
    name: str
    email: str
    about: list[str] = field(default_factory=list)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _contacts_of(unit_ids, municipality_id: int) -> dict[int, list]:
    """Each unit's active contact persons (accounts), in one query."""
    out: dict[int, list] = {}
    rows = Membership.units.through.objects.filter(
        orgunit_id__in=list(unit_ids),
        membership__municipality_id=municipality_id,
        membership__role=Membership.Role.CONTACT,
        membership__user__is_active=True,
    ).select_related("membership__user")
    for row in rows.order_by("membership__user__last_name", "membership__user__first_name", "pk"):
        out.setdefault(row.orgunit_id, []).append(row.membership.user)
    return out


def _recipients(about_by_unit: dict[int, list[str]], municipality_id: int) -> list[Recipient]:
    people: dict[int, Recipient] = {}
    for unit_id, users in _contacts_of(about_by_unit, municipality_id).items():
        for user in users:
            person = people.setdefault(user.pk, Recipient(user_id=user.pk, name=_person(user), email=user.email))
            person.about += [a for a in about_by_unit[unit_id] if a not in person.about]
    return sorted(people.values(), key=lambda r: r.name)


def round_late(rnd, *, today: date | None = None) -> tuple[list, list[Recipient]]:
    """The round's late reports (open after the deadline) and the contacts of their units."""
    from followups.models import UnitReport

    today = today or timezone.localdate()
    if not rnd.is_past_deadline(today):
        return [], []
    reports = list(
        rnd.reports.filter(status__in=UnitReport.OPEN_STATUSES).select_related("unit").order_by("unit__name")
    )
    about = {r.unit_id: [r.unit.name] for r in reports}
    return reports, _recipients(about, rnd.municipality_id)


def consultation_late(consultation, *, today: date | None = None) -> tuple[list, list[Recipient]]:
    """The consultation's views with overdue feedback and the contacts of the
    items' responsible units."""
    from consultations.selectors import overdue_views

    today = today or timezone.localdate()
    views = [
        v for v in overdue_views(consultation.municipality, today=today) if v.item.consultation_id == consultation.pk
    ]
    about: dict[int, list[str]] = {}
    for view in views:
        question = view.item.question[:80]
        if question not in about.setdefault(view.item.responsible_unit_id, []):
            about[view.item.responsible_unit_id].append(question)
    return views, _recipients(about, consultation.municipality_id)


def reminded_today(subject: str, obj, *, today: date | None = None) -> Reminder | None:
    today = today or timezone.localdate()
    return Reminder.objects.filter(subject=subject, object_id=obj.pk, sent_on=today).first()


@transaction.atomic
def remind(*, subject: str, obj, recipients: list[Recipient], by, link: str, what: str) -> Reminder:
    """Record the Påminn and queue one e-mail per recipient. Refused (AlreadyReminded)
    when the object was reminded about today, however the two presses met."""
    if not recipients:
        raise ValueError("nobody to remind")
    today = timezone.localdate()
    by_name = _person(by) if by is not None else ""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                municipality_id=obj.municipality_id,
                subject=subject,
                object_id=obj.pk,
                object_repr=str(obj)[:300],
                sent_on=today,
                by=by,
                by_name=by_name,
                recipients=[{"user": r.user_id, "name": r.name, "about": r.about} for r in recipients],
            )
    except IntegrityError:
        raise AlreadyReminded from None
    url = settings.SITE_URL.rstrip("/") + link
    with translation.override(settings.LANGUAGE_CODE):
        for r in recipients:
            if not r.email:
                continue
            body = "\n".join(
                [
                    _("%(person)s reminds you about %(what)s:") % {"person": by_name, "what": what},
                    "",
                    *[f"* {a}" for a in r.about],
                    "",
                    url,
                ]
            )
            queue_mail(
                kind=OutgoingMail.Kind.INBOX_REMINDER,
                to=r.email,
                subject=_("Reminder: %(what)s") % {"what": what},
                body=body,
                key=mail_key(OutgoingMail.Kind.INBOX_REMINDER, subject, obj.pk, today.isoformat(), r.user_id),
            )
        audit_record(
            municipality=obj.municipality,
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=obj,
            changes={"reminder": [None, [f"{r.name} ({', '.join(r.about)})" for r in recipients]]},
        )
    return reminder


def remind_round(*, rnd, by) -> Reminder:
    _reports, recipients = round_late(rnd)
    return remind(
        subject=Reminder.Subject.ROUND,
        obj=rnd,
        recipients=recipients,
        by=by,
        link=reverse("inbox:list"),
        what=_("the late follow-up report %(round)s") % {"round": rnd.name},
    )


def remind_consultation(*, consultation, by) -> Reminder:
    _views, recipients = consultation_late(consultation)
    return remind(
        subject=Reminder.Subject.CONSULTATION,
        obj=consultation,
        recipients=recipients,
        by=by,
        link=reverse("inbox:list"),
        what=_("the overdue feedback from the consultation %(title)s") % {"title": consultation.title},
    )


# --- Summaries ---------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_body(items: list[Item], link: str) -> str:
    from .selectors import grouped

    lines = [_("This is waiting for you in Inkludera:"), ""]
    for label, of_kind in grouped(items):
        lines.append(f"{label} ({len(of_kind)})")
        for item in of_kind:
            due = ""
            if item.due:
                due = " – " + (_("overdue since %(date)s") if item.overdue else _("due %(date)s")) % {
                    "date": item.due.isoformat()
                }
            lines.append(f"* {item.title}{due}")
            lines.append("  " + settings.SITE_URL.rstrip("/") + item.url)
        lines.append("")
    lines += [_("Everything in one place: %(link)s") % {"link": link}, ""]
    lines.append(_("Choose which e-mails you get under “My notifications”: %(link)s") % {"link": link + "aviseringar/"})
    return "\n".join(lines)


def send_digests(*, today: date | None = None) -> int:
    """One e-mail per person with what waits for them of the kinds they chose a
    summary for: the daily kinds every day, the weekly kinds once a week (on
    Monday, or the first run of the week after). A person's summary for a day or
    week is recorded (DigestSent) in the transaction that queues it, so a second
    run sends nothing; nothing is sent when nothing waits. Returns the e-mails queued."""
    today = today or timezone.localdate()
    monday = _monday(today)
    memberships = (
        Membership.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "municipality")
        .order_by("pk")
    )
    done = set(
        DigestSent.objects.filter(
            period_start__in=[today, monday], frequency__in=[Frequency.DAILY, Frequency.WEEKLY]
        ).values_list("user_id", "frequency", "period_start")
    )
    link = settings.SITE_URL.rstrip("/") + reverse("inbox:list")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for membership in memberships:
            user = membership.user
            chosen = frequencies_of(user)
            due: list[tuple[str, date]] = []
            if (user.pk, Frequency.DAILY, today) not in done:
                due.append((Frequency.DAILY, today))
            if (user.pk, Frequency.WEEKLY, monday) not in done:
                due.append((Frequency.WEEKLY, monday))
            due = [(freq, start) for freq, start in due if freq in chosen.values()]
            kinds = {k for k, f in chosen.items() if f in {freq for freq, _day in due}}
            if not kinds:
                continue
            items = inbox_items(membership, today=today, kinds=kinds)
            with transaction.atomic():
                for frequency, start in due:
                    of_frequency = [i for i in items if chosen[i.kind] == frequency]
                    if not of_frequency and frequency == Frequency.DAILY:
                        continue
                    try:
                        with transaction.atomic():
                            DigestSent.objects.create(
                                user=user, frequency=frequency, period_start=start, items=len(of_frequency)
                            )
                    except IntegrityError:  # a concurrent run sent it
                        continue
                    if not of_frequency:  # the week is done: nothing waited on its first run
                        continue
                    subject = (
                        _("Waiting for you: %(count)d things (daily summary)")
                        if frequency == Frequency.DAILY
                        else _("Waiting for you: %(count)d things (weekly summary)")
                    ) % {"count": len(of_frequency)}
                    queued = queue_mail(
                        kind=OutgoingMail.Kind.INBOX_DIGEST,
                        to=user.email,
                        subject=subject,
                        body=digest_body(of_frequency, link),
                        key=mail_key(OutgoingMail.Kind.INBOX_DIGEST, user.pk, frequency, start.isoformat()),
                    )
                    sent += queued is not None
    return sent


def prune_digests(*, keep_days: int = 60) -> int:
    """The record of summaries sent is needed only for the current week."""
    cutoff = timezone.localdate() - timedelta(days=keep_days)
    return DigestSent.objects.filter(period_start__lt=cutoff).delete()[0]
