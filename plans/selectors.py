"""Reads for the plan pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from organisations.models import Municipality, OrgUnit, UnitGroup

from .models import Goal, GoalResponsibility, Plan, PlanLevel, RightsArea

# What the plan page's tree shows of a goal (and its plan and parent, to place it).
TREE_GOAL_FIELDS = ("plan", "parent", "depth", "position", "code", "title", "kind", "all_units")

RESPONSIBILITIES = Prefetch(
    "responsibilities",
    queryset=GoalResponsibility.objects.select_related("unit", "group").order_by("role", "pk"),
)


@dataclass(frozen=True)
class Responsible:
    """Who answers for a goal, as the plan pages show it: the unit's or group's name and the role."""

    name: str
    role: str


@dataclass
class GoalNode:
    goal: Goal
    level: PlanLevel | None
    children: list[GoalNode] = field(default_factory=list)
    matches: bool = True
    responsibilities: list[Responsible] = field(default_factory=list)
    rights_areas: list[str] = field(default_factory=list)  # names, in the rights areas' order


@dataclass
class TreeRow:
    """One goal in the tree's pre-order, for rendering nested lists in one loop:
    after the goal, open a list for its children, or close the goal; then close
    ``closes`` enclosing goals."""

    node: GoalNode
    closes: int = 0

    @property
    def closers(self) -> range:
        return range(self.closes)


@dataclass
class PlanTree:
    plan: Plan
    levels: list[PlanLevel]
    roots: list[GoalNode]
    goal_count: int
    shown_count: int

    @property
    def rows(self) -> list[TreeRow]:
        rows: list[TreeRow] = []

        def walk(nodes: list[GoalNode]) -> None:
            for node in nodes:
                rows.append(TreeRow(node=node))
                if node.children:
                    walk(node.children)
                    rows[-1].closes += 1

        walk(self.roots)
        return rows


def _units_filter(units: list[OrgUnit]) -> Q:
    """Goals any of the units answers for: named directly, through a group, or by
    "samtliga nämnder och bolagsstyrelser". One query for the groups, however many units."""
    group_ids = list(UnitGroup.members.through.objects.filter(orgunit__in=units).values_list("unitgroup_id", flat=True))
    q = Q(responsibilities__unit__in=units) | Q(responsibilities__group__in=group_ids)
    if any(unit.counted_in_all for unit in units):
        q |= Q(all_units=True)
    return q


def plan_tree(plan: Plan, *, unit: OrgUnit | None = None, rights_area: str | None = None) -> PlanTree:
    """The plan's goals as a tree. With a filter, goals that match are shown
    with their ancestors for context; the rest are left out."""
    levels = list(plan.levels.order_by("depth"))
    # Read as plain values, not prefetched model instances: a large plan has
    # hundreds of goals and about a thousand responsibilities.
    goals = list(plan.goals.only(*TREE_GOAL_FIELDS).order_by("depth", "position", "pk"))
    responsible: dict[int, list[Responsible]] = {}
    for goal_id, role, unit_name, group_name in (
        GoalResponsibility.objects.filter(goal__plan=plan)
        .order_by("role", "pk")
        .values_list("goal_id", "role", "unit__name", "group__name")
    ):
        responsible.setdefault(goal_id, []).append(Responsible(name=unit_name or group_name, role=role))
    area_names = {code: str(label) for code, label in RightsArea.Code.choices}
    areas: dict[int, list[str]] = {}
    for goal_id, code in (
        Goal.rights_areas.through.objects.filter(goal__plan=plan)
        .order_by("rightsarea__position", "pk")
        .values_list("goal_id", "rightsarea_id")
    ):
        areas.setdefault(goal_id, []).append(area_names.get(code, code))  # as get_code_display()
    matching: set[int] | None = None
    if unit is not None or rights_area:
        qs = plan.goals.all()
        if unit is not None:
            qs = qs.filter(_units_filter([unit]))
        if rights_area:
            qs = qs.filter(rights_areas__code=rights_area)
        matching = set(qs.values_list("pk", flat=True))

    nodes = {
        g.pk: GoalNode(
            goal=g,
            level=levels[g.depth - 1] if g.depth <= len(levels) else None,
            responsibilities=responsible.get(g.pk, []),
            rights_areas=areas.get(g.pk, []),
        )
        for g in goals
    }
    roots: list[GoalNode] = []
    for g in goals:  # parents come before children: ordered by depth
        node = nodes[g.pk]
        if g.parent_id is None:
            roots.append(node)
        elif g.parent_id in nodes:
            nodes[g.parent_id].children.append(node)

    shown = len(goals)
    if matching is not None:

        def prune(items: list[GoalNode]) -> list[GoalNode]:
            kept = []
            for node in items:
                node.children = prune(node.children)
                node.matches = node.goal.pk in matching
                if node.matches or node.children:
                    kept.append(node)
            return kept

        roots = prune(roots)
        shown = len(matching)
    return PlanTree(plan=plan, levels=levels, roots=roots, goal_count=len(goals), shown_count=shown)


def live_plans(municipality: Municipality):
    """Plans that are in force or being prepared: not replaced."""
    return Plan.objects.filter(municipality=municipality).exclude(status=Plan.Status.REPLACED)


def current_plan(municipality: Municipality) -> Plan | None:
    """The plan a coordinator chose as current (plans.services.plan_make_current);
    None if there is none. Never guessed from the newest plan: a re-imported copy
    must not take over the start page."""
    return Plan.objects.filter(municipality=municipality, is_current=True).first()


def plan_chain(plan: Plan) -> list[Plan]:
    """Every version of the plan (docs/plan-versions.md), oldest first: the plans
    linked to it through previous_version, in either direction. Two queries, however
    long the chain: a municipality has a handful of plans."""
    links = dict(Plan.objects.filter(municipality_id=plan.municipality_id).values_list("pk", "previous_version_id"))
    root = plan.pk
    while links.get(root):
        root = links[root]
    members, frontier = {root}, {root}
    while frontier:
        frontier = {pk for pk, prev in links.items() if prev in frontier and pk not in members}
        members |= frontier
    return list(Plan.objects.filter(pk__in=members).order_by("version", "pk"))


def handing_over(plan: Plan, chain: list[Plan]) -> Plan | None:
    """The version of the chain that hands its activities over when ``plan`` is adopted:
    the chain's adopted version (the newest, should there be several), else the chain's
    current plan, else none."""
    others = [p for p in chain if p.pk != plan.pk]
    adopted = [p for p in others if p.status == Plan.Status.ADOPTED]
    if adopted:
        return max(adopted, key=lambda p: p.version)
    return next((p for p in others if p.is_current), None)


@dataclass(frozen=True)
class OpenRound:
    """A follow-up round with reports not yet approved: its pk, name and how many."""

    pk: int
    name: str
    count: int


def rounds_with_open_reports(plan: Plan) -> list[OpenRound]:
    """The plan's follow-up rounds that have reports not yet approved, with how many,
    oldest round first. One query."""
    from django.db.models import Count

    from followups.models import UnitReport

    rows = (
        UnitReport.objects.filter(round__plan=plan)
        .exclude(status=UnitReport.Status.APPROVED)
        .values("round_id", "round__name")
        .annotate(count=Count("pk"))
        .order_by("round_id")
    )
    return [OpenRound(pk=r["round_id"], name=r["round__name"], count=r["count"]) for r in rows]


def plans_like(municipality: Municipality, *, title: str, valid_from, valid_to) -> Plan | None:
    """A plan of the municipality with the same title (ignoring case and surrounding
    space) and the same validity period, if there is one."""
    return (
        Plan.objects.filter(
            municipality=municipality, title__iexact=title.strip(), valid_from=valid_from, valid_to=valid_to
        )
        .order_by("-is_current", "pk")
        .first()
    )


def goals_for_units(units: list[OrgUnit], municipality: Municipality) -> list[Goal]:
    """The goals in the municipality's live plans that any of the units answers for,
    each with its plan's title and ``responsible``: who answers for it
    (Responsible, co-responsible first, as RESPONSIBILITIES orders them).
    Three queries, from plain values where it can: a large committee answers
    for a hundred goals."""
    if not units:
        return []
    goals = list(
        Goal.objects.filter(_units_filter(units), plan__in=live_plans(municipality))
        .distinct()
        .select_related("plan")
        .only("plan__title", "code", "title", "all_units")
        .order_by("plan__title", "plan_id", "depth", "position", "pk")
    )
    responsible: dict[int, list[Responsible]] = {}
    for goal_id, role, unit_name, group_name in (
        GoalResponsibility.objects.filter(goal__in=[g.pk for g in goals])
        .order_by("role", "pk")
        .values_list("goal_id", "role", "unit__name", "group__name")
    ):
        responsible.setdefault(goal_id, []).append(Responsible(name=unit_name or group_name, role=role))
    for goal in goals:
        goal.responsible = responsible.get(goal.pk, [])
    return goals


def sort_in_tree_order(goals: list[Goal]) -> list[Goal]:
    """Goals ordered by code as a reader expects (1.2 before 1.10)."""

    def key(goal: Goal):
        parts = []
        for part in goal.code.replace("-", ".").split("."):
            # ASCII digits only: "²" is a digit to str.isdigit() that int() cannot read.
            parts.append((0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part))
        return (goal.plan_id, parts)  # goals of one plan together; never a query for the plan

    return sorted(goals, key=key)


def goal_choices(goals) -> list[tuple[int, str]]:
    """(pk, "code title") for a form's goal field, in tree order."""
    return [(g.pk, f"{g.code} {g.title}") for g in sort_in_tree_order(list(goals))]


