"""Writes for consultations, views, feedback and minutes. Each runs in one
transaction and writes its audit event in the same transaction."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from inbox.models import Kind as InboxKind
from inbox.preferences import immediate_recipients
from lib import invitations, personal_data
from lib.locking import StaleEdit, claim_version
from organisations.models import Membership, Municipality
from outbox.models import OutgoingMail
from outbox.services import mail_key, queue_mail

from .models import (
    AgendaItem,
    Consultation,
    Feedback,
    FeedbackReminderSent,
    MinutesComment,
    MinutesVersion,
    View,
)


class NotAllowedNow(Exception):
    """The object is not in a state that allows the change; the message says why."""


def _audit(municipality, by, action, obj, changes, repr_=None):
    audit_record(municipality=municipality, actor=by, action=action, obj=obj, changes=changes, object_repr=repr_)


def consultation_snapshot(c: Consultation) -> dict[str, Any]:
    from .forms import attendance_text  # the forms import plans and activities

    return {
        "title": c.title,
        "form": c.get_form_display(),
        "organisers": sorted(u.short_name for u in c.organisers.all()),
        "council": str(c.council) if c.council_id else None,
        "starts_at": timezone.localtime(c.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(c.ends_at).strftime("%Y-%m-%d %H:%M"),
        "place": c.place,
        "accessibility": c.accessibility,
        "video_link": c.video_link,
        "services": c.service_labels(),
        "in_public_calendar": c.in_public_calendar,
        "invited_organisations": c.invited_organisations,
        "influence": c.get_influence_display(),
        "influence_note": c.influence_note,
        "representatives": sorted(m.user.get_full_name() for m in c.representatives.select_related("user")),
        "attendance_total": c.attendance_total,
        "attendance": attendance_text(c.attendance),
        "organisations_present": c.organisations_present,
        "compensation_paid": c.compensation_paid,
        "compensation_total": c.compensation_total,
        "internal_notes": c.internal_notes,
    }


def calendar_meeting(consultation: Consultation, *, sequence: int | None = None) -> invitations.Meeting:
    """The consultation as its calendar invitations describe it."""
    return invitations.Meeting(
        uid_prefix="samrad",
        pk=consultation.pk,
        title=consultation.title,
        starts_at=consultation.starts_at,
        ends_at=consultation.ends_at,
        place=consultation.place or consultation.video_link,
        path=reverse("consultations:detail", args=[consultation.pk]),
        municipality=consultation.municipality.name,
        sequence=consultation.calendar_sequence if sequence is None else sequence,
        mail_kind=OutgoingMail.Kind.CONSULTATION_INVITATION,
    )


def calendar_people(consultation: Consultation) -> tuple[set[str], set[str]]:
    """Who has the consultation in their calendar, by e-mail address: the
    representatives invited, and the other contacts of its organising units.
    Two queries."""
    active = {"user__is_active": True}
    representatives = set(
        consultation.representatives.filter(**active).exclude(user__email="").values_list("user__email", flat=True)
    )
    contacts = set(
        Membership.objects.filter(
            municipality_id=consultation.municipality_id, role=Membership.Role.CONTACT,
            units__in=consultation.organisers.all(), **active,
        ).exclude(user__email="").values_list("user__email", flat=True)
    )  # fmt: skip
    return representatives, contacts - representatives


@transaction.atomic
def consultation_create(
    *, municipality: Municipality, by, fields: dict[str, Any], organisers, representatives=()
) -> Consultation:
    consultation = Consultation.objects.create(municipality=municipality, **fields)
    consultation.organisers.set(organisers)
    consultation.representatives.set(representatives)
    _audit(
        municipality, by, AuditEvent.Action.CREATE, consultation, snapshot_created(consultation_snapshot(consultation))
    )
    representatives, contacts = calendar_people(consultation)
    if not _held(consultation):
        invitations.send_invitations(calendar_meeting(consultation), invited=representatives, organising=contacts)
    else:  # recorded afterwards: the representatives are told, no calendar needs it
        invitations.send_invitations(calendar_meeting(consultation), invited=representatives)
    return consultation


def _held(consultation: Consultation) -> bool:
    return consultation.ends_at <= timezone.now()


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, by, fields: dict[str, Any], organisers, representatives, version: int | None = None
) -> Consultation:
    """Save changes. ``organisers`` and ``representatives`` replace the current
    ones. Raises lib.locking.StaleEdit if saved by someone else since ``version``."""
    stored = Consultation.objects.get(pk=consultation.pk)
    before = consultation_snapshot(stored)
    claim_version(consultation, version)
    had_representatives, had_contacts = calendar_people(stored)
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.save()
    consultation.organisers.set(organisers)
    consultation.representatives.set(representatives)
    _audit(
        consultation.municipality, by, AuditEvent.Action.UPDATE, consultation,
        diff(before, consultation_snapshot(consultation)),
    )  # fmt: skip
    _send_changes(consultation, stored, had_representatives | had_contacts)
    return consultation


def _send_changes(consultation: Consultation, stored: Consultation, had: set[str]) -> None:
    """The calendar mails of an edit: the invitation to those newly invited or
    organising, an update (the next SEQUENCE) to the others when the time, place
    or title changed, and a cancellation to those no longer concerned."""
    representatives, contacts = calendar_people(consultation)
    if _held(consultation) and _held(stored):  # over: newly invited representatives are told, nothing more
        invitations.send_invitations(calendar_meeting(consultation), invited=representatives - had)
        return
    changed = invitations.changed_for_calendar(
        invitations.calendar_values(stored), invitations.calendar_values(consultation)
    )
    removed = had - representatives - contacts
    if changed or removed:
        consultation.calendar_sequence += 1
        Consultation.objects.filter(pk=consultation.pk).update(calendar_sequence=consultation.calendar_sequence)
    invitations.send_invitations(
        calendar_meeting(consultation),
        invited=representatives - had,
        organising=contacts - had,
        updated=((representatives | contacts) & had) if changed else (),
        uninvited=removed,
    )


@transaction.atomic
def consultation_delete(*, consultation: Consultation, by) -> None:
    if consultation.minutes.exclude(status=MinutesVersion.Status.DRAFT).exists():
        raise NotAllowedNow(_("A consultation whose minutes have been sent, approved or published is kept."))
    if Feedback.objects.filter(view__item__consultation=consultation).exists():
        raise NotAllowedNow(_("A consultation whose views have been answered is kept."))
    _audit(
        consultation.municipality, by, AuditEvent.Action.DELETE, consultation,
        snapshot_deleted(consultation_snapshot(consultation)),
    )  # fmt: skip
    if not _held(consultation):
        # Not held yet: it is cancelled in the calendars of those who have it.
        representatives, contacts = calendar_people(consultation)
        meeting = calendar_meeting(consultation, sequence=consultation.calendar_sequence + 1)
        invitations.send_invitations(meeting, cancelled=representatives | contacts)
    consultation.delete()


# --- Items and views ---------------------------------------------------------


def _item_snapshot(item: AgendaItem) -> dict[str, Any]:
    return {
        "question": item.question,
        "responsible_unit": item.responsible_unit.short_name,
        "decision_body": item.decision_body,
        "decision_date": item.decision_date,
        "decision_ref": item.decision_ref,
        "goals": sorted(g.code for g in item.goals.all()),
        "activities": sorted(str(a) for a in item.activities.select_related("municipality")),
    }


@transaction.atomic
def item_save(*, consultation: Consultation, by, item: AgendaItem | None, fields: dict[str, Any], goals, activities):
    creating = item is None
    if creating:
        top = consultation.items.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem(consultation=consultation, position=top + 1)
        before = {}
    else:
        before = _item_snapshot(AgendaItem.objects.get(pk=item.pk))
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    item.goals.set(goals)
    item.activities.set(activities)
    after = _item_snapshot(item)
    changes = snapshot_created(after) if creating else diff(before, after)
    action = AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE
    _audit(
        consultation.municipality,
        by,
        action,
        consultation,
        {f"item {item.position}: {k}": v for k, v in changes.items()},
    )
    return item


def item_kept_message(views: int) -> str:
    return ngettext(
        "The agenda item has %(count)d view and is kept. Remove the view first if it was recorded by mistake "
        "(a view that has been answered is kept).",
        "The agenda item has %(count)d views and is kept. Remove the views first if they were recorded by mistake "
        "(a view that has been answered is kept).",
        views,
    ) % {"count": views}


@transaction.atomic
def item_delete(*, item: AgendaItem, by) -> None:
    """Delete an agenda item without views. An item with views is kept: what
    the participants said is never lost with one click."""
    views = item.views.count()
    if views:
        raise NotAllowedNow(item_kept_message(views))
    consultation = item.consultation
    _audit(consultation.municipality, by, AuditEvent.Action.UPDATE, consultation, {"item": [item.question, None]})
    item.delete()


@transaction.atomic
def view_add(*, item: AgendaItem, by, text: str, given_by: str, representative: Membership | None) -> View:
    view = View.objects.create(item=item, text=text, given_by=given_by, representative=representative, entered_by=by)
    consultation = item.consultation
    _audit(consultation.municipality, by, AuditEvent.Action.UPDATE, consultation, {"view": [None, text]})
    return view


@transaction.atomic
def view_delete(*, view: View, by) -> None:
    if hasattr(view, "feedback"):
        raise NotAllowedNow(_("A view that has been answered is kept."))
    consultation = view.item.consultation
    _audit(consultation.municipality, by, AuditEvent.Action.UPDATE, consultation, {"view": [view.text, None]})
    view.delete()


def _feedback_snapshot(f: Feedback) -> dict[str, Any]:
    return {
        "status": f.get_status_display(),
        "reasoning": f.reasoning,
        "decision_ref": f.decision_ref,
        "unit": f.unit.short_name,
        "given_on": f.given_on,
        "goals": sorted(g.code for g in f.goals.all()),
        "activities": sorted(str(a) for a in f.activities.select_related("municipality")),
    }


@transaction.atomic
def feedback_save(*, view: View, by, fields: dict[str, Any], goals, activities, version: int | None) -> Feedback:
    """Give or change the feedback on a view. Raises lib.locking.StaleEdit if
    someone else saved it since the form was opened."""
    feedback = Feedback.objects.filter(view=view).first()
    creating = feedback is None
    if creating:
        feedback = Feedback(view=view)
        before: dict[str, Any] = {}
    else:
        if version is None:
            raise StaleEdit  # the form did not know there was feedback already
        before = _feedback_snapshot(feedback)
        claim_version(feedback, version)
    for name, value in fields.items():
        setattr(feedback, name, value)
    feedback.save()
    feedback.goals.set(goals)
    feedback.activities.set(activities)
    after = _feedback_snapshot(feedback)
    _audit(
        view.item.consultation.municipality, by,
        AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE, feedback,
        snapshot_created(after) if creating else diff(before, after), repr_=f"{view.text[:150]}",
    )  # fmt: skip
    return feedback


# --- Minutes -------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, consultation: Consultation, by, text: str, minutes: MinutesVersion | None, version: int | None):
    """Write the draft: a new one if there is none, else the current draft."""
    if minutes is None:
        current = consultation.minutes.order_by("-number").first()
        if current is not None and current.status != MinutesVersion.Status.DRAFT:
            raise NotAllowedNow(_("The minutes have been sent; approved minutes can only be superseded."))
        if current is None:
            minutes = MinutesVersion.objects.create(consultation=consultation, number=1, text=text, created_by=by)
            _audit(consultation.municipality, by, AuditEvent.Action.CREATE, minutes, {"text": [None, text]})
            return minutes
        minutes = current
    claim_version(minutes, version)
    if not MinutesVersion.objects.filter(pk=minutes.pk, status=MinutesVersion.Status.DRAFT).exists():
        raise NotAllowedNow(_("Only a draft can be changed; approved minutes can only be superseded."))
    old = minutes.text
    minutes.text = text
    minutes.save(update_fields=["text"])
    _audit(consultation.municipality, by, AuditEvent.Action.UPDATE, minutes, diff({"text": old}, {"text": text}))
    return minutes


def _set_status(minutes: MinutesVersion, by, status: str, **stamps) -> None:
    claim_version(minutes, minutes.version)
    old = minutes.get_status_display()
    minutes.status = status
    for name, value in stamps.items():
        setattr(minutes, name, value)
    minutes.save(update_fields=["status", *stamps])
    _audit(
        minutes.consultation.municipality, by, AuditEvent.Action.UPDATE, minutes,
        {"status": [old, minutes.get_status_display()]},
    )  # fmt: skip


@transaction.atomic
def minutes_send(*, minutes: MinutesVersion, by, reviewers) -> MinutesVersion:
    if minutes.status != MinutesVersion.Status.DRAFT:
        raise NotAllowedNow(_("Only a draft can be sent for review."))
    minutes.reviewers.set(reviewers)
    _set_status(minutes, by, MinutesVersion.Status.REVIEW, sent_at=timezone.now())
    link = settings.SITE_URL.rstrip("/") + reverse("consultations:minutes", args=[minutes.pk])
    title = minutes.consultation.title
    recipients = [m.user.email for m in minutes.reviewers.select_related("user") if m.user.email]
    # Those who chose a summary or no e-mail for minutes to review are left out (inbox/).
    recipients = immediate_recipients(InboxKind.MINUTES_TO_REVIEW, recipients)
    with translation.override(settings.LANGUAGE_CODE):
        for email in recipients:
            queue_mail(
                kind=OutgoingMail.Kind.MINUTES_REVIEW,
                to=email,
                subject=_("Minutes to review: %(title)s") % {"title": title},
                body=_("The minutes of %(title)s are ready for your review. Read them and comment: %(link)s")
                % {"title": title, "link": link},
            )
    return minutes


@transaction.atomic
def minutes_comment(*, minutes: MinutesVersion, by: Membership, text: str) -> MinutesComment:
    waiting = MinutesVersion.objects.filter(pk=minutes.pk, status=MinutesVersion.Status.REVIEW, reviewers=by)
    if not waiting.exists():
        raise NotAllowedNow(_("These minutes are not waiting for your review."))
    comment = MinutesComment.objects.create(minutes=minutes, author=by, text=text)
    _audit(minutes.consultation.municipality, by.user, AuditEvent.Action.UPDATE, minutes, {"comment": [None, text]})
    return comment


@transaction.atomic
def minutes_approve(*, minutes: MinutesVersion, by) -> MinutesVersion:
    refused = minutes_approve_refused(minutes)
    if refused:
        raise NotAllowedNow(refused)
    _set_status(minutes, by, MinutesVersion.Status.APPROVED, approved_at=timezone.now())
    return minutes


def minutes_approve_refused(minutes: MinutesVersion) -> str:
    """Why the minutes cannot be approved now ("" if they can): the approval's confirmation page asks too."""
    if minutes.status not in (MinutesVersion.Status.DRAFT, MinutesVersion.Status.REVIEW):
        return _("The minutes are already approved.")
    if minutes.status == MinutesVersion.Status.DRAFT and minutes.consultation.representatives.exists():
        return _("Send the minutes for review to the representatives who attended before approving.")
    return ""


