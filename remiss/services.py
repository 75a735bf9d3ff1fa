"""Writes for remisses, bodies, answers and the handling of comments. Each runs
in one transaction with its audit event; e-mails go through the outbox (sent
after the commit, never twice). docs/remiss.md."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created
from inbox.models import Kind as InboxKind
from inbox.preferences import immediate_recipients
from lib.formatting import short_date
from organisations.models import Membership, OrgUnit
from outbox.models import OutgoingMail
from outbox.services import mail_key, queue_mail
from plans.models import Goal, Plan

from .models import PLAN_TEXTS, Answer, Body, Comment, CommentChange, CompilationPdf, ReminderSent, Remiss, Underlag

# Reminders to bodies without an answer: once this many days (or fewer) before the
# deadline, and once after it (send_remiss_reminders, daily in the worker).
REMINDER_DAYS = 7

# outbox.OutgoingMail.kind values (the lead adds them to its choices).
MAIL_REMISS = OutgoingMail.Kind.REMISS
MAIL_REMISS_REMINDER = OutgoingMail.Kind.REMISS_REMINDER


class RemissRefused(Exception):
    """The change is not allowed now or the input is wrong; ``field`` names the form
    field the message belongs to (None: the form as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Organisation:
    """An external body as typed in: its name and e-mail address."""

    name: str
    email: str


def _audit(remiss: Remiss, by, action: str, obj, changes, repr_: str | None = None) -> None:
    audit_record(municipality=remiss.municipality, actor=by, action=action, obj=obj, changes=changes, object_repr=repr_)


def _step(label: str) -> dict[str, list]:
    """The history's entry naming a step (sent, closed, published…): the audit model has
    only created/changed/deleted, so the step is a row of the event's changes."""
    return {"event": [None, label]}


def _plan_status(remiss: Remiss, by, *, from_: str, to: str) -> None:
    """Move the plan version sent from one status to the next (utkast → på remiss when the
    remiss is sent, på remiss → bearbetning when it closes), audited on the plan; any
    other status is left alone (docs/remiss.md)."""
    plan = Plan.objects.select_for_update().get(pk=remiss.plan_id)
    if plan.status != from_:
        return
    before = plan.get_status_display()
    plan.status = to
    plan.save(update_fields=["status"])
    remiss.plan = plan
    audit_record(
        municipality=remiss.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        changes={"status": [str(before), str(plan.get_status_display())]},
    )


def remiss_snapshot(remiss: Remiss) -> dict[str, Any]:
    bodies = list(remiss.bodies.select_related("unit"))
    return {
        "title": remiss.title,
        "dnr": remiss.dnr,
        "letter": remiss.letter,
        "deadline": short_date(remiss.deadline) or None,
        "sent_on": short_date(remiss.sent_on) or None,
        "status": str(remiss.get_status_display()),
        "units": sorted(b.unit.short_name for b in bodies if b.unit_id),
        "organisations": sorted(f"{b.name} <{b.email}>" for b in bodies if not b.unit_id),
    }


def check_ready_to_send(
    *, deadline: date | None, sent_on: date, units: list[OrgUnit], organisations: list[Organisation]
) -> None:
    """The sending rules, for the form (as the coordinator types) and for the send itself."""
    if deadline is None or deadline <= sent_on:
        raise RemissRefused(_("The deadline must be after the day the remiss is sent."), "deadline")
    if not units and not organisations:
        raise RemissRefused(_("Choose at least one body: a unit or an external organisation."), "units")
    for org in organisations:
        if not org.email:
            raise RemissRefused(
                _("%(name)s has no e-mail address: the remiss cannot reach it.") % {"name": org.name},
                "organisations",
            )


def _set_bodies(remiss: Remiss, units: list[OrgUnit], organisations: list[Organisation]) -> None:
    existing = list(remiss.bodies.all())
    wanted_units = {u.pk for u in units}
    wanted_orgs = {o.name: o for o in organisations}
    for body in existing:
        if (body.unit_id and body.unit_id not in wanted_units) or (not body.unit_id and body.name not in wanted_orgs):
            body.delete()
        elif not body.unit_id and body.email != wanted_orgs[body.name].email:
            body.email = wanted_orgs[body.name].email
            body.save(update_fields=["email"])
    have_units = {b.unit_id for b in existing if b.unit_id}
    have_orgs = {b.name for b in existing if not b.unit_id}
    Body.objects.bulk_create(
        [Body(remiss=remiss, unit=u) for u in units if u.pk not in have_units]
        + [Body(remiss=remiss, name=o.name, email=o.email) for o in organisations if o.name not in have_orgs]
    )


@transaction.atomic
def remiss_create(
    *,
    plan: Plan,
    by,
    title: str,
    deadline: date,
    dnr: str = "",
    letter: str = "",
    units: list[OrgUnit] = (),
    organisations: list[Organisation] = (),
) -> Remiss:
    """A draft remiss of the plan version, with its bodies; nothing is sent yet."""
    remiss = Remiss.objects.create(
        municipality=plan.municipality,
        plan=plan,
        title=title,
        dnr=dnr,
        letter=letter,
        deadline=deadline,
        created_by=by,
    )
    _set_bodies(remiss, list(units), list(organisations))
    _audit(remiss, by, AuditEvent.Action.CREATE, remiss, snapshot_created(remiss_snapshot(remiss)))
    return remiss


@transaction.atomic
def remiss_update(
    *,
    remiss: Remiss,
    by,
    title: str,
    deadline: date,
    dnr: str = "",
    letter: str = "",
    units: list[OrgUnit] = (),
    organisations: list[Organisation] = (),
) -> Remiss:
    remiss = Remiss.objects.select_for_update().select_related("municipality").get(pk=remiss.pk)
    if not remiss.is_draft:
        raise RemissRefused(_("The remiss has been sent: it can no longer be changed."))
    before = remiss_snapshot(remiss)
    remiss.title, remiss.deadline, remiss.dnr, remiss.letter = title, deadline, dnr, letter
    remiss.save()
    _set_bodies(remiss, list(units), list(organisations))
    _audit(remiss, by, AuditEvent.Action.UPDATE, remiss, diff(before, remiss_snapshot(remiss)))
    return remiss


def contacts_by_unit(unit_ids) -> dict[int, list[str]]:
    """The e-mail addresses of each unit's active contact persons, in one query."""
    out: dict[int, list[str]] = {}
    rows = Membership.units.through.objects.filter(
        orgunit_id__in=list(unit_ids), membership__role=Membership.Role.CONTACT, membership__user__is_active=True
    ).values_list("orgunit_id", "membership__user__email")
    for unit_id, email in rows:
        if email:
            out.setdefault(unit_id, []).append(email)
    return out


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def body_link(body: Body) -> str:
    """Where the body answers: the external organisation's personal link, or the unit's answer page."""
    if body.is_external:
        return _link(reverse("remiss_public:answer", args=[body.link_token]))
    return _link(reverse("remiss:answer", args=[body.pk]))


def _recipients(body: Body, contacts: dict[int, list[str]]) -> list[str]:
    return [body.email] if body.is_external else contacts.get(body.unit_id, [])


def _invitation(remiss: Remiss, body: Body) -> tuple[str, str]:
    # The title alone often starts with "Remiss" already ("Remiss av …").
    subject = _("To be answered by %(deadline)s: %(title)s") % {
        "title": remiss.title,
        "deadline": short_date(remiss.deadline),
    }
    parts = [
        _("%(municipality)s sends %(plan)s on remiss to %(body)s.")
        % {"municipality": remiss.municipality.name, "plan": remiss.plan.title, "body": body.display_name},
    ]
    if remiss.dnr:
        parts.append(_("Reference number: %(dnr)s") % {"dnr": remiss.dnr})
    parts.append(_("Please answer by %(deadline)s.") % {"deadline": short_date(remiss.deadline)})
    if remiss.letter:
        parts.append(remiss.letter)
    if body.is_external:
        parts.append(
            _("Answer through this link, which is your organisation's own (no account is needed):\n%(link)s")
            % {"link": body_link(body)}
        )
        parts.append(
            _(
                "The remissunderlag (the plan as PDF and Word, and any other documents of the remiss) "
                "is on the same page, to read and download."
            )
        )
    else:
        parts.append(_("Answer for your unit in Inkludera:\n%(link)s") % {"link": body_link(body)})
        parts.append(
            _(
                "The remissunderlag (the plan as PDF and Word, and any other documents of the remiss) "
                "is on the remiss's page in Inkludera:\n%(link)s"
            )
            % {"link": _link(reverse("remiss:detail", args=[remiss.pk]))}
        )
    return subject, "\n\n".join(parts)


@transaction.atomic
def remiss_send(*, remiss: Remiss, by, on: date | None = None) -> int:
    """Send the remiss: every body gets an e-mail (a unit's contacts; an external
    organisation at its address with its personal link). Returns the e-mails queued."""
    on = on or timezone.localdate()
    remiss = Remiss.objects.select_for_update().select_related("municipality", "plan").get(pk=remiss.pk)
    if not remiss.is_draft:
        raise RemissRefused(_("The remiss has already been sent."))
    bodies = list(remiss.bodies.select_related("unit"))
    check_ready_to_send(
        deadline=remiss.deadline,
        sent_on=on,
        units=[b.unit for b in bodies if b.unit_id],
        organisations=[Organisation(b.name, b.email) for b in bodies if not b.unit_id],
    )
    if on > timezone.localdate():
        raise RemissRefused(_("A remiss cannot be sent on a day still to come."), "sent_on")
    before = remiss_snapshot(remiss)
    remiss.status, remiss.sent_on = Remiss.Status.SENT, on
    remiss.save(update_fields=["status", "sent_on"])
    # The version is now out for consultation (the remissunderlag, made after the commit, says so).
    _plan_status(remiss, by, from_=Plan.Status.DRAFT, to=Plan.Status.CONSULTATION)
    contacts = contacts_by_unit(b.unit_id for b in bodies if b.unit_id)
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for body in bodies:
            subject, text = _invitation(remiss, body)
            for email in _recipients(body, contacts):
                mail = queue_mail(
                    kind=MAIL_REMISS, to=email, subject=subject, body=text, key=mail_key(MAIL_REMISS, body.pk, email)
                )
                queued += mail is not None
    _audit(
        remiss,
        by,
        AuditEvent.Action.UPDATE,
        remiss,
        {**_step(_("The remiss was sent")), **diff(before, remiss_snapshot(remiss))},
    )
    # The remissunderlag as PDF and Word, made by the worker once this commits.
    underlag_request(remiss=remiss, by=by)
    return queued


def remiss_recipients(remiss: Remiss) -> list[tuple[Body, list[str]]]:
    """Each body with the addresses remiss_send would write to (the sending's confirmation page), in two queries."""
    bodies = list(remiss.bodies.select_related("unit"))
    contacts = contacts_by_unit(b.unit_id for b in bodies if b.unit_id)
    return [(body, _recipients(body, contacts)) for body in bodies]


@transaction.atomic
def remiss_close(*, remiss: Remiss, by) -> Remiss:
    """Close the remiss: after this only the coordinator registers (late) answers."""
    remiss = Remiss.objects.select_for_update().select_related("municipality").get(pk=remiss.pk)
    if not remiss.is_sent:
        raise RemissRefused(_("Only a sent remiss can be closed."))
    before = remiss_snapshot(remiss)
    remiss.status, remiss.closed_at = Remiss.Status.CLOSED, timezone.now()
    remiss.save(update_fields=["status", "closed_at"])
    _audit(
        remiss,
        by,
        AuditEvent.Action.UPDATE,
        remiss,
        {**_step(_("The remiss was closed")), **diff(before, remiss_snapshot(remiss))},
    )
    # The answers are in: the version is worked on (unless another remiss of it is still open).
    if not Remiss.objects.filter(plan_id=remiss.plan_id, status=Remiss.Status.SENT).exists():
        _plan_status(remiss, by, from_=Plan.Status.CONSULTATION, to=Plan.Status.REVISION)
    return remiss


# --- Answers ----------------------------------------------------------------------------------

ANSWER_FIELDS = [
    "dnr",
    "answered_on",
    "officer",
    "decided_by",
    "decided_on",
    "stance",
    "summary",
    "general_comments",
    "publish_consent",
]


def comment_key(comment: Comment) -> str:
    """The answer form's name for a comment's box: the goal's or the section's."""
    return f"goal:{comment.goal_id}" if comment.goal_id else comment.section


def answer_snapshot(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ANSWER_FIELDS:
        value = getattr(answer, name)
        data[name] = short_date(value) if isinstance(value, date) else value
    data["stance"] = answer.get_stance_display()
    data["is_late"] = answer.is_late
    for comment in answer.comments.select_related("goal"):
        label = comment.goal.code if comment.goal_id else comment.get_section_display()
        data[f"comment {label}"] = comment.text
    return data


@transaction.atomic
def answer_save(
    *,
    body: Body,
    by,
    via: str,
    fields: dict[str, Any],
    comments: dict[str, str],
    received_late: bool = False,
) -> Answer:
    """Record or correct a body's answer. ``comments`` maps "goal:<pk>" or a section
    code to the comment's text ("" removes it). An answer saved after the deadline
    is marked late; once the remiss is closed only the coordinator (``via`` typed in)
    registers an answer, and only with ``received_late``."""
    remiss = Remiss.objects.select_for_update().select_related("municipality", "plan").get(pk=body.remiss_id)
    if remiss.is_draft:
        raise RemissRefused(_("The remiss has not been sent yet."))
    answer = Answer.objects.filter(body=body).first()
    if remiss.is_closed:
        if via != Answer.Via.TYPED_IN:
            raise RemissRefused(_("The remiss is closed: answers are no longer taken here. Contact the coordinator."))
        if answer is None and not received_late:
            raise RemissRefused(
                _("The remiss is closed: tick “Received late” to register this answer."), "received_late"
            )
    check_answer_dates(remiss, fields.get("answered_on"), fields.get("decided_on"))
    goal_ids = {int(key.split(":", 1)[1]) for key, text in comments.items() if key.startswith("goal:") and text.strip()}
    if goal_ids and Goal.objects.filter(pk__in=goal_ids, plan_id=remiss.plan_id).count() != len(goal_ids):
        raise RemissRefused(_("A comment names a goal that is not in the plan sent on remiss."))
    if answer is None:
        # Late is decided when the answer first arrives; corrections later do not make it late.
        late = remiss.is_past_deadline() or remiss.is_closed or received_late
        answer = Answer(body=body, received_via=via, submitted_by=by, is_late=late)
        before: dict[str, Any] | None = None
    else:
        before = answer_snapshot(answer)
        answer.is_late = answer.is_late or received_late
    for name in ANSWER_FIELDS:
        if name in fields:
            setattr(answer, name, fields[name])
    if not body.is_external:
        answer.publish_consent = False
    answer.submitted_at = timezone.now() if before is None else answer.submitted_at
    answer.save()
    _set_comments(answer, comments)
    repr_ = f"{remiss.title}: {body.display_name}"
    if before is None:
        _audit(remiss, by, AuditEvent.Action.CREATE, answer, snapshot_created(answer_snapshot(answer)), repr_)
    else:
        _audit(remiss, by, AuditEvent.Action.UPDATE, answer, diff(before, answer_snapshot(answer)), repr_)
    return answer


def check_answer_dates(remiss: Remiss, answered_on: date | None, decided_on: date | None) -> None:
    """An answer is dated neither in the future nor before the remiss was sent; its
    decision not in the future (for the form and the service)."""
    today = timezone.localdate()
    if answered_on is not None:
        if answered_on > today:
            raise RemissRefused(_("The date of the answer cannot be in the future."), "answered_on")
        if remiss.sent_on and answered_on < remiss.sent_on:
            raise RemissRefused(
                _("The date of the answer cannot be before the remiss was sent (%(date)s).")
                % {"date": short_date(remiss.sent_on)},
                "answered_on",
            )
    if decided_on is not None and decided_on > today:
        raise RemissRefused(_("The decision date cannot be in the future."), "decided_on")


def _set_comments(answer: Answer, comments: dict[str, str]) -> None:
    existing = {comment_key(c): c for c in answer.comments.all()}
    for key, text in comments.items():
        text = text.strip()
        comment = existing.get(key)
        if comment and not text:
            comment.delete()
        elif comment and comment.text != text:
            comment.text = text
            comment.save(update_fields=["text"])
        elif not comment and text:
            if key.startswith("goal:"):
                Comment.objects.create(
                    answer=answer, section=Comment.Section.GOAL, goal_id=int(key.split(":", 1)[1]), text=text
                )
            else:
                Comment.objects.create(answer=answer, section=key, text=text)


LINKABLE = (Comment.Handling.TAKEN, Comment.Handling.PARTLY)


def check_handling_text(handling: str, text: str) -> None:
    """ "Ej beaktad" says why; "delvis beaktad" what was and was not taken in."""
    if text.strip():
        return
    if handling == Comment.Handling.NOT_TAKEN:
        raise RemissRefused(_("Say why the comment was not taken into account."), "handling_text")
    if handling == Comment.Handling.PARTLY:
        raise RemissRefused(_("Say what of the comment was taken into account and what was not."), "handling_text")


def check_changes(*, remiss: Remiss, handling: str, version: Plan, keys: list[str]) -> None:
    """The rules for linking a comment to changes in ``version`` (docs/remiss.md): only a
    comment taken into account (fully or partly); only a later version of the plan
    sent on remiss; only a change the comparison of the two versions shows."""
    from plans import versions

    from .selectors import change_options, is_later_version

    if not keys:
        return
    if handling not in LINKABLE:
        raise RemissRefused(
            _("Only a comment taken into account, fully or partly, can be linked to a change."), "changes"
        )
    if version.municipality_id != remiss.municipality_id or not is_later_version(remiss.plan, version):
        raise RemissRefused(_("Changes can only be linked in a later version of the plan sent on remiss."), "changes")
    # Both as stored now: the comparison is of what the versions say, not of a copy in memory.
    stored = Plan.objects.in_bulk([remiss.plan_id, version.pk])
    sent, version = stored[remiss.plan_id], stored[version.pk]
    comparison = versions.compare(versions.snapshot(sent), versions.snapshot(version))
    offered = {key for key, _label in change_options(comparison)}
    if any(key not in offered for key in keys):
        raise RemissRefused(
            _("Choose among the changes in version %(version)d: another choice is not a change there.")
            % {"version": version.version},
            "changes",
        )


def _identity(key: str) -> uuid.UUID | None:
    return None if key == PLAN_TEXTS else uuid.UUID(key.split(":", 1)[1])


def _change_labels(remiss: Remiss, comment: Comment) -> list[str]:
    from .selectors import attach_changes

    attach_changes(remiss, [comment])
    return [str(c) for c in comment.linked_changes]


@transaction.atomic
def comment_handle(
    *,
    comment: Comment,
    by,
    handling: str,
    text: str,
    version: Plan | None = None,
    changes: list[str] | None = None,
) -> Comment:
    """Record how a comment was handled (beaktad, delvis beaktad, ej beaktad, or not yet)
    and, with ``version``, which of that later version's changes it caused: ``changes``
    are keys ("goal:<identity>", or "plan" for the plan's own texts) and replace the
    comment's links to that version. All or nothing: a refused link saves no handling."""
    comment = (
        Comment.objects.select_for_update(of=("self",))  # the body's unit is an outer join
        .select_related("answer__body__remiss__municipality", "answer__body__remiss__plan", "answer__body__unit")
        .get(pk=comment.pk)
    )
    remiss = comment.answer.body.remiss
    check_handling_text(handling, text)
    before_links = _change_labels(remiss, comment)
    before = {"handling": comment.get_handling_display(), "handling_text": comment.handling_text}
    if changes is not None and version is not None:
        keys = list(dict.fromkeys(changes))
        check_changes(remiss=remiss, handling=handling, version=version, keys=keys)
        existing = {link.key: link for link in comment.changes.filter(version=version)}
        for key, link in existing.items():
            if key not in keys:
                link.delete()
        CommentChange.objects.bulk_create(
            CommentChange(comment=comment, version=version, goal_identity=_identity(key), created_by=by)
            for key in keys
            if key not in existing
        )
    if handling not in LINKABLE and comment.changes.exists():
        raise RemissRefused(
            _("The comment is linked to changes in a later version: remove the links to mark it so."), "handling"
        )
    if (comment.handling, comment.handling_text) != (handling, text):
        comment.handling, comment.handling_text = handling, text
        comment.handled_at, comment.handled_by = timezone.now(), by
        comment.save(update_fields=["handling", "handling_text", "handled_at", "handled_by"])
    after = {"handling": comment.get_handling_display(), "handling_text": comment.handling_text}
    after_links = _change_labels(remiss, comment)
    if before_links != after_links:
        before["changes"], after["changes"] = before_links, after_links
    repr_ = f"{remiss.title}: {comment.answer.body.display_name}: {comment}"
    _audit(remiss, by, AuditEvent.Action.UPDATE, comment, diff(before, after), repr_)
    return comment


# --- Reminders --------------------------------------------------------------------------------


def send_remiss_reminders(*, today: date | None = None) -> int:
    """E-mail the bodies of sent remisses that have not answered: once within
    REMINDER_DAYS before the deadline, once after it. Each reminder is recorded
    (ReminderSent) in the transaction that queues its e-mails, and never sent
    again. Returns the e-mails queued."""
    today = today or timezone.localdate()
    bodies = list(
        Body.objects.filter(remiss__status=Remiss.Status.SENT, answer__isnull=True)
        .select_related("remiss__municipality", "remiss__plan", "unit")
        .prefetch_related("reminders")
    )
    contacts = contacts_by_unit({b.unit_id for b in bodies if b.unit_id})
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for body in bodies:
            days_left = (body.remiss.deadline - today).days
            if days_left < 0:
                kind = ReminderSent.Kind.AFTER
            elif days_left <= REMINDER_DAYS:
                kind = ReminderSent.Kind.BEFORE
            else:
                continue
            if any(r.kind == kind for r in body.reminders.all()):
                continue
            recipients = _recipients(body, contacts)
            if not body.is_external:  # a unit's contacts may have chosen a summary or no e-mail (inbox/)
                recipients = immediate_recipients(InboxKind.REMISS_ANSWER, recipients)
            if not recipients:
                continue
            with transaction.atomic():
                # The row first: a second run, even a concurrent one, stops here.
                _row, created = ReminderSent.objects.get_or_create(
                    body=body, kind=kind, defaults={"recipients": len(recipients)}
                )
                if not created:
                    continue
                subject, text = _reminder(body, kind)
                for email in recipients:
                    mail = queue_mail(
                        kind=MAIL_REMISS_REMINDER,
                        to=email,
                        subject=subject,
                        body=text,
                        key=mail_key(MAIL_REMISS_REMINDER, body.pk, kind, email),
                    )
                    sent += mail is not None
    return sent


def _reminder(body: Body, kind: str) -> tuple[str, str]:
    remiss = body.remiss
    context = {
        "title": remiss.title,
        "body": body.display_name,
        "deadline": short_date(remiss.deadline),
        "link": body_link(body),
    }
    # The title usually starts with "Remiss" ("Remiss av …"): it stands alone, not after "the remiss".
    if kind == ReminderSent.Kind.AFTER:
        subject = _("Reminder after the deadline: %(title)s") % context
        text = (
            _(
                "%(title)s was to be answered by %(deadline)s, and %(body)s has not answered yet. "
                "An answer is still welcome and will be marked as received late.\n\n%(link)s"
            )
            % context
        )
    else:
        subject = _("Reminder: %(title)s, answer by %(deadline)s") % context
        text = _("%(title)s is to be answered by %(deadline)s. %(body)s has not answered yet.\n\n%(link)s") % (context)
    return subject, text


# --- The compilation as PDF -------------------------------------------------------------------


@transaction.atomic
def compilation_pdf_request(*, remiss: Remiss, by) -> CompilationPdf:
    """Ask the worker for the compilation as PDF (queue "reports"), made from the answers
    and handling as they stand when it runs."""
    from lib.tasks import enqueue_after

    from .tasks import build_compilation_pdf

    pdf = CompilationPdf.objects.create(remiss=remiss, requested_by=by)
    enqueue_after(build_compilation_pdf, pdf.pk)
    return pdf


def compilation_pdf_build(*, pdf_id: int) -> bool:
    from django.core.files.base import ContentFile
    from django.utils.text import slugify

    from reports.render import render_pdf

    from .document import compilation_document
    from .selectors import compilation

    pdf = CompilationPdf.objects.select_related("remiss__municipality", "remiss__plan").filter(pk=pdf_id).first()
    if pdf is None or pdf.status == CompilationPdf.Status.DONE:
        return False
    try:
        rendered = render_pdf(compilation_document(compilation(pdf.remiss)))
    except Exception:
        CompilationPdf.objects.filter(pk=pdf.pk).update(status=CompilationPdf.Status.FAILED, finished_at=timezone.now())
        raise
    name = f"remissammanstallning-{slugify((pdf.remiss.dnr or pdf.remiss.title).replace('/', '-'))[:60]}.pdf"
    pdf.pdf.save(name, ContentFile(rendered.data), save=False)
    pdf.status, pdf.pages, pdf.finished_at = CompilationPdf.Status.DONE, rendered.pages, timezone.now()
    pdf.save(update_fields=["pdf", "status", "pages", "finished_at"])
    # Only the newest PDF is offered: older ones and their files go.
    for old in CompilationPdf.objects.filter(remiss=pdf.remiss, requested_at__lt=pdf.requested_at):
        if old.pdf:
            old.pdf.delete(save=False)
        old.delete()
    return True


# --- The public site --------------------------------------------------------------------------


@transaction.atomic
def remiss_publish(*, remiss: Remiss, by, confirmed_personal_data: bool) -> Remiss:
    """Put a sent or closed remiss on the municipality's public site (public/views/remiss.py):
    the bodies, their stances and the comments with their handling; an external
    organisation's name and texts only if its answer agrees to publication. An explicit
    step, confirmed after checking the texts for personal details (the confirmation page
    lists what looks like them); remiss_unpublish undoes it."""
    remiss = Remiss.objects.select_for_update().select_related("municipality").get(pk=remiss.pk)
    if remiss.is_draft:
        raise RemissRefused(_("A remiss is published once it has been sent."))
    if not confirmed_personal_data:
        raise RemissRefused(
            _("Confirm that you have checked the texts to be published for personal details."), "confirm"
        )
    if not remiss.is_published:
        remiss.published_at, remiss.published_by = timezone.now(), by
        remiss.save(update_fields=["published_at", "published_by"])
        _audit(
            remiss,
            by,
            AuditEvent.Action.UPDATE,
            remiss,
            {**_step(_("Published on the public site")), "published_at": [False, True]},
        )
    return remiss


@transaction.atomic
def remiss_unpublish(*, remiss: Remiss, by) -> Remiss:
    """Take the remiss off the public site (within the pages' cache time, a minute)."""
    remiss = Remiss.objects.select_for_update().select_related("municipality").get(pk=remiss.pk)
    if remiss.is_published:
        remiss.published_at, remiss.published_by = None, None
        remiss.save(update_fields=["published_at", "published_by"])
        _audit(
            remiss,
            by,
            AuditEvent.Action.UPDATE,
            remiss,
            {**_step(_("Taken off the public site")), "published_at": [True, False]},
        )
    return remiss


# --- The remissunderlag as generated files ----------------------------------------------------


# A build not finished this long after it was asked for may be asked for again.
UNDERLAG_STALE = timedelta(hours=1)


def underlag_request(*, remiss: Remiss, by) -> Underlag:
    """Ask the worker (queue "reports") for the remissunderlag: the plan version sent, as
    PDF and Word; enqueued in the caller's transaction (remiss_send, or the "generate
    again" action). Runs in the caller's transaction when there is one."""
    from lib.tasks import enqueue_after

    from .tasks import build_underlag

    with transaction.atomic():
        underlag = Underlag.objects.create(remiss=remiss, requested_by=by)
        enqueue_after(build_underlag, underlag.pk)
    return underlag


def may_generate_underlag(remiss: Remiss, latest: Underlag | None) -> bool:
    """A draft's remissunderlag may be made again at any time; a sent remiss's only
    when its last build failed or there is none (what the bodies read stays put)."""
    if remiss.is_draft:
        return True
    if remiss.is_closed:
        return False
    if latest is None or latest.status == Underlag.Status.FAILED:
        return True
    # A build still "being made" long after it was asked for: its worker gave up on it.
    return latest.status == Underlag.Status.WAITING and latest.requested_at < timezone.now() - UNDERLAG_STALE


def underlag_names(remiss: Remiss) -> tuple[str, str]:
    from django.utils.text import slugify

    # "KS 2026/1234" → "ks-2026-1234": the separators of a dnr stay (slugify drops "/").
    name = (remiss.dnr or remiss.plan.title).replace("/", "-")
    stem = f"remissunderlag-{slugify(name)[:60] or 'plan'}"
    return f"{stem}.pdf", f"{stem}.docx"


def underlag_document(remiss: Remiss):
    """The plan version sent (plans.plan_document) with the remiss's title and dnr beside the
    plan's own facts on its title page."""
    from plans.plan_document import plan_version_document

    document = plan_version_document(remiss.plan)
    with translation.override(settings.LANGUAGE_CODE):
        facts = [(_("Remiss"), remiss.title)]
        if remiss.dnr:
            facts.append((_("The remiss's reference number (dnr)"), remiss.dnr))
    document.facts[1:1] = facts
    return document


def _stored(name: str, data: bytes):
    """A generated file, checked as every attachment is (documents.validators)."""
    from django.core.files.base import ContentFile

    from documents.validators import check_upload

    upload = ContentFile(data, name=name)
    return upload, check_upload(upload)


def underlag_build(*, underlag_id: int) -> bool:
    """Render the plan version as PDF and Word and attach both to the remiss, replacing
    the pair made before; all or nothing: if a render or the storage fails, no file and
    no row is left and the build is marked failed (shown on the remiss's page with a
    retry). A request that a newer one has overtaken is dropped."""
    import logging

    from documents.services import _delete_file, attachment_add, attachment_delete
    from reports.render import render_docx, render_pdf

    underlag = Underlag.objects.select_related("remiss__municipality", "remiss__plan__municipality").filter(
        pk=underlag_id
    )
    underlag = underlag.first()
    if underlag is None or underlag.status != Underlag.Status.WAITING:
        return False
    remiss = underlag.remiss
    if Underlag.objects.filter(remiss=remiss, pk__gt=underlag.pk).exists():
        underlag.delete()  # a newer request makes the files
        return False
    stored: list[str] = []
    try:
        document = underlag_document(remiss)
        pdf, docx = render_pdf(document), render_docx(document)
        pdf_name, docx_name = underlag_names(remiss)
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            remiss = Remiss.objects.select_for_update().select_related("municipality").get(pk=remiss.pk)
            attachments = []
            for name, data, title in (
                (pdf_name, pdf.data, _("Remissunderlag generated by Inkludera (PDF)")),
                (docx_name, docx.data, _("Remissunderlag generated by Inkludera (Word)")),
            ):
                upload, checked = _stored(name, data)
                attachment = attachment_add(
                    obj=remiss, by=underlag.requested_by, upload=upload, checked=checked, title=title
                )
                stored.append(attachment.file.name)
                attachments.append(attachment)
            # The pair made before goes (its files after the commit).
            for old in Underlag.objects.filter(remiss=remiss).exclude(pk=underlag.pk).select_related("pdf", "docx"):
                for attachment in (old.pdf, old.docx):
                    if attachment is not None:
                        attachment_delete(attachment=attachment, by=underlag.requested_by)
                old.delete()
            underlag.pdf, underlag.docx = attachments
            underlag.status, underlag.finished_at = Underlag.Status.DONE, timezone.now()
            underlag.save(update_fields=["pdf", "docx", "status", "finished_at"])
    except Exception:
        for name in stored:
            _delete_file(name)
        logging.getLogger(__name__).exception("The remissunderlag of remiss %s could not be made", remiss.pk)
        Underlag.objects.filter(pk=underlag.pk).update(status=Underlag.Status.FAILED, finished_at=timezone.now())
        raise
    return True