def goal_descendants(goal: Goal) -> list[Goal]:
    """Every goal under the given one, parents before children, in one query."""
    by_parent: dict[int, list[Goal]] = {}
    for g in goal.plan.goals.filter(depth__gt=goal.depth).order_by("depth", "position", "pk"):
        by_parent.setdefault(g.parent_id, []).append(g)
    out: list[Goal] = []
    stack = [goal.pk]
    while stack:
        for child in by_parent.get(stack.pop(0), []):
            out.append(child)
            stack.append(child.pk)
    return out


def responsible_units(
    plan: Plan, *, on=None, goal_ids: list[int] | None = None
) -> tuple[list[Goal], dict[int, dict[int, str]], list[OrgUnit]]:
    """Who answers for what, expanded to units: groups to their members and
    "samtliga nämnder och bolagsstyrelser" to every such active unit.

    Returns the goals that have anyone responsible (tree order), {goal id: {unit id:
    role}} and the units involved (by name). Four queries, however large the plan;
    ``goal_ids`` limits it to those goals (one goal's page need not expand them all)."""
    plan_goals = plan.goals.all() if goal_ids is None else plan.goals.filter(pk__in=goal_ids)
    goals = sort_in_tree_order(list(plan_goals))  # each goal.plan is this plan, without a join
    # Plain values, not a prefetch: a large plan has about a thousand responsibilities.
    named: dict[int, list[tuple[int | None, int | None, str]]] = {}
    responsibilities = GoalResponsibility.objects.filter(goal__plan=plan)
    if goal_ids is not None:
        responsibilities = responsibilities.filter(goal_id__in=goal_ids)
    for goal_id, unit_id, group_id, role in responsibilities.order_by("pk").values_list(
        "goal_id", "unit_id", "group_id", "role"
    ):
        named.setdefault(goal_id, []).append((unit_id, group_id, role))
    members: dict[int, list[int]] = {}
    for group_id, unit_id in UnitGroup.members.through.objects.filter(
        unitgroup__municipality_id=plan.municipality_id
    ).values_list("unitgroup_id", "orgunit_id"):
        members.setdefault(group_id, []).append(unit_id)
    units = {u.pk: u for u in OrgUnit.objects.filter(municipality_id=plan.municipality_id).active(on)}
    all_ids = [pk for pk, u in units.items() if u.counted_in_all]
    by_goal: dict[int, dict[int, str]] = {}
    for goal in goals:
        roles: dict[int, str] = {}
        if goal.all_units:
            roles.update(dict.fromkeys(all_ids, GoalResponsibility.Role.PRIMARY))
        for named_unit, named_group, role in named.get(goal.pk, []):
            ids = [named_unit] if named_unit else members.get(named_group, [])
            for unit_id in ids:
                if unit_id in units and roles.get(unit_id) != GoalResponsibility.Role.PRIMARY:
                    roles[unit_id] = role
        if roles:
            by_goal[goal.pk] = roles
    goals = [g for g in goals if g.pk in by_goal]
    involved = sorted({uid for roles in by_goal.values() for uid in roles}, key=lambda pk: units[pk].name)
    return goals, by_goal, [units[pk] for pk in involved]