# What lib.personal_data finds, as the minutes check names it.
PERSONAL_KINDS = {
    personal_data.PERSONAL_NUMBER_KIND: gettext_lazy("a personal identity number"),
    personal_data.EMAIL_KIND: gettext_lazy("an e-mail address"),
    personal_data.PHONE_KIND: gettext_lazy("a phone number"),
}


def _plain(text: str) -> str:
    """The text as a reader sees it: full-width characters as ordinary ones and
    invisible ones (soft hyphens, zero-width spaces, other format characters)
    left out, so they cannot hide a name or a number from the check."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")


def personal_details_in(text: str, *, names=(), names_only: bool = False) -> list[str]:
    """What in the text looks like personal details: identity numbers, e-mail
    addresses and phone numbers (the same rule that takes them out of survey
    answers, lib.personal_data; left out with ``names_only``), and the names of
    people who may not be named, also in the genitive (Hanssons, Hansson:s).
    Each stretch of text is reported once."""
    text = _plain(text)
    found = []
    if not names_only:
        found = [
            f"{PERSONAL_KINDS[kind]}: {detail.strip()}" for kind, detail in personal_data.personal_details_in(text)
        ]
    for name in names:
        if name and re.search(rf"\b{re.escape(_plain(name))}(?:s|:s|'s|’s)?\b", text, re.IGNORECASE):
            found.append(_("the name of %(name)s, who may not be named") % {"name": name})
    return found


def names_not_to_publish(municipality_id: int) -> list[str]:
    """Names that must not appear in a published text (full and last names): the
    municipality's representatives who have not agreed to be named, and its staff
    (published texts are signed by the unit, never by a person)."""
    people = (
        Membership.objects.filter(municipality_id=municipality_id)
        .exclude(role=Membership.Role.REPRESENTATIVE, named_consent=True)
        .select_related("user")
    )
    out = []
    for m in people:
        out.extend([m.user.get_full_name(), m.user.last_name])
    return sorted({n for n in out if n and len(n) > 2})


def unnamed_people(consultation: Consultation) -> list[str]:
    """Names that must not appear in the consultation's published texts."""
    return names_not_to_publish(consultation.municipality_id)


