"""The plan pages: a plan's focus areas and goals, a goal, a public activity
and a public indicator. What is public is decided as in the open-data API
(opendata.selectors): plans on remiss, adopted or replaced; activities marked
public under them; indicators published as open data. Everything is read for
the municipality in the address, so another municipality's id is 404. Each
function takes a fixed number of queries, however many goals or activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import Http404

from activities.models import Activity, ProgressNote
from events.models import Event
from indicators.models import Indicator, Target
from indicators.selectors import TableRow, chart_and_table
from plans.models import Goal, GoalResponsibility, Plan, PlanLevel
from plans.selectors import sort_in_tree_order
from public.selectors.start import published_plans
from public.site import PublicContext
from public.texts import Shown, shown

RESPONSIBILITIES = Prefetch(
    "responsibilities",
    queryset=GoalResponsibility.objects.select_related("unit", "group").order_by("role", "pk"),
)
PUBLIC_NOTES = Prefetch(
    "notes",
    queryset=ProgressNote.objects.filter(public=True)
    .only("pk", "activity_id", "date", "text")
    .order_by("-date", "-pk"),
    to_attr="public_notes",
)


def in_swedish(public: PublicContext, *texts: str) -> list[Shown]:
    """Texts the municipality writes only in Swedish (goal wording, progress
    notes, indicator names) as shown texts, so that a section holding them gets
    the fallback line on a page in another language (docs/public-site.md §1.4)."""
    return [Shown(text, "sv", in_swedish=public.language != "sv") for text in texts if text]


def public_activities(municipality):
    """Activities marked public under the municipality's published plans (as in the API)."""
    return Activity.objects.filter(
        municipality=municipality,
        plan__in=published_plans(municipality),
        visibility=Activity.Visibility.PUBLIC,
    )


def public_events(municipality):
    return Event.objects.filter(municipality=municipality, is_public=True)


# --- The plan -----------------------------------------------------------------------------------


@dataclass
class GoalItem:
    goal: Goal
    level: str
    summary: Shown | None
    activity_count: int
    children: list[GoalItem] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: Plan
    summary: Shown | None
    roots: list[GoalItem]
    successor: Plan | None
    remisses: list = field(default_factory=list)  # its published remisses (public/selectors/remiss.py)

    @property
    def texts(self) -> list[Shown | None]:
        out: list[Shown | None] = [self.summary]
        stack = list(self.roots)
        while stack:
            item = stack.pop()
            out.append(item.summary)
            stack.extend(item.children)
        return out


def published_plan(public: PublicContext, pk: int) -> Plan:
    plan = published_plans(public.municipality).prefetch_related("translations").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def plan_page(public: PublicContext, plan: Plan) -> PlanPage:
    """The plan's goals as a tree with their summaries, responsible units and the
    number of public activities each serves, and its published remisses. Six
    queries (seven for a replaced plan)."""
    from public.selectors.remiss import plan_remisses

    goals = list(
        Goal.objects.filter(plan=plan)
        .prefetch_related("translations", RESPONSIBILITIES)
        .order_by("depth", "position", "pk")
    )
    levels = dict(PlanLevel.objects.filter(plan=plan).values_list("depth", "name"))
    counts = dict(
        Activity.goals.through.objects.filter(goal__plan=plan, activity__in=public_activities(public.municipality))
        .values("goal_id")
        .annotate(n=Count("activity_id", distinct=True))
        .values_list("goal_id", "n")
    )
    items = {
        goal.pk: GoalItem(
            goal=goal,
            level=levels.get(goal.depth, ""),
            summary=shown(goal, "plain_summary", public.language),
            activity_count=counts.get(goal.pk, 0),
        )
        for goal in goals
    }
    roots = []
    for goal in sort_in_tree_order(goals):
        item = items[goal.pk]
        parent = items.get(goal.parent_id)
        (parent.children if parent else roots).append(item)
    successor = None
    if plan.status == Plan.Status.REPLACED and plan.replaced_by_id:
        successor = published_plans(public.municipality).filter(pk=plan.replaced_by_id).first()
    return PlanPage(
        plan=plan,
        summary=shown(plan, "plain_summary", public.language),
        roots=roots,
        successor=successor,
        remisses=plan_remisses(plan),
    )


