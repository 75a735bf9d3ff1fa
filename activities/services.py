"""Writes to activities and their progress notes. Each runs in one transaction
and writes its audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from lib.locking import claim_version
from organisations.models import Municipality, OrgUnit
from plans.models import Goal, Plan
from plans.selectors import sort_in_tree_order

from .models import Activity, ProgressNote
from .selectors import forget_counts
from .spreadsheet import ActivityRow

ACTIVITY_FIELDS = (
    "title", "description", "owner", "responsible_role", "mandate", "partners", "partner_kinds",
    "target_groups", "methods", "status", "start_date", "end_date", "ongoing", "budget", "funding",
    "funding_ends", "visibility",
)  # fmt: skip


def activity_snapshot(activity: Activity) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    data["owner"] = activity.owner.short_name
    data["status"] = activity.status.name
    data["funding"] = activity.get_funding_display()
    data["visibility"] = activity.get_visibility_display()
    data["partner_kinds"] = activity.partner_kind_labels()
    data["target_groups"] = activity.target_group_labels()
    data["methods"] = activity.method_labels()
    data["goals"] = [g.code for g in sort_in_tree_order(list(activity.goals.select_related("plan")))]
    data["co_units"] = sorted(u.short_name for u in activity.co_units.all())
    return data


def _next_number(municipality: Municipality) -> int:
    # Lock the municipality's row so two activities created at once get
    # different numbers (PostgreSQL; SQLite's IMMEDIATE transactions serialise anyway).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    top = Activity.objects.filter(municipality=municipality).aggregate(m=Max("number"))["m"]
    return (top or 0) + 1


@transaction.atomic
def activity_create(
    *,
    plan: Plan,
    by,
    fields: dict[str, Any],
    goals: Iterable[Goal],
    co_units: Iterable[OrgUnit] = (),
) -> Activity:
    municipality = plan.municipality
    activity = Activity.objects.create(
        municipality=municipality, plan=plan, number=_next_number(municipality), **fields
    )
    activity.goals.set(list(goals))
    activity.co_units.set(list(co_units))
    forget_counts(plan.pk)
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=activity,
        changes=snapshot_created(activity_snapshot(activity)),
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by,
    fields: dict[str, Any],
    goals: Iterable[Goal] | None = None,
    co_units: Iterable[OrgUnit] | None = None,
    version: int | None = None,
) -> Activity:
    """Save changes; with ``version`` (the one the form was opened with), raise
    lib.locking.StaleEdit if someone else saved in between."""
    stored = Activity.objects.select_related("owner", "status").get(pk=activity.pk)
    before = activity_snapshot(stored)
    claim_version(activity, version)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.updated_at = timezone.now()
    activity.save()
    if goals is not None:
        activity.goals.set(list(goals))
    if co_units is not None:
        activity.co_units.set(list(co_units))
    forget_counts(activity.plan_id)
    if stored.plan_id != activity.plan_id:
        forget_counts(stored.plan_id)
    audit_record(
        municipality=activity.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=activity,
        changes=diff(before, activity_snapshot(activity)),
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    audit_record(
        municipality=activity.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=activity,
        changes=snapshot_deleted(activity_snapshot(activity)),
    )
    activity.delete()
    forget_counts(activity.plan_id)


@transaction.atomic
def note_add(*, activity: Activity, by, date, text: str, public: bool = False) -> ProgressNote:
    note = ProgressNote.objects.create(
        activity=activity,
        date=date,
        text=text,
        public=public,
        author=by,
        author_name=(by.get_full_name() or by.get_username()) if by else "",
    )
    audit_record(
        municipality=activity.municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=activity,
        changes={
            "progress_note": [None, f"{date}: {text}"],
            **({"progress_note_public": [None, True]} if public else {}),
        },
    )
    return note


@transaction.atomic
def note_set_public(*, note: ProgressNote, by, public: bool) -> ProgressNote:
    """Show the note on the public site (when its activity is public), or stop showing it."""
    if note.public == public:
        return note
    note.public = public
    note.save(update_fields=["public"])
    activity = note.activity
    audit_record(
        municipality=activity.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=activity,
        changes={f"progress_note_public {note.date}": [not public, public]},
    )
    return note


@transaction.atomic
def note_delete(*, note: ProgressNote, by) -> None:
    activity = note.activity
    audit_record(
        municipality=activity.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=activity,
        changes={"progress_note": [f"{note.date}: {note.text}", None]},
    )
    note.delete()


@transaction.atomic
def activities_import(*, plan: Plan, by, rows: list[ActivityRow]) -> tuple[int, int]:
    """Save rows validated by spreadsheet.parse_activities, all or nothing.
    Returns (created, changed)."""
    created = changed = 0
    for row in rows:
        if row.activity is None:
            activity_create(plan=plan, by=by, fields=row.fields, goals=row.goals, co_units=row.co_units)
            created += 1
        elif row.changes_anything():  # unchanged rows are left alone: no write, no new version
            activity_update(activity=row.activity, by=by, fields=row.fields, goals=row.goals, co_units=row.co_units)
            changed += 1
    return created, changed