@transaction.atomic
def minutes_publish(*, minutes: MinutesVersion, by) -> MinutesVersion:
    """Publishing is an explicit act: refused while the text looks like it holds personal details."""
    if minutes.status != MinutesVersion.Status.APPROVED:
        raise NotAllowedNow(_("Only approved minutes can be published."))
    if hasattr(minutes, "superseded_by"):
        raise NotAllowedNow(_("These minutes have been superseded; publish the new version instead."))
    found = personal_details_in(minutes.text, names=unnamed_people(minutes.consultation))
    if found:
        raise NotAllowedNow(_("The minutes seem to contain personal details: %(found)s.") % {"found": "; ".join(found)})
    _set_status(minutes, by, MinutesVersion.Status.PUBLISHED, published_at=timezone.now())
    return minutes


def public_wording_problems(view: View, said: str, answer: str) -> list[str]:
    """What in a view's public wording looks like personal details (the minutes'
    rule: identity numbers, e-mail addresses, phone numbers, names of people who
    have not agreed to be named)."""
    return personal_details_in(f"{said}\n{answer}", names=unnamed_people(view.item.consultation))


@transaction.atomic
def view_publish(
    *, view: View, by, said: str, answer: str, confirmed_personal_data: bool, version: int | None = None
) -> View:
    """Publish a view on the återkoppling page, in its public wording: ``said``
    (what was said) and ``answer`` (what became of it), saved as the Swedish
    public texts (public.services.text_save). ``View.text`` and the feedback's
    reasoning stay internal. As with minutes, publishing is an explicit act:
    refused while the wording looks like it holds personal details, and until
    the user confirms having checked it. Publishing a published view again
    saves its changed wording. ``version`` is the Swedish text row's version
    the form was opened with (lib.locking.StaleEdit)."""
    from public.services import text_save

    said, answer = (said or "").strip(), (answer or "").strip()
    consultation = view.item.consultation
    if consultation.starts_at > timezone.now():
        raise NotAllowedNow(_("A view is published once the consultation has been held."))
    if not said:
        raise NotAllowedNow(_("Write what was said in public wording before publishing."))
    found = public_wording_problems(view, said, answer)
    if found:
        raise NotAllowedNow(
            _("The public wording seems to contain personal details: %(found)s.") % {"found": "; ".join(found)}
        )
    if not confirmed_personal_data:
        raise NotAllowedNow(_("Confirm that you have checked the public wording for personal details."))
    text_save(
        obj=view,
        municipality=consultation.municipality,
        language="sv",
        texts={"said": said, "answer": answer},
        by=by,
        version=version,
    )
    view = View.objects.select_for_update().select_related("item__consultation__municipality").get(pk=view.pk)
    if not view.public:
        view.public = True
        view.published_at = timezone.now()
        view.save(update_fields=["public", "published_at"])
        _audit(consultation.municipality, by, AuditEvent.Action.UPDATE, view, {"published": [False, True]})
    return view


