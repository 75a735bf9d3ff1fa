"""Writes to plans and goals. Each runs in one transaction and writes its
audit events in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from activities.selectors import forget_counts
from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from organisations.models import Municipality, OrgUnit, UnitGroup

from .models import DEFAULT_ACTIVITY_STATUSES, ActivityStatus, Goal, GoalResponsibility, Plan, PlanLevel, RightsArea
from .planfile import GoalSpec, PlanSpec
from .selectors import current_plan, goal_descendants, plans_like


class PlanExists(Exception):
    """Importing would make a second plan with the title and period of an existing one."""

    def __init__(self, existing: Plan):
        super().__init__(f"A plan with this title and period exists: {existing.pk}")
        self.existing = existing


PLAN_FIELDS = (
    "title", "kind", "status", "overall_goal", "description",
    "valid_from", "valid_to", "adopted_by", "adopted_on", "replaced_by", "is_current",
)  # fmt: skip
GOAL_FIELDS = ("code", "title", "kind", "description", "guidance", "all_units", "parent")


@dataclass(frozen=True)
class Responsible:
    """A unit or group answering for a goal, as chosen in a form or a file."""

    target: OrgUnit | UnitGroup
    role: str


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(plan, name) for name in PLAN_FIELDS}
    data["kind"] = plan.get_kind_display() if plan.kind else ""
    data["status"] = plan.get_status_display()
    data["levels"] = [level.name for level in plan.levels.order_by("depth")]
    return data


def goal_snapshot(goal: Goal) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(goal, name) for name in GOAL_FIELDS}
    data["kind"] = goal.get_kind_display() if goal.kind else ""
    data["parent"] = goal.parent.code if goal.parent_id else None
    data["rights_areas"] = [str(a) for a in goal.rights_areas.order_by("position")]
    data["responsible"] = [
        f"{r.target.short_name} ({r.get_role_display()})"
        for r in goal.responsibilities.select_related("unit", "group").order_by("pk")
    ]
    return data


# --- Plans ----------------------------------------------------------------------


def _set_levels(plan: Plan, levels: Sequence[tuple[str, str]]) -> None:
    """Replace the plan's level names; ``levels`` is [(name, goal_kind), ...] from the top."""
    existing = {level.depth: level for level in plan.levels.all()}
    for depth, (name, goal_kind) in enumerate(levels, start=1):
        level = existing.pop(depth, None) or PlanLevel(plan=plan, depth=depth)
        level.name, level.goal_kind = name, goal_kind
        level.save()
    PlanLevel.objects.filter(pk__in=[lvl.pk for lvl in existing.values()]).delete()


@transaction.atomic
def plan_create(*, municipality: Municipality, by, fields: dict[str, Any], levels: Sequence[tuple[str, str]]) -> Plan:
    """A new plan. It becomes the current plan only if the municipality has none."""
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()  # one current plan, even when racing
    is_current = current_plan(municipality) is None
    plan = Plan.objects.create(municipality=municipality, is_current=is_current, **fields)
    _set_levels(plan, levels)
    ActivityStatus.objects.bulk_create(
        ActivityStatus(plan=plan, name=name, summary=summary, position=position)
        for position, (name, summary) in enumerate(DEFAULT_ACTIVITY_STATUSES, start=1)
    )
    audit_record(
        municipality=municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=plan,
        changes=snapshot_created(plan_snapshot(plan)),
    )
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by, fields: dict[str, Any], levels: Sequence[tuple[str, str]] | None = None) -> Plan:
    before = plan_snapshot(Plan.objects.get(pk=plan.pk))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    if levels is not None:
        _set_levels(plan, levels)
    audit_record(
        municipality=plan.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        changes=diff(before, plan_snapshot(plan)),
    )
    return plan


@transaction.atomic
def plan_make_current(*, plan: Plan, by) -> Plan:
    """Make the plan the municipality's current plan: the one the start page and the
    pages about one plan's work show unless another is chosen. Records the change on
    both plans."""
    Municipality.objects.select_for_update().filter(pk=plan.municipality_id).first()
    if Plan.objects.filter(pk=plan.pk, is_current=True).exists():
        plan.is_current = True
        return plan
    for previous in Plan.objects.filter(municipality_id=plan.municipality_id, is_current=True):
        previous.is_current = False
        previous.save(update_fields=["is_current"])
        audit_record(
            municipality=plan.municipality,
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=previous,
            changes={"is_current": [True, False]},
        )
    plan.is_current = True
    plan.save(update_fields=["is_current"])
    audit_record(
        municipality=plan.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        changes={"is_current": [False, True]},
    )
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, by) -> None:
    for goal in plan.goals.order_by("-depth"):
        _goal_audit_deleted(goal, by)
    snapshot = plan_snapshot(plan)
    snapshot["activities"] = [str(a) for a in plan.activities.select_related("municipality")]  # they go with it
    audit_record(
        municipality=plan.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=plan,
        changes=snapshot_deleted(snapshot),
    )
    plan.delete()


