"""Retention: what is kept how long (docs/privacy.md "Retention").

``enforce`` runs once a day (the worker's schedule; ``manage.py
enforce_retention`` by hand) and does whatever is due at that moment, so a run
that was missed, or one that runs twice, does no harm. Three kinds, each with
its setting in days (0: kept for ever):

- ``withdrawn_views`` (RETENTION_WITHDRAWN_VIEWS_DAYS): a view recorded as a
  named representative's, when that representative has withdrawn their consent
  to be named. The view itself is the municipality's record of what was said in
  a consultation before a decision, and its feedback answers it, so it is kept;
  its link to the person is cut (it becomes an anonymous view). Others stop
  seeing the name at once (Membership.public_name); the link is kept this long
  so that a consent withdrawn by mistake can be given again.
- ``reminders`` (RETENTION_REMINDERS_DAYS): reminder e-mails in the outbox
  (recipient, subject), and the records that a reminder went out, once nothing
  can send that reminder again (the report was submitted, the view answered):
  while it could, the record is what keeps it from being sent twice.
- ``report_builds`` (RETENTION_REPORT_BUILDS_DAYS): the PDF and Word files of a
  council report's builds, except the newest finished build of each report and
  any build another record refers to. The build row stays, with the document
  the files were written from and its fingerprint, so the report can still be
  written again and compared.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

KINDS = ("withdrawn_views", "reminders", "report_builds")


@dataclass(frozen=True)
class Policy:
    kind: str
    days: int

    def cutoff(self, now: datetime) -> datetime | None:
        return None if self.days <= 0 else now - timedelta(days=self.days)


def policies() -> dict[str, Policy]:
    return {
        "withdrawn_views": Policy("withdrawn_views", settings.RETENTION_WITHDRAWN_VIEWS_DAYS),
        "reminders": Policy("reminders", settings.RETENTION_REMINDERS_DAYS),
        "report_builds": Policy("report_builds", settings.RETENTION_REPORT_BUILDS_DAYS),
    }


def enforce(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, dict[str, int]]:
    """Delete or anonymise what is due. Returns, per kind, what was done (or,
    with ``dry_run``, what would be) as {action: count}: JSON, for a task result."""
    now = now or timezone.now()
    done: dict[str, dict[str, int]] = {}
    for kind, policy in policies().items():
        cutoff = policy.cutoff(now)
        if cutoff is None:
            done[kind] = {}
            continue
        handler = {"withdrawn_views": _withdrawn_views, "reminders": _reminders, "report_builds": _report_builds}
        done[kind] = handler[kind](cutoff=cutoff, dry_run=dry_run)
    return done


# --- Views of representatives who withdrew consent -----------------------------------


def _withdrawn_at(memberships) -> dict[int, datetime]:
    """The latest withdrawal of consent of each membership, from the audit log."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEvent
    from organisations.models import Membership

    ct = ContentType.objects.get_for_model(Membership)
    withdrawn: dict[int, datetime] = {}
    events = AuditEvent.objects.filter(content_type=ct, object_id__in=[m.pk for m in memberships]).order_by("at", "pk")
    for object_id, at, changes in events.values_list("object_id", "at", "changes"):
        change = (changes or {}).get("named_consent")
        if change and change[0] and not change[1]:
            withdrawn[object_id] = at
    return withdrawn


def withdrawn_views_due(cutoff: datetime):
    """Views still linked to a representative who no longer agrees to be named,
    and withdrew that consent before ``cutoff``. A withdrawal the audit log does
    not show (consent changed outside the application) counts from the view's
    creation: the link is then cut sooner, never later."""
    from consultations.models import View

    views = list(
        View.objects.filter(representative__isnull=False, representative__named_consent=False).select_related(
            "representative", "item__consultation__municipality"
        )
    )
    withdrawn = _withdrawn_at({v.representative for v in views})
    return [v for v in views if withdrawn.get(v.representative_id, v.created_at) < cutoff]