# --- A goal ------------------------------------------------------------------------------------


@dataclass
class ActivityItem:
    activity: Activity
    title: Shown | None
    latest_note: ProgressNote | None


@dataclass
class GoalPage:
    goal: Goal
    level: str
    summary: Shown | None
    activities: list[ActivityItem]
    indicators: list[Indicator]
    events: list[tuple[Event, Shown | None]]
    # The goals directly under it, each counting the public activities that serve
    # it or any goal under it.
    children: list[GoalItem] = field(default_factory=list)

    @property
    def texts(self) -> list[Shown | None]:
        return [self.summary]

    @property
    def child_texts(self) -> list[Shown | None]:
        return [item.summary for item in self.children]

    @property
    def activity_texts(self) -> list[Shown | None]:
        return [item.title for item in self.activities]

    @property
    def event_texts(self) -> list[Shown | None]:
        return [title for _event, title in self.events]


def activity_title(activity: Activity, language: str) -> Shown:
    """The public title in ``language`` (or Swedish), else the activity's own
    Swedish title: an activity on a public page always has a name."""
    return shown(activity, "public_title", language) or Shown(activity.title, "sv", in_swedish=language != "sv")


def event_title(event: Event, language: str) -> Shown:
    return shown(event, "public_title", language) or Shown(event.title, "sv", in_swedish=language != "sv")


def goal_page(public: PublicContext, pk: int) -> GoalPage:
    """A goal of a published plan with its public activities (each with its
    latest public progress note), public indicators and public events. Ten queries."""
    goal = (
        Goal.objects.filter(pk=pk, plan__in=published_plans(public.municipality))
        .select_related("plan")
        .prefetch_related("translations", RESPONSIBILITIES)
        .first()
    )
    if goal is None:
        raise Http404
    level = PlanLevel.objects.filter(plan_id=goal.plan_id, depth=goal.depth).values_list("name", flat=True).first()
    activities = (
        public_activities(public.municipality)
        .filter(goals=goal)
        .select_related("status", "owner")
        .prefetch_related("translations", PUBLIC_NOTES)
        .order_by("number", "pk")
    )
    indicators = list(
        Indicator.objects.filter(municipality=public.municipality, public=True, goals=goal).order_by("name", "pk")
    )
    events = (
        public_events(public.municipality).filter(goals=goal).prefetch_related("translations").order_by("-starts_at")
    )
    return GoalPage(
        children=_children(public, goal),
        goal=goal,
        level=level or "",
        summary=shown(goal, "plain_summary", public.language),
        activities=[
            ActivityItem(a, activity_title(a, public.language), a.public_notes[0] if a.public_notes else None)
            for a in activities
        ],
        indicators=indicators,
        events=[(event, event_title(event, public.language)) for event in events],
    )


def _children(public: PublicContext, goal: Goal) -> list[GoalItem]:
    """The goals directly under ``goal``, each with the number of public
    activities serving it or a goal under it. Four queries."""
    children = list(
        Goal.objects.filter(parent=goal).prefetch_related("translations", RESPONSIBILITIES).order_by("position", "pk")
    )
    if not children:
        return []
    parents = dict(Goal.objects.filter(plan_id=goal.plan_id).values_list("pk", "parent_id"))
    levels = dict(PlanLevel.objects.filter(plan_id=goal.plan_id).values_list("depth", "name"))
    serving: dict[int, set[int]] = {child.pk: set() for child in children}
    links = Activity.goals.through.objects.filter(
        goal__plan_id=goal.plan_id, activity__in=public_activities(public.municipality)
    ).values_list("goal_id", "activity_id")
    for goal_id, activity_id in links:
        node = goal_id
        while node is not None and node not in serving:  # up the tree to a child of ``goal``
            node = parents.get(node)
        if node is not None:
            serving[node].add(activity_id)
    return [
        GoalItem(
            goal=child,
            level=levels.get(child.depth, ""),
            summary=shown(child, "plain_summary", public.language),
            activity_count=len(serving[child.pk]),
        )
        for child in children
    ]


# --- An activity -------------------------------------------------------------------------------


