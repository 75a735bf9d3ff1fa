"""What the open-data API publishes, each read in a fixed number of queries.

What is public is decided here, once per dataset, by what the municipality
marked:

- plans adopted or replaced (a draft or a plan out for consultation is not
  the municipality's decision yet), and their goals;
- activities marked public, under those plans;
- indicators marked "published as open data"; the goals they refer to only
  when in those plans;
- consultation figures (counts, never people) when the municipality chose to
  publish them;
- survey and needs-inventory results on the same conditions and from the same
  suppressed tables as their public pages;
- remisses the coordinator published, with their bodies and comments exactly
  as their public pages show them (public.selectors.remiss decides; a few
  queries per remiss).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Method, PartnerKind, TargetGroup, format_reference
from consultations.models import Consultation
from consultations.selectors import UnitFigures, figures
from indicators.models import Indicator, Measurement
from indicators.selectors import with_status
from inventories.models import Inventory
from inventories.selectors import inventory_results
from inventories.tables import result_tables
from lib.result_tables import ResultTable
from lib.suppression import Cell
from organisations.models import Municipality, OrgUnit
from plans.models import Goal, GoalResponsibility, Plan, PlanLevel, RightsArea, StatusSummary
from plans.selectors import sort_in_tree_order
from surveys.models import Survey
from surveys.selectors import survey_results, survey_tables

if TYPE_CHECKING:
    from public.selectors.remiss import PublicComment, PublicGroup, RemissPage

# A plan out for consultation (remiss) is a public document too: it is sent out to be read and answered.
PUBLISHED_PLAN_STATUSES = (Plan.Status.CONSULTATION, Plan.Status.ADOPTED, Plan.Status.REPLACED)
AREA_ORDER = {code: n for n, code in enumerate(RightsArea.Code.values)}  # the strategy's order (position)


def published_plans(municipality: Municipality) -> QuerySet[Plan]:
    return Plan.objects.filter(municipality=municipality, status__in=PUBLISHED_PLAN_STATUSES)


# --- Goals and rights areas ------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRef:
    """A rights area a goal maps to; ``inherited`` when only a goal above it carries it."""

    code: str
    inherited: bool = False

    @property
    def label(self) -> str:
        return str(RightsArea.Code(self.code).label)


@dataclass
class GoalInfo:
    id: int
    plan_id: int
    parent_id: int | None
    code: str
    depth: int
    areas: list[AreaRef] = field(default_factory=list)


def _sorted_areas(areas: dict[str, bool]) -> list[AreaRef]:
    return [AreaRef(code, inherited) for code, inherited in sorted(areas.items(), key=lambda a: AREA_ORDER[a[0]])]


class GoalIndex:
    """The goals of a municipality's published plans, each with its rights areas:
    its own and those of the goals above it (a plan may map a whole focus area to
    a rights area). Two queries, however many records use it."""

    def __init__(self, goals: dict[int, GoalInfo]) -> None:
        self.goals = goals

    @classmethod
    def of(cls, municipality: Municipality) -> GoalIndex:
        rows = (
            Goal.objects.filter(plan__in=published_plans(municipality))
            .order_by("depth", "pk")
            .values_list("pk", "plan_id", "parent_id", "code", "depth")
        )
        goals = {pk: GoalInfo(pk, plan_id, parent_id, code, depth) for pk, plan_id, parent_id, code, depth in rows}
        own: dict[int, set[str]] = {}
        for goal_id, area in Goal.rights_areas.through.objects.filter(goal_id__in=list(goals)).values_list(
            "goal_id", "rightsarea_id"
        ):
            own.setdefault(goal_id, set()).add(area)
        effective: dict[int, dict[str, bool]] = {}
        for goal in goals.values():  # parents first: ordered by depth
            areas = {code: True for code in effective.get(goal.parent_id, {})}
            areas.update(dict.fromkeys(own.get(goal.id, ()), False))
            effective[goal.id] = areas
            goal.areas = _sorted_areas(areas)
        return cls(goals)

    def refs(self, goal_ids: Iterable[int]) -> list[GoalInfo]:
        """The published ones of the goals, in tree order (others are left out)."""
        return sort_in_tree_order([self.goals[pk] for pk in set(goal_ids) if pk in self.goals])

    def areas(self, goal_ids: Iterable[int]) -> list[AreaRef]:
        """The rights areas of the goals together; inherited only if no goal carries it itself."""
        areas: dict[str, bool] = {}
        for goal in self.refs(goal_ids):
            for area in goal.areas:
                areas[area.code] = areas.get(area.code, True) and area.inherited
        return _sorted_areas(areas)


RESPONSIBILITIES = Prefetch(
    "responsibilities",
    queryset=GoalResponsibility.objects.select_related("unit", "group").order_by("role", "pk"),
)


def public_goals(municipality: Municipality, *, plan: int | None = None) -> QuerySet[Goal]:
    """The goals of the published plans (of one of them with ``plan``), level by level."""
    qs = Goal.objects.filter(plan__in=published_plans(municipality))
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    return qs.prefetch_related(RESPONSIBILITIES).order_by("plan_id", "depth", "position", "pk")


def level_names(municipality: Municipality) -> dict[tuple[int, int], str]:
    """{(plan id, depth): the plan's name for the level} for the published plans. One query."""
    levels = PlanLevel.objects.filter(plan__in=published_plans(municipality))
    return {(plan_id, depth): name for plan_id, depth, name in levels.values_list("plan_id", "depth", "name")}


# --- Activities and indicators ----------------------------------------------------------------

GOAL_IDS = Prefetch("goals", queryset=Goal.objects.only("pk", "plan_id", "code"))
CO_UNITS = Prefetch("co_units", queryset=OrgUnit.objects.order_by("name"))


def _public_activities(municipality: Municipality) -> QuerySet[Activity]:
    return Activity.objects.filter(
        municipality=municipality,
        plan__municipality=municipality,
        plan__status__in=PUBLISHED_PLAN_STATUSES,
        visibility=Activity.Visibility.PUBLIC,
    ).order_by("number", "pk")


def public_activities(municipality: Municipality) -> QuerySet[Activity]:
    """Activities marked public, under the published plans, by number. Internal
    ones never leave the municipality."""
    return (
        _public_activities(municipality)
        .select_related("municipality", "owner", "status")
        .prefetch_related(GOAL_IDS, CO_UNITS)
    )


ACTIVITY_VALUES = (
    "pk", "number", "plan_id", "title", "description", "owner__name", "status__name", "status__summary",
    "start_date", "end_date", "ongoing", "target_groups", "methods", "partner_kinds",
)  # fmt: skip


def _labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices.choices}