def own_goal_ids(goals, unit_ids) -> set[int]:
    """The ids of the goals (a queryset: a plan's, the live plans') that any of the
    units answers for (directly, through a group or as one of "samtliga nämnder"):
    for the goal pickers, which show them first (lib/pickers.py). Three queries,
    however many goals; none without units."""
    unit_ids = [pk for pk in unit_ids if pk]
    if not unit_ids:
        return set()
    units = list(OrgUnit.objects.filter(pk__in=unit_ids).only("pk", "kind"))
    return set(goals.filter(_units_filter(units)).values_list("pk", flat=True))


@dataclass(frozen=True)
class RelatedGoal:
    goal: Goal
    outgoing: bool  # True: this goal points at it; False: it points at this goal


def related_goals(goal: Goal) -> list[RelatedGoal]:
    """The goal's links to goals of other plans, both ways, in one query each way."""
    Links = Goal.related_goals.through
    out = Goal.objects.filter(
        pk__in=Links.objects.filter(from_goal_id=goal.pk).values("to_goal_id"),
        plan__municipality_id=goal.plan.municipality_id,
    ).select_related("plan")
    back = Goal.objects.filter(
        pk__in=Links.objects.filter(to_goal_id=goal.pk).values("from_goal_id"),
        plan__municipality_id=goal.plan.municipality_id,
    ).select_related("plan")
    key = lambda g: (g.plan.title, g.depth, g.position, g.pk)  # noqa: E731
    return [RelatedGoal(g, True) for g in sorted(out, key=key)] + [RelatedGoal(g, False) for g in sorted(back, key=key)]


def plan_steering(plan: Plan) -> dict:
    """The plan's steering for its page: the units that must have a contact person (with
    whether each has one), the support relations and the referenced documents."""
    units = list(plan.contact_units.order_by("name"))
    with_contact = set(plan.contact_units.filter(contacts__role="contact").values_list("pk", flat=True))
    return {
        "contact_units": [(unit, unit.pk in with_contact) for unit in units],
        "missing_contact": [unit for unit in units if unit.pk not in with_contact],
        "support": list(
            plan.support_relations.select_related("supporter").prefetch_related("supported_units", "supported_groups")
        ),
        "references": list(plan.references.select_related("referenced_plan")),
    }
