"""Writes to plans and goals. Each runs in one transaction and writes its
audit events in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.selectors import forget_counts
from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from organisations.models import Municipality, OrgUnit, UnitGroup
from search import index as search_index

from .models import (
    DEFAULT_ACTIVITY_STATUSES,
    ActivityStatus,
    Goal,
    GoalResponsibility,
    Plan,
    PlanLevel,
    PlanReference,
    RightsArea,
    SupportRelation,
)
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
    "version", "dnr", "adopted_paragraph",
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
    data["related_goals"] = [
        f"{g.code} {g.title[:60]} ({g.plan.title})" for g in goal.related_goals.select_related("plan").order_by("pk")
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


def _set_related_goals(goal: Goal, related: Iterable[int] | None) -> None:
    """Link the goal to goals of the municipality's other plans (None: leave the links as
    they are). Goals of its own plan, of another version of it, or of another municipality
    are never linked."""
    from .selectors import plan_chain

    if related is None:
        return
    allowed = Goal.objects.filter(pk__in=list(related), plan__municipality_id=goal.plan.municipality_id).exclude(
        plan_id__in=[p.pk for p in plan_chain(goal.plan)]
    )
    goal.related_goals.set(allowed)


@transaction.atomic
def goal_create(
    *,
    plan: Plan,
    parent: Goal | None,
    by,
    fields: dict[str, Any],
    rights_areas: Iterable[str] = (),
    responsible: Iterable[Responsible] = (),
    related_goals: Iterable[int] | None = None,
) -> Goal:
    siblings = plan.goals.filter(parent=parent)
    position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
    goal = Goal.objects.create(
        plan=plan, parent=parent, depth=(parent.depth + 1) if parent else 1, position=position, **fields
    )
    _set_goal_relations(goal, rights_areas, responsible)
    _set_related_goals(goal, related_goals)
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
    related_goals: Iterable[int] | None = None,
) -> Goal:
    before = goal_snapshot(Goal.objects.get(pk=goal.pk))
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.save()
    _set_goal_relations(goal, rights_areas, responsible)
    _set_related_goals(goal, related_goals)
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
        "adopted_paragraph": spec.adopted_paragraph,
        "dnr": spec.dnr,
        "version": spec.version,
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
                    **({"identity": g.identity} if g.identity else {}),
                },
                rights_areas=[a for a in g.rights_areas if a in valid_areas],
                responsible=[Responsible(target=r.target, role=r.role) for r in g.responsibilities],
            )
            create(g.children, goal)

    create(spec.goals, None)
    plan.contact_units.set(spec.contact_units)
    for support in spec.support:
        relation = SupportRelation.objects.create(
            plan=plan, supporter=support.supporter, kind=support.kind, area=support.area
        )
        relation.supported_units.set([t for t in support.supported if isinstance(t, OrgUnit)])
        relation.supported_groups.set([t for t in support.supported if isinstance(t, UnitGroup)])
    PlanReference.objects.bulk_create(
        PlanReference(plan=plan, title=r.title, kind=r.kind, url=r.url, note=r.note) for r in spec.references
    )
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


def steering_snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "contact_units": [u.short_name for u in plan.contact_units.order_by("name")],
        "support_relations": [
            "{} ({}): {}{}".format(
                r.supporter.short_name,
                r.get_kind_display(),
                ", ".join(
                    [u.short_name for u in r.supported_units.order_by("name")]
                    + [g.short_name for g in r.supported_groups.order_by("name")]
                ),
                f" – {r.area}" if r.area else "",
            )
            for r in plan.support_relations.select_related("supporter").order_by("pk")
        ],
        "references": [f"{r.title} ({r.get_kind_display()})" for r in plan.references.order_by("pk")],
    }


@transaction.atomic
def steering_save(*, plan: Plan, by, contact_units: Iterable[OrgUnit], support_formset, reference_formset) -> None:
    """Save the plan's steering (the units that must have a contact person, the support
    relations, the referenced documents) from valid forms, in one transaction with its audit."""
    before = steering_snapshot(plan)
    plan.contact_units.set([u for u in contact_units if u.municipality_id == plan.municipality_id])
    support_formset.save()
    reference_formset.save()
    changes = diff(before, steering_snapshot(plan))
    if changes:
        audit_record(
            municipality=plan.municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=plan, changes=changes
        )


# --- Versions (docs/plan-versions.md) ----------------------------------------------------


class AdoptionRefused(Exception):
    """Adopting the version is not allowed; the message says why, in the user's language."""