@transaction.atomic
def view_unpublish(*, view: View, by) -> View:
    """Take a view off the återkoppling page; its public wording is kept for a
    later publishing."""
    view = View.objects.select_for_update().select_related("item__consultation__municipality").get(pk=view.pk)
    if view.public:
        view.public = False
        view.save(update_fields=["public"])
        _audit(view.item.consultation.municipality, by, AuditEvent.Action.UPDATE, view, {"published": [True, False]})
    return view


@transaction.atomic
def minutes_supersede(*, minutes: MinutesVersion, by, reason: str) -> MinutesVersion:
    """Start a new version of approved minutes; the approved one stays as it is."""
    if not minutes.locked:
        raise NotAllowedNow(_("Only approved minutes are superseded; a draft is simply edited."))
    if hasattr(minutes, "superseded_by"):
        raise NotAllowedNow(_("These minutes have already been superseded."))
    claim_version(minutes, minutes.version)
    consultation = minutes.consultation
    top = consultation.minutes.aggregate(m=Max("number"))["m"]
    new = MinutesVersion.objects.create(
        consultation=consultation,
        number=top + 1,
        text=minutes.text,
        supersedes=minutes,
        supersede_reason=reason,
        created_by=by,
    )
    _audit(consultation.municipality, by, AuditEvent.Action.CREATE, new, {"supersede_reason": [None, reason]})
    return new