@dataclass
class ActivityPage:
    activity: Activity
    title: Shown
    text: Shown | None
    goals: list[Goal]
    notes: list[ProgressNote]
    events: list[tuple[Event, Shown | None]]

    @property
    def texts(self) -> list[Shown | None]:
        return [self.title, self.text]

    @property
    def event_texts(self) -> list[Shown | None]:
        return [title for _event, title in self.events]


def activity_page(public: PublicContext, pk: int) -> ActivityPage:
    """A public activity of a published plan. Six queries."""
    activity = (
        public_activities(public.municipality)
        .filter(pk=pk)
        .select_related("status", "owner", "plan")
        .prefetch_related("translations", PUBLIC_NOTES)
        .first()
    )
    if activity is None:
        raise Http404
    goals = sort_in_tree_order(list(activity.goals.filter(plan__in=published_plans(public.municipality))))
    events = public_events(public.municipality).filter(activities=activity).prefetch_related("translations")
    return ActivityPage(
        activity=activity,
        title=activity_title(activity, public.language),
        text=shown(activity, "public_text", public.language),
        goals=goals,
        notes=activity.public_notes,
        events=[(event, event_title(event, public.language)) for event in events.order_by("-starts_at")],
    )


# --- An indicator ------------------------------------------------------------------------------


@dataclass
class IndicatorPage:
    indicator: Indicator
    baseline: object
    targets: list[Target]
    measurements: list
    latest: object
    chart: object
    table: list[TableRow]
    goals: list[Goal]


def indicator_page(public: PublicContext, pk: int) -> IndicatorPage:
    """An indicator published as open data: baseline, targets, measurements (never
    notes or who entered them), the chart and its table. Four queries."""
    indicator = (
        Indicator.objects.filter(pk=pk, municipality=public.municipality, public=True)
        .select_related("baseline", "responsible_unit")
        .first()
    )
    if indicator is None:
        raise Http404
    baseline = indicator.baseline_or_none
    targets = list(indicator.targets.order_by("date"))
    measurements = list(indicator.measurements.defer("note", "entered_by").order_by("period_end"))
    latest = measurements[-1] if measurements else None
    chart, table = chart_and_table(indicator, baseline, targets, measurements) if indicator.is_number else (None, [])
    goals = sort_in_tree_order(
        list(indicator.goals.filter(plan__in=published_plans(public.municipality)).select_related("plan"))
    )
    return IndicatorPage(
        indicator=indicator,
        baseline=baseline,
        targets=targets,
        measurements=measurements,
        latest=latest,
        chart=chart,
        table=table,
        goals=goals,
    )


# --- The start page's latest results ----------------------------------------------------------


@dataclass
class LatestResult:
    date: date
    text: str
    activity: Activity
    title: Shown


def latest_results(public: PublicContext, *, limit: int = 3) -> list[LatestResult]:
    """The newest public progress notes of public activities, one per activity
    (its latest). Three queries."""
    latest_of_its_activity = (
        ProgressNote.objects.filter(activity=OuterRef("activity"), public=True)
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    notes = list(
        ProgressNote.objects.filter(
            public=True, activity__in=public_activities(public.municipality), pk=Subquery(latest_of_its_activity)
        )
        .only("pk", "date", "text", "activity_id")
        .order_by("-date", "-pk")[:limit]
    )
    activities = {
        a.pk: a for a in Activity.objects.filter(pk__in={n.activity_id for n in notes}).prefetch_related("translations")
    }
    return [
        LatestResult(
            n.date, n.text, activities[n.activity_id], activity_title(activities[n.activity_id], public.language)
        )
        for n in notes
    ]


# --- The URL walk ------------------------------------------------------------------------------


def plan_pages(public: PublicContext) -> list[tuple[str, int]]:
    """Every published plan, goal of a published plan, public activity and public indicator."""
    municipality = public.municipality
    plans = published_plans(municipality)
    return [
        *(("plan_detail", pk) for pk in plans.order_by("pk").values_list("pk", flat=True)),
        *(("goal", pk) for pk in Goal.objects.filter(plan__in=plans).order_by("pk").values_list("pk", flat=True)),
        *(("activity", pk) for pk in public_activities(municipality).order_by("pk").values_list("pk", flat=True)),
        *(
            ("indicator", pk)
            for pk in Indicator.objects.filter(municipality=municipality, public=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    ]
