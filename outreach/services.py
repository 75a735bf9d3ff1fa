"""Writes to outreach counts, each in one transaction with its audit event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from organisations.models import OrgUnit

from .models import COUNT_FIELDS, OutreachRecord


def record_snapshot(record: OutreachRecord) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(record, name) for name in COUNT_FIELDS}
    data["month"] = f"{record.month:%Y-%m}"
    data["activity"] = record.activity.reference if record.activity_id else None
    data["goals"] = sorted(g.code for g in record.goals.all()) if record.pk else []
    return data


@transaction.atomic
def outreach_month_save(
    *,
    unit: OrgUnit,
    month: date,
    counts: dict[str, int],
    by,
    activity=None,
    goals: Iterable | None = None,
) -> OutreachRecord:
    """Create or change a unit's counts for a month (``month``: any day of it).
    ``counts`` holds the fields of COUNT_FIELDS; the database refuses counts
    that do not add up (models.OutreachRecord's constraints)."""
    month = month.replace(day=1)
    record = OutreachRecord.objects.select_for_update().filter(unit=unit, month=month).first()
    created = record is None
    if created:
        record = OutreachRecord(municipality_id=unit.municipality_id, unit=unit, month=month)
        before = {}
    else:
        before = record_snapshot(record)
    for name in COUNT_FIELDS:
        setattr(record, name, counts.get(name, 0) or 0)
    record.activity = activity
    record.updated_at = timezone.now()
    record.save()
    if goals is not None:
        record.goals.set(list(goals))
    after = record_snapshot(record)
    audit_record(
        municipality=unit.municipality,
        actor=by,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=record,
        changes=snapshot_created(after) if created else diff(before, after),
    )
    return record


@transaction.atomic
def outreach_month_delete(*, record: OutreachRecord, by) -> None:
    """Remove a unit's month entered by mistake (the wrong unit, the wrong month):
    its counts and its links to an activity and goals. The audit event keeps the counts."""
    record = (
        OutreachRecord.objects.select_for_update(of=("self",))
        .select_related("unit__municipality", "activity")
        .get(pk=record.pk)
    )
    audit_record(
        municipality=record.unit.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=record,
        changes=snapshot_deleted(record_snapshot(record)),
    )
    record.delete()