def _choices(values: list[str], labels: dict[str, str]) -> list[dict]:
    return [{"code": v, "label": labels[v]} for v in values if v in labels]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def activity_record_chunks(municipality: Municipality, goals: GoalIndex, *, size: int) -> Iterator[list[dict]]:
    """The public activities as the records serializers.ActivitySerializer makes
    (the same dicts: a test holds them equal), ``size`` at a time, read as
    values rather than model instances: the CSV of every activity, fast and in
    constant memory. Three queries a chunk (the rows, their co-operating units,
    their goals)."""
    rows = _public_activities(municipality).values(*ACTIVITY_VALUES).iterator(chunk_size=size)
    prefix = municipality.prefix
    # Labels once, in the active language, not once a record.
    groups, methods, kinds = _labels(TargetGroup), _labels(Method), _labels(PartnerKind)
    summaries, areas = _labels(StatusSummary), _labels(RightsArea.Code)
    while chunk := list(islice(rows, size)):
        pks = [row["pk"] for row in chunk]
        co_units: dict[int, list[str]] = {}
        for activity_id, name in (
            Activity.co_units.through.objects.filter(activity_id__in=pks)
            .order_by("orgunit__name")
            .values_list("activity_id", "orgunit__name")
        ):
            co_units.setdefault(activity_id, []).append(name)
        goal_ids: dict[int, list[int]] = {}
        for activity_id, goal_id in Activity.goals.through.objects.filter(activity_id__in=pks).values_list(
            "activity_id", "goal_id"
        ):
            goal_ids.setdefault(activity_id, []).append(goal_id)
        yield [
            {
                "kommunkod": municipality.code,
                "id": row["pk"],
                "reference": format_reference(prefix, row["number"]),
                "plan_id": row["plan_id"],
                "title": row["title"],
                "description": row["description"],
                "owner_unit": row["owner__name"],
                "co_units": co_units.get(row["pk"], []),
                "goals": [
                    {"id": g.id, "code": g.code, "plan_id": g.plan_id} for g in goals.refs(goal_ids.get(row["pk"], ()))
                ],
                "rights_areas": [
                    {"code": a.code, "label": areas[a.code], "inherited": a.inherited}
                    for a in goals.areas(goal_ids.get(row["pk"], ()))
                ],
                "status": row["status__name"],
                "status_summary": row["status__summary"],
                "status_summary_label": summaries[row["status__summary"]],
                "start_date": _iso(row["start_date"]),
                "end_date": _iso(row["end_date"]),
                "ongoing": row["ongoing"],
                "target_groups": _choices(row["target_groups"], groups),
                "methods": _choices(row["methods"], methods),
                "partner_kinds": _choices(row["partner_kinds"], kinds),
            }
            for row in chunk
        ]


