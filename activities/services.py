"""Writes to activities and their progress notes. Each runs in one transaction
and writes its audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, display, snapshot_created, snapshot_deleted
from lib.locking import StaleEdit, claim_version
from organisations.models import Municipality, OrgUnit
from plans.models import Goal, Plan
from plans.selectors import sort_in_tree_order
from search import index as search_index

from .models import Activity, ProgressNote
from .selectors import forget_counts
from .spreadsheet import ActivityRow

ACTIVITY_FIELDS = (
    "title", "description", "owner", "responsible_role", "mandate", "partners", "partner_kinds",
    "target_groups", "methods", "status", "start_date", "end_date", "ongoing", "budget", "funding",
    "funding_ends", "visibility",
)  # fmt: skip


def activity_snapshot(activity: Activity) -> dict[str, Any]:
    return _snapshot(activity, activity.goals.select_related("plan"), activity.co_units.all())


def _snapshot(activity: Activity, goals: Iterable[Goal], co_units: Iterable[OrgUnit]) -> dict[str, Any]:
    """activity_snapshot with the goals and co-operating units given (no query)."""
    data: dict[str, Any] = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    data["owner"] = activity.owner.short_name
    data["status"] = activity.status.name
    data["funding"] = activity.get_funding_display()
    data["visibility"] = activity.get_visibility_display()
    data["partner_kinds"] = activity.partner_kind_labels()
    data["target_groups"] = activity.target_group_labels()
    data["methods"] = activity.method_labels()
    data["goals"] = [g.code for g in sort_in_tree_order(list(goals))]
    data["co_units"] = sorted(u.short_name for u in co_units)
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


IMPORT_BATCH = 500


@transaction.atomic
def activities_import(*, plan: Plan, by, rows: list[ActivityRow]) -> tuple[int, int]:
    """Save rows validated by spreadsheet.parse_activities, all or nothing.
    Returns (created, changed).

    The same rows, goals, units and audit events as activity_create and
    activity_update one row at a time, written in batches: a few queries per
    500 rows instead of about fifteen per row. An activity someone else saved
    since the file was read raises lib.locking.StaleEdit (as activity_update)."""
    new = [row for row in rows if row.activity is None]
    # Unchanged rows are left alone: no write, no new version.
    changed = [row for row in rows if row.activity is not None and row.changes_anything()]
    if not new and not changed:
        return 0, 0
    municipality = plan.municipality
    now = timezone.now()
    events: list[AuditEvent] = []
    actor_name = (by.get_full_name() or by.get_username()) if by is not None else ""
    content_type = ContentType.objects.get_for_model(Activity, for_concrete_model=False)

    def event(action: str, activity: Activity, changes: dict[str, Any]) -> None:
        events.append(
            AuditEvent(
                municipality=municipality,
                actor=by,
                actor_name=actor_name,
                at=now,
                action=action,
                content_type=content_type,
                object_id=activity.pk,
                object_repr=str(activity)[:300],
                changes={k: display(v) for k, v in changes.items()},
            )
        )

    if changed:
        befores = {row.activity.pk: _snapshot(row.activity, row.activity.goals.all(), row.activity.co_units.all())
                   for row in changed}  # fmt: skip
        stored = dict(Activity.objects.select_for_update().filter(pk__in=list(befores)).values_list("pk", "version"))
        if any(stored.get(row.activity.pk) != row.activity.version for row in changed):
            raise StaleEdit
        # Only the columns some row changes (often one or two): each column costs a
        # CASE with a branch per row in bulk_update's statement.
        columns: set[str] = set()
        for row in changed:
            activity = row.activity
            for name, value in row.fields.items():
                if getattr(activity, name) != value:
                    columns.add(name)
                    setattr(activity, name, value)
            activity.updated_at = now
            activity.version += 1
        Activity.objects.bulk_update(
            [row.activity for row in changed],
            [name for name in ACTIVITY_FIELDS if name in columns] + ["updated_at", "version"],
            batch_size=IMPORT_BATCH,
        )
        _set_links(
            Activity.goals.through,
            "goal_id",
            {row.activity.pk: ({g.pk for g in row.activity.goals.all()}, {g.pk for g in row.goals}) for row in changed},
        )
        _set_links(
            Activity.co_units.through,
            "orgunit_id",
            {row.activity.pk: ({u.pk for u in row.activity.co_units.all()}, {u.pk for u in row.co_units})
             for row in changed},
        )  # fmt: skip
        for row in changed:
            after = _snapshot(row.activity, row.goals, row.co_units)
            changes = diff(befores[row.activity.pk], after)
            if changes:  # as audit_record: an update that changed nothing records nothing
                event(AuditEvent.Action.UPDATE, row.activity, changes)

    if new:
        first = _next_number(municipality)
        activities = [
            Activity(
                municipality=municipality, plan=plan, number=first + i, created_at=now, updated_at=now, **row.fields
            )
            for i, row in enumerate(new)
        ]
        Activity.objects.bulk_create(activities, batch_size=IMPORT_BATCH)
        pairs = list(zip(activities, new, strict=True))
        _set_links(Activity.goals.through, "goal_id", {a.pk: (set(), {g.pk for g in row.goals}) for a, row in pairs})
        _set_links(
            Activity.co_units.through,
            "orgunit_id",
            {a.pk: (set(), {u.pk for u in row.co_units}) for a, row in pairs},
        )
        for activity, row in pairs:
            event(AuditEvent.Action.CREATE, activity, snapshot_created(_snapshot(activity, row.goals, row.co_units)))

    AuditEvent.objects.bulk_create(events, batch_size=IMPORT_BATCH)
    # bulk writes send no signals: the search index is brought up to date here (search.signals).
    touched = [row.activity.pk for row in changed] + ([a.pk for a in activities] if new else [])
    search_index.reindex(search_index.Kind.ACTIVITY, touched)
    forget_counts(plan.pk)
    return len(new), len(changed)


def _set_links(through, target: str, links: dict[int, tuple[set[int], set[int]]]) -> None:
    """Make each activity's many-to-many links (goals or co-operating units) go from
    the first set of ids to the second: the removed ones deleted, the added ones
    inserted, in a few queries for all activities."""
    changing = [activity_id for activity_id, (before, after) in links.items() if before - after]
    if changing:
        stale = [
            pk
            for pk, activity_id, target_id in through.objects.filter(activity_id__in=changing).values_list(
                "pk", "activity_id", target
            )
            if target_id not in links[activity_id][1]
        ]
        through.objects.filter(pk__in=stale).delete()
    added = [
        through(activity_id=activity_id, **{target: pk})
        for activity_id, (before, after) in links.items()
        for pk in sorted(after - before)
    ]
    through.objects.bulk_create(added, batch_size=IMPORT_BATCH)