class NewVersionRefused(Exception):
    """A new version is made only from the newest version of its chain; ``newest`` is it."""

    def __init__(self, message: str, *, newest: Plan):
        super().__init__(message)
        self.newest = newest


@dataclass(frozen=True)
class Adoption:
    """What adopting a version did: the version it replaced (if any), the activities
    carried over to the new version, and those left with the old one because none of
    their goals carries over."""

    plan: Plan
    replaced: Plan | None
    moved: int
    left_behind: int
    carried_from: Plan | None = None


def _copy_translations(model, pairs: dict[int, int]) -> None:
    """Copy the public-text rows (parler) of the objects ``pairs`` maps old pk → new pk."""
    translation_model = model._parler_meta.root_model
    skip = {"id", "master"}
    names = [f.attname for f in translation_model._meta.concrete_fields if f.name not in skip]
    copies = []
    for row in translation_model.objects.filter(master_id__in=list(pairs)).values("master_id", *names):
        master_id = row.pop("master_id")
        copies.append(translation_model(master_id=pairs[master_id], **row))
    translation_model.objects.bulk_create(copies, batch_size=500)


@transaction.atomic
def plan_new_version(*, plan: Plan, by) -> Plan:
    """A new version of the plan: a draft copy of it (fields, levels, statuses, public
    texts and every goal with the same identity), the next number in its chain. The
    copy is never the current plan; adopting it (plan_adopt) makes it so. A fixed
    number of queries however many goals the plan has."""
    from .selectors import plan_chain

    Municipality.objects.select_for_update().filter(pk=plan.municipality_id).first()  # numbers, when racing
    chain = plan_chain(plan)
    newest = max(chain, key=lambda p: (p.version, p.pk))
    if newest.pk != plan.pk:
        # A copy of an older version would leave out the newer one's changes yet be
        # numbered after it.
        raise NewVersionRefused(
            _("A new version is made from the newest version of the plan, version %(version)s.")
            % {"version": newest.version},
            newest=newest,
        )
    number = newest.version + 1
    copy = Plan.objects.create(
        municipality_id=plan.municipality_id,
        title=plan.title,
        kind=plan.kind,
        status=Plan.Status.DRAFT,
        overall_goal=plan.overall_goal,
        description=plan.description,
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        dnr=plan.dnr,
        version=number,
        previous_version=plan,
        is_current=False,
    )
    _copy_translations(Plan, {plan.pk: copy.pk})
    PlanLevel.objects.bulk_create(
        PlanLevel(plan=copy, depth=lvl.depth, name=lvl.name, goal_kind=lvl.goal_kind) for lvl in plan.levels.all()
    )
    ActivityStatus.objects.bulk_create(
        ActivityStatus(plan=copy, name=s.name, summary=s.summary, position=s.position)
        for s in plan.activity_statuses.all()
    )
    # Goals level by level (a parent's copy needs its primary key): one insert per level.
    goals = list(plan.goals.order_by("depth", "position", "pk"))
    new_pk: dict[int, int] = {}
    for depth in sorted({g.depth for g in goals}):
        level = [g for g in goals if g.depth == depth]
        copies = [
            Goal(
                plan=copy,
                parent_id=new_pk[g.parent_id] if g.parent_id else None,
                depth=g.depth,
                position=g.position,
                code=g.code,
                title=g.title,
                kind=g.kind,
                description=g.description,
                guidance=g.guidance,
                all_units=g.all_units,
                identity=g.identity,
            )
            for g in level
        ]
        Goal.objects.bulk_create(copies, batch_size=500)
        new_pk.update({g.pk: c.pk for g, c in zip(level, copies, strict=True)})
    # bulk_create sends no signals: the copies are indexed for search here (search.signals).
    search_index.reindex(search_index.Kind.GOAL, new_pk.values())
    Areas = Goal.rights_areas.through
    Areas.objects.bulk_create(
        (
            Areas(goal_id=new_pk[goal_id], rightsarea_id=area_id)
            for goal_id, area_id in Areas.objects.filter(goal__plan=plan).values_list("goal_id", "rightsarea_id")
        ),
        batch_size=500,
    )
    GoalResponsibility.objects.bulk_create(
        (
            GoalResponsibility(goal_id=new_pk[r.goal_id], unit_id=r.unit_id, group_id=r.group_id, role=r.role)
            for r in GoalResponsibility.objects.filter(goal__plan=plan).order_by("pk")
        ),
        batch_size=500,
    )
    _copy_translations(Goal, new_pk)
    _copy_steering(plan, copy, new_pk)
    changes = snapshot_created(plan_snapshot(copy))
    changes["previous_version"] = [None, f"{plan.title} (version {plan.version})"]
    changes["goals"] = [None, len(goals)]
    audit_record(municipality=plan.municipality, actor=by, action=AuditEvent.Action.CREATE, obj=copy, changes=changes)
    return copy