def public_indicators(municipality: Municipality) -> QuerySet[Indicator]:
    """Indicators published as open data, by name (the list to paginate)."""
    return Indicator.objects.filter(municipality=municipality, public=True).order_by("name", "pk")


MEASUREMENTS = Prefetch("measurements", queryset=Measurement.objects.order_by("period_end", "pk"))


def indicators_with_values(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The given indicators (a page of public_indicators) with baseline, targets,
    measurements, goals and, from indicators.selectors.with_status, ``latest``
    and ``assessment``. Five queries."""
    pks = [indicator.pk for indicator in indicators]
    if not pks:
        return []
    qs = Indicator.objects.filter(pk__in=pks).prefetch_related(GOAL_IDS, MEASUREMENTS).order_by("name", "pk")
    return with_status(qs)


# --- Consultation figures ---------------------------------------------------------------------


@dataclass
class FiguresRow:
    year: int
    figures: UnitFigures
    feedback_days: int


def consultation_figures(municipality: Municipality) -> list[FiguresRow]:
    """consultations.selectors.figures for each year in which consultations were
    held, newest year first, units by name; nothing unless the municipality
    publishes its consultation figures. One query, and three a year."""
    if not municipality.open_consultation_figures:
        return []
    held = Consultation.objects.filter(municipality=municipality, starts_at__lte=timezone.now())
    years = [moment.year for moment in held.datetimes("starts_at", "year", order="DESC")]
    return [
        FiguresRow(year=year, figures=row, feedback_days=municipality.feedback_days)
        for year in years
        for row in figures(municipality, year)
    ]


# --- Survey and needs-inventory results -------------------------------------------------------

SURVEY, INVENTORY = "survey", "inventory"


def published_surveys(municipality: Municipality) -> list[Survey]:
    """The surveys whose results page is public (Survey.results_are_public)."""
    qs = (
        Survey.objects.filter(municipality=municipality, results_published=True, inventory__isnull=True)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("municipality")
    )
    return [survey for survey in qs if survey.results_are_public()]


def published_inventories(municipality: Municipality) -> list[Inventory]:
    """The needs inventories whose results page is public (Inventory.results_are_public)."""
    qs = (
        Inventory.objects.filter(municipality=municipality, published=True)
        .select_related("municipality", "plan")
        .prefetch_related("surveys")
    )
    return [inventory for inventory in qs if inventory.results_are_public()]


@dataclass
class PublishedResults:
    """A survey's or a needs inventory's published result: the tables its public page shows."""

    kind: str  # SURVEY or INVENTORY
    source: Survey | Inventory
    title: str
    period_start: date | None
    period_end: date | None
    page_path: str
    k: int | None = None
    respondents: Cell | None = None
    tables: list[ResultTable] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.source.pk


def published_results(municipality: Municipality) -> list[PublishedResults]:
    """What has been published, newest end date first, without the tables (see
    with_tables). Three queries."""
    items = [
        PublishedResults(
            kind=SURVEY,
            source=survey,
            title=survey.text("sv", "title"),
            period_start=survey.opens_on,
            period_end=survey.closes_on,
            page_path=reverse("survey_public:results", args=[survey.token]),
        )
        for survey in published_surveys(municipality)
    ]
    for inventory in published_inventories(municipality):
        ends = [s.closes_on for s in inventory.surveys.all()]
        items.append(
            PublishedResults(
                kind=INVENTORY,
                source=inventory,
                title=inventory.name,
                period_start=inventory.starts_on,
                period_end=inventory.ends_on or (max(ends) if ends else None),
                page_path=reverse("inventory_public:results", args=[inventory.pk]),
            )
        )
    items.sort(key=lambda item: (item.period_end or date.min, item.kind == SURVEY, item.id), reverse=True)
    return items


def with_tables(items: Iterable[PublishedResults]) -> list[PublishedResults]:
    """The items (a page of published_results) with their suppressed tables: the
    same tables as their public pages and CSV downloads. A few queries each."""
    out = []
    for item in items:
        if item.kind == SURVEY:
            results = survey_results(item.source)
            item.k, item.respondents, item.tables = results.k, results.total, survey_tables(results)
        else:
            results = inventory_results(item.source, public=True)
            item.k, item.respondents, item.tables = results.k, results.respondents, result_tables(results)
        out.append(item)
    return out


# --- Remisser ----------------------------------------------------------------------------------


@dataclass
class RemissComment:
    """A comment of a published remiss as its public page shows it (serializers.RemissCommentSerializer)."""

    page: RemissPage
    group: PublicGroup  # the goal or section it is under
    comment: PublicComment


def remiss_comments(pages: Iterable[RemissPage]) -> list[RemissComment]:
    """Every published comment of the remisses' pages, in each page's order (the plan's)."""
    return [
        RemissComment(page, group, comment) for page in pages for group in page.groups for comment in group.comments
    ]
