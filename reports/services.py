"""Writing council reports, with their history."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created
from organisations.models import Municipality

from .models import CouncilReport

TEXTS = ("title", "summary", "analysis", "conclusions")


def _snapshot(report: CouncilReport) -> dict[str, Any]:
    # The framing texts are recorded by length: the history says that they changed, the report has them.
    return {
        "title": report.title,
        "plan": report.plan.title,
        "rounds": sorted(r.name for r in report.rounds.all()),
        **{name: len(getattr(report, name)) for name in TEXTS[1:]},
    }


@transaction.atomic
def council_report_save(
    *, municipality: Municipality, by, report: CouncilReport | None, fields: dict[str, Any], rounds
) -> CouncilReport:
    if report is None:
        report = CouncilReport.objects.create(municipality=municipality, created_by=by, **fields)
        report.rounds.set(rounds)
        audit_record(
            municipality=municipality, actor=by, action=AuditEvent.Action.CREATE, obj=report,
            changes=snapshot_created(_snapshot(report)),
        )  # fmt: skip
        return report
    before = _snapshot(report)
    for name, value in fields.items():
        setattr(report, name, value)
    report.updated_at = timezone.now()
    report.version += 1
    report.save()
    report.rounds.set(rounds)
    audit_record(
        municipality=municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=report,
        changes=diff(before, _snapshot(report)),
    )  # fmt: skip
    return report


@transaction.atomic
def council_report_delete(*, report: CouncilReport, by) -> None:
    for build in report.builds.all():
        for f in (build.pdf, build.docx):
            if f:
                transaction.on_commit(lambda name=f.name, storage=f.storage: storage.delete(name))
    audit_record(
        municipality=report.municipality, actor=by, action=AuditEvent.Action.DELETE, obj=report,
        changes=snapshot_created(_snapshot(report)),
    )  # fmt: skip
    report.delete()