def _withdrawn_views(*, cutoff: datetime, dry_run: bool) -> dict[str, int]:
    from audit.models import AuditEvent
    from audit.services import audit_record
    from consultations.models import View

    due = withdrawn_views_due(cutoff)
    if not dry_run and due:
        with transaction.atomic():
            for view in due:
                View.objects.filter(pk=view.pk).update(representative=None, given_by=View.GivenBy.ANONYMOUS)
                # Never the person's name: only that the view is no longer linked to one.
                change = [str(View.GivenBy.REPRESENTATIVE.label), str(View.GivenBy.ANONYMOUS.label)]
                audit_record(
                    municipality=view.item.consultation.municipality, actor=None, action=AuditEvent.Action.UPDATE,
                    obj=view, changes={"given_by": change},
                )  # fmt: skip
    return {"anonymised": len(due)}


# --- Reminders ----------------------------------------------------------------------------


def _reminders(*, cutoff: datetime, dry_run: bool) -> dict[str, int]:
    from consultations.models import Feedback, FeedbackReminderSent
    from followups.models import ReminderSent, UnitReport
    from outbox.models import OutgoingMail

    kinds = (OutgoingMail.Kind.FEEDBACK_REMINDER, OutgoingMail.Kind.FOLLOWUP_REMINDER)
    mails = OutgoingMail.objects.filter(kind__in=kinds).filter(
        Q(status=OutgoingMail.Status.SENT, sent_at__lt=cutoff)
        | Q(status=OutgoingMail.Status.FAILED, created__lt=cutoff)
    )
    # A report reminder could go out again while the report is open (a draft, or returned).
    report_records = ReminderSent.objects.filter(sent_at__lt=cutoff).exclude(
        report__status__in=UnitReport.OPEN_STATUSES
    )
    # A feedback reminder, while the view has no final feedback.
    view_records = FeedbackReminderSent.objects.filter(sent_at__lt=cutoff).filter(
        Exists(Feedback.objects.filter(view=OuterRef("view")).exclude(status=Feedback.Status.PREPARING))
    )
    counts = {"emails_deleted": mails.count(), "records_deleted": report_records.count() + view_records.count()}
    if not dry_run and any(counts.values()):
        with transaction.atomic():
            counts["emails_deleted"] = mails.delete()[0]
            counts["records_deleted"] = report_records.delete()[0] + view_records.delete()[0]
    return counts


# --- Report builds' files -----------------------------------------------------------------


def _referenced_build_ids() -> set[int]:
    """Builds another record points at (a report adopted or published with a
    given build, whatever model records it): their files are the record."""
    from reports.models import Build

    ids: set[int] = set()
    for relation in Build._meta.related_objects:
        if relation.many_to_many:
            model = relation.through
            columns = [f.attname for f in model._meta.fields if f.is_relation and f.related_model is Build]
        elif relation.related_model is not Build:
            model, columns = relation.related_model, [relation.field.attname]
        else:
            continue
        for column in columns:
            ids |= set(model._default_manager.filter(**{f"{column}__isnull": False}).values_list(column, flat=True))
    return ids


def report_builds_due(cutoff: datetime):
    from reports.models import Build

    newest = (
        Build.objects.filter(report=OuterRef("report"), status=Build.Status.DONE)
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    return (
        Build.objects.filter(status=Build.Status.DONE, finished_at__lt=cutoff)
        .exclude(pdf="", docx="")
        .exclude(pk=models.Subquery(newest))
        .exclude(pk__in=_referenced_build_ids())
        .order_by("pk")
    )


def _report_builds(*, cutoff: datetime, dry_run: bool) -> dict[str, int]:
    from reports.models import Build

    due = list(report_builds_due(cutoff))
    files = sum(bool(b.pdf) + bool(b.docx) for b in due)
    if dry_run or not due:
        return {"files_deleted": files}
    names = [(f.storage, f.name) for b in due for f in (b.pdf, b.docx) if f]
    with transaction.atomic():
        Build.objects.filter(pk__in=[b.pk for b in due]).update(pdf="", docx="")
        # The files go once the rows no longer point at them; a failure leaves a stray file, never a broken row.
        transaction.on_commit(lambda: _delete_files(names))
    return {"files_deleted": files}


def _delete_files(names) -> None:
    for storage, name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - logged for the operator; the row is already cleared
            logger.exception("Could not delete the report file %s", name)