def _copy_steering(plan: Plan, copy: Plan, new_pk: dict[int, int]) -> None:
    """The steering of a plan goes with its new version: the units that must have a contact
    person, the support relations, the referenced documents and the goals' links to goals
    of other plans (a link between two goals of this plan follows both to their copies)."""
    copy.contact_units.set(plan.contact_units.all())
    for relation in plan.support_relations.prefetch_related("supported_units", "supported_groups"):
        new = SupportRelation.objects.create(
            plan=copy, supporter_id=relation.supporter_id, kind=relation.kind, area=relation.area
        )
        new.supported_units.set(relation.supported_units.all())
        new.supported_groups.set(relation.supported_groups.all())
    PlanReference.objects.bulk_create(
        PlanReference(
            plan=copy, title=r.title, kind=r.kind, referenced_plan_id=r.referenced_plan_id, url=r.url, note=r.note
        )
        for r in plan.references.all()
    )
    Links = Goal.related_goals.through
    Links.objects.bulk_create(
        (
            Links(from_goal_id=new_pk[source], to_goal_id=new_pk.get(target, target))
            for source, target in Links.objects.filter(from_goal__plan=plan).values_list("from_goal_id", "to_goal_id")
        ),
        batch_size=500,
    )


def _status_map(old: Plan, new: Plan) -> dict[int, int]:
    """The old version's activity status → the new version's of the same name (else the
    first with the same summary, else the new version's first status)."""
    new_statuses = list(new.activity_statuses.order_by("position", "pk"))
    by_name = {s.name: s.pk for s in new_statuses}
    by_summary: dict[str, int] = {}
    for s in new_statuses:
        by_summary.setdefault(s.summary, s.pk)
    out = {}
    for s in old.activity_statuses.all():
        out[s.pk] = by_name.get(s.name) or by_summary.get(s.summary) or new_statuses[0].pk
    return out