# --- Reminders -------------------------------------------------------------------


def send_feedback_reminders(*, today: date | None = None) -> int:
    """E-mail the coordinators and the responsible unit's contacts about overdue
    views: one e-mail per person, listing their views not reminded about before.
    Each view's reminder is recorded in the transaction that queues the e-mails
    (outbox), so a second run never repeats it. Returns the number of e-mails
    queued; they are sent after the commit."""
    from .selectors import overdue_views

    today = today or timezone.localdate()
    sent = 0
    for municipality in Municipality.objects.all():
        views = [v for v in overdue_views(municipality, today=today) if not hasattr(v, "reminder")]
        if not views:
            continue
        coordinators = set(
            Membership.objects.filter(municipality=municipality, role=Membership.Role.COORDINATOR, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        contacts: dict[int, set[str]] = {}
        for unit_id, email in Membership.units.through.objects.filter(
            membership__municipality=municipality, membership__role=Membership.Role.CONTACT,
            membership__user__is_active=True,
        ).values_list("orgunit_id", "membership__user__email"):  # fmt: skip
            if email:
                contacts.setdefault(unit_id, set()).add(email)
        # Those who chose a summary or no e-mail for overdue feedback are left out (inbox/).
        wanted = set(immediate_recipients(InboxKind.FEEDBACK_OVERDUE, coordinators.union(*contacts.values())))
        digest: dict[str, list[View]] = {}
        with transaction.atomic():
            for view in views:
                recipients = (coordinators | contacts.get(view.item.responsible_unit_id, set())) & wanted
                if not recipients:
                    continue
                _reminder, created = FeedbackReminderSent.objects.get_or_create(
                    view=view, defaults={"recipients": len(recipients)}
                )
                if created:  # not recorded by a concurrent run
                    for email in recipients:
                        digest.setdefault(email, []).append(view)
            with translation.override(settings.LANGUAGE_CODE):
                for email, its_views in sorted(digest.items()):
                    queued = queue_mail(
                        kind=OutgoingMail.Kind.FEEDBACK_REMINDER,
                        to=email,
                        subject=ngettext(
                            "Feedback overdue on %(count)d view", "Feedback overdue on %(count)d views", len(its_views)
                        )
                        % {"count": len(its_views)},
                        body=_reminder_body(its_views),
                        key=mail_key(OutgoingMail.Kind.FEEDBACK_REMINDER, email, *sorted(v.pk for v in its_views)),
                    )
                    sent += queued is not None
    return sent


def _reminder_body(views: list[View]) -> str:
    lines = [
        _(
            "These views raised in consultations have had no feedback although the decision was taken. "
            "The representatives are waiting to hear what became of them."
        ),
        "",
    ]
    for view in views:
        link = settings.SITE_URL.rstrip("/") + reverse("consultations:feedback", args=[view.pk])
        lines += [
            f"* {view.item.consultation.title}: {view.text}",
            "  "
            + _("Decision %(date)s (%(body)s). Give feedback: %(link)s")
            % {"date": view.item.decision_date.isoformat(), "body": view.item.decision_body, "link": link},
            "",
        ]
    return "\n".join(lines)


# --- Councils -----------------------------------------------------------------------


def _council_snapshot(council) -> dict[str, Any]:
    return {
        "name": council.name,
        "unit": council.unit.short_name if council.unit_id else None,
        "established_on": council.established_on,
        "evaluate_by": council.evaluate_by,
        "description": council.description,
        "members": [
            f"{m.display_name} ({m.organisation}, {m.get_position_display()})" for m in council.members.order_by("pk")
        ],
    }


@transaction.atomic
def council_save(*, municipality: Municipality, by, form, formset):
    """Save a council and its roster from valid forms."""
    creating = form.instance.pk is None
    before = {} if creating else _council_snapshot(type(form.instance).objects.get(pk=form.instance.pk))
    council = form.save(commit=False)
    council.municipality = municipality
    council.save()
    formset.instance = council
    formset.save()
    after = _council_snapshot(council)
    _audit(
        municipality, by, AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE, council,
        snapshot_created(after) if creating else diff(before, after),
    )  # fmt: skip
    return council
