"""Writes for follow-up rounds and unit reports. Each runs in one transaction
and writes its audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.models import Activity
from activities.services import activity_update
from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created
from inbox.models import Kind as InboxKind
from inbox.preferences import immediate_recipients
from lib.locking import claim_version
from organisations.models import Membership
from outbox.models import OutgoingMail
from outbox.services import mail_key, queue_mail
from plans.models import ActivityStatus, Plan
from plans.selectors import responsible_units

from .models import ActivityUpdate, ReminderSent, ReportEntry, Round, RoundField, UnitReport
from .selectors import report_content


class TransitionRefused(Exception):
    """The report is not in a state that allows the change; the message says why."""

    def __init__(self, errors: list[str], *, blocking: dict[int, str] | None = None):
        super().__init__(" ".join(errors))
        self.errors = errors
        self.blocking = blocking or {}  # report entry id → what keeps it from being submitted


@dataclass(frozen=True)
class FieldSpec:
    label: str
    kind: str
    choices: str = ""


# --- Rounds ---------------------------------------------------------------------


@transaction.atomic
def round_open(*, plan: Plan, by, fields: dict[str, Any], extra_fields: Sequence[FieldSpec] = ()) -> Round:
    """Open a round: a report for every unit that answers for a goal of the plan,
    with an entry for each goal it answers for."""
    rnd = Round.objects.create(municipality=plan.municipality, plan=plan, **fields)
    RoundField.objects.bulk_create(
        RoundField(round=rnd, label=f.label, kind=f.kind, choices=f.choices, position=i)
        for i, f in enumerate(extra_fields, start=1)
    )
    goals, by_goal, units = responsible_units(plan, on=rnd.period_end)
    reports = UnitReport.objects.bulk_create(UnitReport(round=rnd, unit=unit) for unit in units)
    report_of = {r.unit_id: r for r in reports}
    ReportEntry.objects.bulk_create(
        ReportEntry(report=report_of[unit_id], goal=goal) for goal in goals for unit_id in by_goal[goal.pk]
    )
    audit_record(
        municipality=plan.municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=rnd,
        changes=snapshot_created(
            {
                "name": rnd.name,
                "plan": plan.title,
                "period_start": rnd.period_start,
                "period_end": rnd.period_end,
                "deadline": rnd.deadline,
                "fields": [f.label for f in extra_fields],
                "reports": len(reports),
            }
        ),
    )
    return rnd


@transaction.atomic
def round_update(*, rnd: Round, by, fields: dict[str, Any]) -> Round:
    before = {name: getattr(rnd, name) for name in fields}
    for name, value in fields.items():
        setattr(rnd, name, value)
    rnd.save()
    audit_record(
        municipality=rnd.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=rnd,
        changes=diff(before, {name: getattr(rnd, name) for name in fields}),
    )
    return rnd


# --- Reports --------------------------------------------------------------------


@dataclass
class EntryInput:
    entry: ReportEntry
    result: str
    challenges: str
    assessment: str
    extra: dict[str, Any]


@dataclass
class UpdateInput:
    activity: Activity
    status: ActivityStatus
    comment: str


def _audit_report(report: UnitReport, by, changes: dict[str, Any]) -> None:
    audit_record(
        municipality=report.round.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=report,
        changes=changes,
        object_repr=f"{report.round.name}: {report.unit.name}",
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise TransitionRefused([message])


@transaction.atomic
def report_save(
    *,
    report: UnitReport,
    by,
    summary: str,
    version: int | None,
    entries: Sequence[EntryInput],
    updates: Sequence[UpdateInput],
) -> UnitReport:
    """Save what the unit wrote. Raises lib.locking.StaleEdit if the report was
    saved (or changed state) since the form was opened at ``version``."""
    _require(report.is_open, _("Only a draft or a returned report can be changed."))
    claim_version(report, version)
    changes: dict[str, Any] = {}
    if report.summary != summary:
        changes["summary"] = [report.summary, summary]
        report.summary = summary
        report.save(update_fields=["summary"])
    for item in entries:
        entry = item.entry
        new = {"result": item.result, "challenges": item.challenges, "assessment": item.assessment, "extra": item.extra}
        old = {name: getattr(entry, name) for name in new}
        if old == new:
            continue
        for name, value in new.items():
            setattr(entry, name, value)
        entry.save(update_fields=list(new))
        for name in new:
            if old[name] != new[name]:
                changes[f"{entry.goal.code} {name}"] = [old[name], new[name]]
    existing = {u.activity_id: u for u in report.activity_updates.all()}
    for item in updates:
        upd = existing.get(item.activity.pk)
        if upd is None:
            ActivityUpdate.objects.create(
                report=report, activity=item.activity, status=item.status, comment=item.comment
            )
        elif upd.status_id != item.status.pk or upd.comment != item.comment:
            upd.status, upd.comment = item.status, item.comment
            upd.save(update_fields=["status", "comment"])
        else:
            continue
        changes[f"{item.activity.reference} status"] = [None, f"{item.status.name}: {item.comment}".rstrip(": ")]
        if item.activity.status_id != item.status.pk:
            # The activity's own status follows what the unit reports.
            activity_update(activity=item.activity, by=by, fields={"status": item.status})
    if changes:
        _audit_report(report, by, changes)
    return report


def submission_problems(report: UnitReport) -> dict[int, str]:
    """Report entry id → why the entry keeps the report from being submitted."""
    problems = {}
    for entry in report.entries.select_related("goal"):
        if not (entry.result.strip() or entry.challenges.strip()):
            problems[entry.pk] = _("%(code)s: write the results or the challenges for the goal.") % {
                "code": entry.goal.code
            }
    return problems


@transaction.atomic
def report_submit(*, report: UnitReport, by) -> UnitReport:
    _require(report.is_open, _("Only a draft or a returned report can be submitted."))
    problems = submission_problems(report)
    if problems:
        raise TransitionRefused(list(problems.values()), blocking=problems)
    old = report.get_status_display()
    report.status = UnitReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    claim_version(report, report.version)  # nobody has changed the report since it was read
    report.save(update_fields=["status", "submitted_at", "submitted_by"])
    _audit_report(report, by, {"status": [old, report.get_status_display()]})
    return report


@transaction.atomic
def report_return(*, report: UnitReport, by, comment: str) -> UnitReport:
    _require(report.status == UnitReport.Status.SUBMITTED, _("Only a submitted report can be returned."))
    _require(bool(comment.strip()), _("Say what the unit should complete."))
    old = report.get_status_display()
    report.status = UnitReport.Status.RETURNED
    report.return_comment = comment.strip()
    claim_version(report, report.version)
    report.save(update_fields=["status", "return_comment"])
    _audit_report(report, by, {"status": [old, report.get_status_display()], "return_comment": [None, comment]})
    return report


@transaction.atomic
def report_approve(*, report: UnitReport, by) -> UnitReport:
    _require(report.status == UnitReport.Status.SUBMITTED, _("Only a submitted report can be approved."))
    claim_version(report, report.version)
    old = report.get_status_display()
    report.status = UnitReport.Status.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = by
    report.snapshot = report_content(report).as_snapshot()
    report.save(update_fields=["status", "approved_at", "approved_by", "snapshot"])
    _audit_report(report, by, {"status": [old, report.get_status_display()]})
    return report


# --- Reminders ------------------------------------------------------------------


def _contacts_by_unit(unit_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    through = Membership.units.through.objects.filter(
        orgunit_id__in=unit_ids, membership__role=Membership.Role.CONTACT, membership__user__is_active=True
    ).values_list("orgunit_id", "membership__user__email")
    for unit_id, email in through:
        if email:
            out.setdefault(unit_id, []).append(email)
    return out


def send_followup_reminders(*, today: date | None = None) -> int:
    """E-mail unit contacts about open reports: once within
    FOLLOWUP_REMINDER_DAYS before the deadline, once after it. A reminder of a
    kind is recorded, in the transaction that queues its e-mails (outbox), and
    never sent again for the same report. Returns the number of e-mails queued;
    they are sent after the commit."""
    today = today or timezone.localdate()
    reports = list(
        UnitReport.objects.open()
        .filter(round__period_start__lte=today)
        .select_related("round__municipality", "unit")
        .prefetch_related("reminders")
    )
    contacts = _contacts_by_unit([r.unit_id for r in reports])
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for report in reports:
            days_left = (report.round.deadline - today).days
            if days_left < 0:
                kind = ReminderSent.Kind.AFTER
            elif days_left <= settings.FOLLOWUP_REMINDER_DAYS:
                kind = ReminderSent.Kind.BEFORE
            else:
                continue
            if any(r.kind == kind for r in report.reminders.all()):
                continue
            # Those who chose a summary or no e-mail for this kind are left out (inbox/).
            recipients = immediate_recipients(
                InboxKind.REPORT_RETURNED if report.status == UnitReport.Status.RETURNED else InboxKind.REPORT_TO_WRITE,
                contacts.get(report.unit_id, []),
            )
            if not recipients:
                continue
            with transaction.atomic():
                # The row is written first: a second run, even a concurrent one, stops here.
                _reminder, created = ReminderSent.objects.get_or_create(
                    report=report, kind=kind, defaults={"recipients": len(recipients)}
                )
                if not created:
                    continue
                for email in recipients:
                    queued = queue_mail(
                        kind=OutgoingMail.Kind.FOLLOWUP_REMINDER,
                        to=email,
                        subject=_reminder_subject(report, kind),
                        body=_reminder_body(report, kind),
                        key=mail_key(OutgoingMail.Kind.FOLLOWUP_REMINDER, report.pk, kind, email),
                    )
                    sent += queued is not None
    return sent


def _reminder_subject(report: UnitReport, kind: str) -> str:
    if kind == ReminderSent.Kind.AFTER:
        return _("Late: the follow-up report %(round)s for %(unit)s") % {
            "round": report.round.name,
            "unit": report.unit.name,
        }
    return _("Reminder: the follow-up report %(round)s for %(unit)s") % {
        "round": report.round.name,
        "unit": report.unit.name,
    }


def _reminder_body(report: UnitReport, kind: str) -> str:
    link = settings.SITE_URL.rstrip("/") + reverse("followups:report", args=[report.pk])
    context = {
        "round": report.round.name,
        "unit": report.unit.name,
        "deadline": report.round.deadline.isoformat(),
        "link": link,
    }
    if kind == ReminderSent.Kind.AFTER:
        text = _(
            "The follow-up report %(round)s for %(unit)s was due on %(deadline)s and has not been submitted.\n\n"
            "Please complete and submit it: %(link)s"
        )
    else:
        text = _(
            "The follow-up report %(round)s for %(unit)s is due on %(deadline)s.\n\n"
            "Fill it in and submit it here: %(link)s"
        )
    return text % context