def _carry_over(*, old: Plan, new: Plan, by) -> tuple[int, int]:
    """Move the old version's activities whose goals carry over (same identity) to the
    new version; they keep their links to the old goals and gain links to the new ones.
    Indicators following an old goal also follow its new version. A fixed number of
    queries however many activities. Returns (moved, left behind)."""
    from activities.models import Activity
    from indicators.models import Indicator

    new_goal = dict(new.goals.values_list("identity", "pk"))
    old_to_new = {
        pk: new_goal[identity] for pk, identity in old.goals.values_list("pk", "identity") if identity in new_goal
    }
    Links = Activity.goals.through
    links: dict[int, set[int]] = {}
    for activity_id, goal_id in Links.objects.filter(activity__plan=old).values_list("activity_id", "goal_id"):
        links.setdefault(activity_id, set()).add(goal_id)
    activities = dict(Activity.objects.filter(plan=old).values_list("pk", "status_id"))
    moving = {pk for pk in activities if any(g in old_to_new for g in links.get(pk, ()))}
    if not activities:
        return 0, 0
    statuses = _status_map(old, new) if moving else {}
    now = timezone.now()
    by_status: dict[int, list[int]] = {}
    for pk in moving:
        by_status.setdefault(statuses[activities[pk]], []).append(pk)
    for status_id, pks in by_status.items():  # one update per status, not per activity
        Activity.objects.filter(pk__in=pks).update(
            plan=new, status_id=status_id, updated_at=now, version=models.F("version") + 1
        )
    Links.objects.bulk_create(
        (Links(activity_id=a, goal_id=old_to_new[g]) for a in moving for g in sorted(links[a]) if g in old_to_new),
        batch_size=500,
        ignore_conflicts=True,
    )
    Follows = Indicator.goals.through
    Follows.objects.bulk_create(
        (
            Follows(indicator_id=indicator_id, goal_id=old_to_new[goal_id])
            for indicator_id, goal_id in Follows.objects.filter(goal__plan=old).values_list("indicator_id", "goal_id")
            if goal_id in old_to_new
        ),
        batch_size=500,
        ignore_conflicts=True,
    )
    if moving:
        actor_name = (by.get_full_name() or by.get_username()) if by is not None else ""
        content_type = ContentType.objects.get_for_model(Activity, for_concrete_model=False)
        change = {"plan": [f"{old.title} (version {old.version})", f"{new.title} (version {new.version})"]}
        AuditEvent.objects.bulk_create(
            (
                AuditEvent(
                    municipality_id=old.municipality_id,
                    actor=by,
                    actor_name=actor_name,
                    at=now,
                    action=AuditEvent.Action.UPDATE,
                    content_type=content_type,
                    object_id=activity.pk,
                    object_repr=str(activity)[:300],
                    changes=change,
                )
                for activity in Activity.objects.filter(pk__in=moving)
                .select_related("municipality")
                .only("pk", "number", "title", "municipality__reference_prefix", "municipality__code")
            ),
            batch_size=500,
        )
    forget_counts(old.pk)
    forget_counts(new.pk)
    return len(moving), len(activities) - len(moving)


@dataclass(frozen=True)
class Refusal:
    """Why a version cannot be adopted now; ``open_rounds``: the follow-up rounds of the
    version handing over its activities whose reports are not all approved, if that is why."""

    message: str
    open_rounds: list = ()


def _open_reports_refusal(source: Plan) -> Refusal | None:
    """The activities move to the adopted version: a report of the version they leave that
    is still being written or checked would lose them. Those rounds are finished first."""
    from django.utils.translation import ngettext

    from .selectors import rounds_with_open_reports

    rounds = rounds_with_open_reports(source)
    if not rounds:
        return None
    count = sum(r.count for r in rounds)
    message = ngettext(
        "%(count)d report in the follow-up rounds of version %(version)s is not approved yet (%(rounds)s). "
        "Finish those rounds before the new version is adopted: their reports keep their activities.",
        "%(count)d reports in the follow-up rounds of version %(version)s are not approved yet (%(rounds)s). "
        "Finish those rounds before the new version is adopted: their reports keep their activities.",
        count,
    ) % {"count": count, "version": source.version, "rounds": ", ".join(f"“{r.name}”" for r in rounds)}
    return Refusal(message=message, open_rounds=rounds)