# --- Goals ----------------------------------------------------------------------


def _set_goal_relations(goal: Goal, rights_areas: Iterable[str], responsible: Iterable[Responsible]) -> None:
    goal.rights_areas.set(list(rights_areas))
    wanted = {(type(r.target), r.target.pk): r.role for r in responsible}
    for resp in list(goal.responsibilities.all()):
        key = (OrgUnit, resp.unit_id) if resp.unit_id else (UnitGroup, resp.group_id)
        role = wanted.pop(key, None)
        if role is None:
            resp.delete()
        elif role != resp.role:
            resp.role = role
            resp.save(update_fields=["role"])
    for (model, pk), role in wanted.items():
        if model is OrgUnit:
            GoalResponsibility.objects.create(goal=goal, unit_id=pk, role=role)
        else:
            GoalResponsibility.objects.create(goal=goal, group_id=pk, role=role)


@transaction.atomic
def goal_create(
    *,
    plan: Plan,
    parent: Goal | None,
    by,
    fields: dict[str, Any],
    rights_areas: Iterable[str] = (),
    responsible: Iterable[Responsible] = (),
) -> Goal:
    siblings = plan.goals.filter(parent=parent)
    position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
    goal = Goal.objects.create(
        plan=plan, parent=parent, depth=(parent.depth + 1) if parent else 1, position=position, **fields
    )
    _set_goal_relations(goal, rights_areas, responsible)
    audit_record(
        municipality=plan.municipality,
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=goal,
        changes=snapshot_created(goal_snapshot(goal)),
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    by,
    fields: dict[str, Any],
    rights_areas: Iterable[str],
    responsible: Iterable[Responsible],
) -> Goal:
    before = goal_snapshot(Goal.objects.get(pk=goal.pk))
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.save()
    _set_goal_relations(goal, rights_areas, responsible)
    audit_record(
        municipality=goal.plan.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=goal,
        changes=diff(before, goal_snapshot(goal)),
    )
    return goal


def _goal_audit_deleted(goal: Goal, by) -> None:
    audit_record(
        municipality=goal.plan.municipality,
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=goal,
        changes=snapshot_deleted(goal_snapshot(goal)),
    )


@transaction.atomic
def goal_delete(*, goal: Goal, by) -> None:
    """Delete the goal and everything under it, recording each."""
    for g in reversed(goal_descendants(goal)):
        _goal_audit_deleted(g, by)
    _goal_audit_deleted(goal, by)
    goal.delete()


# --- Import ---------------------------------------------------------------------------


@transaction.atomic
def plan_import(*, municipality: Municipality, spec: PlanSpec, by, as_new: bool = False) -> Plan:
    """Create a plan from a validated plan file (see plans.planfile). Importing never
    changes an existing plan, nor which plan is current (unless there is none). A file
    with the title and period of an existing plan raises PlanExists unless ``as_new``
    confirms that a second, separate plan is wanted."""
    if not as_new:
        existing = plans_like(municipality, title=spec.title, valid_from=spec.valid_from, valid_to=spec.valid_to)
        if existing is not None:
            raise PlanExists(existing)
    fields = {
        "title": spec.title,
        "kind": spec.kind,
        "status": spec.status,
        "overall_goal": spec.overall_goal,
        "description": spec.description,
        "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
        "adopted_by": spec.adopted_by,
        "adopted_on": spec.adopted_on,
    }
    plan = plan_create(
        municipality=municipality, by=by, fields=fields, levels=[(lvl.name, lvl.goal_kind) for lvl in spec.levels]
    )
    valid_areas = set(RightsArea.objects.values_list("code", flat=True))

    def create(goals: list[GoalSpec], parent: Goal | None) -> None:
        for g in goals:
            goal = goal_create(
                plan=plan,
                parent=parent,
                by=by,
                fields={
                    "code": g.code,
                    "title": g.title,
                    "kind": g.kind,
                    "description": g.description,
                    "guidance": g.guidance,
                    "all_units": g.all_units,
                },
                rights_areas=[a for a in g.rights_areas if a in valid_areas],
                responsible=[Responsible(target=r.target, role=r.role) for r in g.responsibilities],
            )
            create(g.children, goal)

    create(spec.goals, None)
    return plan


@transaction.atomic
def statuses_save(*, plan: Plan, by, formset) -> None:
    """Save the plan's activity statuses from a valid formset."""
    before = [f"{s.name} ({s.get_summary_display()})" for s in plan.activity_statuses.all()]
    formset.save()
    forget_counts(plan.pk)  # the activities' counts by summary
    after = [f"{s.name} ({s.get_summary_display()})" for s in plan.activity_statuses.all()]
    audit_record(
        municipality=plan.municipality,
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        changes=diff({"activity_statuses": before}, {"activity_statuses": after}),
    )