def adoption_refusal(plan: Plan, chain: list[Plan]) -> Refusal | None:
    """Why the version cannot be adopted now, whatever the decision's details, or None:
    it is already antagen or ersatt, a later version of its chain is adopted or replaced,
    or the version handing over its activities has reports not yet approved. The
    adoption page says it before the form; plan_adopt refuses with the same words."""
    from .selectors import handing_over

    if plan.status in (Plan.Status.ADOPTED, Plan.Status.REPLACED):
        return Refusal(_("This version is already %(status)s.") % {"status": plan.get_status_display()})
    later = [p for p in chain if p.version > plan.version and p.status in (Plan.Status.ADOPTED, Plan.Status.REPLACED)]
    if later:
        newest = max(later, key=lambda p: p.version)
        return Refusal(
            _("Version %(later)s of this plan is already %(status)s: an earlier version cannot be adopted after it.")
            % {"later": newest.version, "status": newest.get_status_display()}
        )
    giving = handing_over(plan, chain)
    return _open_reports_refusal(giving) if giving is not None else None


@transaction.atomic
def plan_adopt(*, plan: Plan, by, adopted_by: str, adopted_on, paragraph: str = "", dnr: str | None = None) -> Adoption:
    """Adopt a version (the council's decision): it becomes antagen; the chain's adopted
    version becomes ersatt, replaced by this one, and hands over its activities
    (_carry_over); the chain's earlier versions never adopted (utkast, på remiss,
    bearbetning) become ersatt too; if the version handing over was the municipality's
    current plan, this one is now. A chain without an adopted version hands over from
    its current plan, if it has it.
    Raises AdoptionRefused, saving nothing, when adoption_refusal() gives a reason, when
    who adopted it or when is missing, or for a date in the future."""
    from .selectors import handing_over, plan_chain

    Municipality.objects.select_for_update().filter(pk=plan.municipality_id).first()
    plan = Plan.objects.select_related("municipality").get(pk=plan.pk)
    chain = plan_chain(plan)
    if (refusal := adoption_refusal(plan, chain)) is not None:
        raise AdoptionRefused(refusal.message)
    if not (adopted_by or "").strip():
        raise AdoptionRefused(_("Say who adopted the plan (e.g. Kommunfullmäktige)."))
    if adopted_on is None:
        raise AdoptionRefused(_("Give the date the plan was adopted."))
    if adopted_on > timezone.localdate():
        raise AdoptionRefused(_("The date of adoption cannot be in the future."))
    # The activities come from the adopted version this one replaces; when the chain has
    # none (a first version used while still a draft or on remiss), from the chain's
    # current plan.
    source = handing_over(plan, chain)
    replaced = source if source is not None and source.status == Plan.Status.ADOPTED else None
    before = plan_snapshot(plan)
    plan.status = Plan.Status.ADOPTED
    plan.adopted_by = adopted_by.strip()
    plan.adopted_on = adopted_on
    plan.adopted_paragraph = (paragraph or "").strip()
    if dnr is not None:
        plan.dnr = dnr.strip()
    plan.save(update_fields=["status", "adopted_by", "adopted_on", "adopted_paragraph", "dnr"])
    after = plan_snapshot(plan)
    changes = diff(before, after)
    audit_record(municipality=plan.municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=plan, changes=changes)
    moved = left = 0
    was_current = source is not None and source.is_current
    # Every earlier version still in force or in preparation is replaced: the adopted one(s)
    # and those never adopted (a draft, one on remiss or under revision).
    replacing = [
        p
        for p in chain
        if p.pk != plan.pk
        and p.status != Plan.Status.REPLACED
        and (p.status == Plan.Status.ADOPTED or p.version < plan.version)
    ]
    for old in replacing:
        was_current = was_current or old.is_current
        old_status = old.get_status_display()
        old.status = Plan.Status.REPLACED
        old.replaced_by = plan
        old.save(update_fields=["status", "replaced_by"])
        audit_record(
            municipality=plan.municipality,
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=old,
            changes={"status": [str(old_status), str(Plan.Status.REPLACED.label)], "replaced_by": [None, str(plan)]},
        )
    if source is not None:
        moved, left = _carry_over(old=source, new=plan, by=by)
    if was_current:  # plan_make_current also records that the replaced version no longer is
        plan_make_current(plan=plan, by=by)
    return Adoption(plan=plan, replaced=replaced, moved=moved, left_behind=left, carried_from=source)
