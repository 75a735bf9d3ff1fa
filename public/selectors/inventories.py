"""Needs inventories on the public site: those whose results are public
(Inventory.results_are_public: published and finalised), their results exactly
as the staff view and the downloads show them (the frozen release, through
inventories.selectors.inventory_results and inventories.tables, with small
counts hidden), the publishable quotes, and the ways forward with what became
of them. A way forward's activity is named only when the activity itself is
public (public.selectors.plan.public_activities: visibility public, under a
published plan), so its link always leads to its public page.

Themes, quotes, ways forward, goal wording and age-group labels are the
municipality's Swedish texts, never translated: each is a ``Shown`` in Swedish,
so a page in another language marks it ``lang="sv"`` and says so once per
section (public.frame.note_if_fell_back)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html

from activities.models import Activity
from inventories.models import Inventory, Recommendation, Theme
from inventories.selectors import InventoryResults, inventory_results
from inventories.tables import result_charts, result_tables
from lib.barchart import BarChart
from lib.languages import SWEDISH
from lib.result_tables import ResultTable
from public.selectors.plan import activity_title, public_activities
from public.site import PublicContext
from public.texts import Shown


def public_inventories(municipality) -> QuerySet[Inventory]:
    """The municipality's inventories whose results are public, newest results first.
    The same rule as Inventory.results_are_public, as a query."""
    return Inventory.objects.filter(
        municipality=municipality, published=True, finalised_on__isnull=False, release__isnull=False
    ).order_by("-finalised_on", "-starts_on", "-pk")


def public_inventory(municipality, pk) -> Inventory:
    """One of public_inventories, or 404 (also for another municipality's)."""
    inventory = public_inventories(municipality).select_related("municipality", "plan").filter(pk=pk).first()
    if inventory is None or not inventory.results_are_public():
        raise Http404
    return inventory


def latest_public_inventory(municipality) -> Inventory | None:
    return public_inventories(municipality).first()


def inventory_pages(public: PublicContext) -> list[tuple[str, int]]:
    """The walk's inventory pages (public.walk.OBJECT_PAGES)."""
    return [("inventory", pk) for pk in public_inventories(public.municipality).values_list("pk", flat=True)]


def inventory_files(public: PublicContext) -> list[str]:
    """The CSV downloads the inventory pages link to (public.walk.EXTRA_URLS):
    text, so the leak test reads them; the XLSX holds the same cells."""
    return [
        reverse("inventory_public:results_csv", args=[pk])
        for pk in public_inventories(public.municipality).values_list("pk", flat=True)
    ]


def swedish(text: str, language: str) -> Shown | None:
    """A text the municipality wrote in Swedish only, as read in ``language``."""
    text = (text or "").strip()
    return Shown(text, SWEDISH, in_swedish=language != SWEDISH) if text else None


@dataclass(frozen=True)
class WayForward:
    title: Shown
    text: Shown | None
    themes: list[Shown]
    activity: Activity | None = None  # only a public activity
    activity_title: Shown | None = None
    activity_status: Shown | None = None

    @property
    def texts(self) -> list[Shown | None]:
        return [self.title, self.text, *self.themes, self.activity_title, self.activity_status]


@dataclass(frozen=True)
class GapGoal:
    goal_id: int
    wording: Shown  # code and title, as adopted
    activities: int  # public activities serving the goal


@dataclass(frozen=True)
class GapRow:
    theme: Shown
    gap: bool
    goals: list[GapGoal]


@dataclass(frozen=True)
class QuoteGroup:
    theme: Shown
    quotes: list[Shown]


@dataclass(frozen=True)
class BarRow:
    """A bar of a chart drawn in HTML: the label and value are page text (so
    their language is marked and their contrast can be checked), the bar an SVG
    without text, ``percent`` of the row's width (at most BAR_MAX)."""

    label: Shown
    percent: str  # "52.3", never localised: an SVG attribute
    value: str
    suppressed: bool


BAR_MAX = 80  # per cent of the row: room for the value after the longest bar


def _bars(chart: BarChart, labels: list[Shown]) -> list[BarRow]:
    """The chart's bars (lib.barchart: the same scale and hidden counts) with ``labels`` in full."""
    return [
        BarRow(label, f"{BAR_MAX * bar.width / chart.plot_width:.1f}", bar.value_text, bar.suppressed)
        for label, bar in zip(labels, chart.bars, strict=True)
    ]


@dataclass
class InventoryPage:
    inventory: Inventory
    name: Shown
    purpose: Shown | None
    results: InventoryResults
    tables: list[ResultTable]  # the staff view's tables, Swedish labels marked lang="sv"
    theme_chart: BarChart  # the title; the bars are theme_bars
    age_chart: BarChart
    theme_bars: list[BarRow]
    age_bars: list[BarRow]
    theme_names: list[Shown]
    age_labels: list[Shown]
    gaps: list[GapRow]
    quotes: list[QuoteGroup]
    ways: list[WayForward] = field(default_factory=list)


def _marked(tables: list[ResultTable], swedish_labels: set[str]) -> list[ResultTable]:
    """The tables with the municipality's Swedish labels (themes, age groups)
    wrapped in ``<span lang="sv">``; the cells are the same objects."""

    def mark(label):
        return format_html('<span lang="sv">{}</span>', label) if label in swedish_labels else label

    return [
        ResultTable(
            title=t.title,
            header=[mark(h) for h in t.header],
            rows=[[mark(row[0]), *row[1:]] for row in t.rows],
        )
        for t in tables
    ]


def _ways_forward(inventory: Inventory, public: PublicContext) -> list[WayForward]:
    language = public.language
    recommendations = (
        Recommendation.objects.filter(inventory=inventory)
        .select_related("activity__status")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "pk")),
            "activity__translations",
        )
        .order_by("position", "pk")
    )
    # Named only when public: the same rule as the activity's own public page.
    public_ids = set(
        public_activities(public.municipality).filter(recommendations__inventory=inventory).values_list("pk", flat=True)
    )
    ways = []
    for rec in recommendations:
        way = {
            "title": swedish(rec.title, language),
            "text": swedish(rec.text, language),
            "themes": [swedish(t.name, language) for t in rec.themes.all()],
        }
        activity = rec.activity
        if activity is not None and activity.pk in public_ids:
            way |= {
                "activity": activity,
                "activity_title": activity_title(activity, language),
                "activity_status": swedish(activity.status.name, language),
            }
        ways.append(WayForward(**way))
    return ways


def inventory_page(public: PublicContext, pk) -> InventoryPage:
    """The public page of an inventory of ``public.municipality``; 404 unless
    its results are public. A fixed number of queries."""
    inventory = public_inventory(public.municipality, pk)
    language = public.language
    results = inventory_results(inventory, public=True)
    theme_chart, age_chart = result_charts(results)
    theme_names = [swedish(row.theme.name, language) for row in results.themes]
    age_written = [label for key, label in results.age_groups[:-1]]  # the last is "age not stated", ours
    gaps = [
        GapRow(
            theme=swedish(row.theme.name, language),
            gap=row.gap,
            goals=[
                GapGoal(g.goal.pk, swedish(f"{g.goal.code} {g.goal.title}", language), g.activities) for g in row.goals
            ],
        )
        for row in results.themes
    ]
    quotes = [
        QuoteGroup(swedish(row.theme.name, language), [swedish(q.text, language) for q in row.quotes])
        for row in results.themes
        if row.quotes
    ]
    return InventoryPage(
        inventory=inventory,
        name=swedish(inventory.name, language),
        purpose=swedish(inventory.purpose, language),
        results=results,
        tables=_marked(result_tables(results), {row.theme.name for row in results.themes} | set(age_written)),
        theme_chart=theme_chart,
        age_chart=age_chart,
        theme_bars=_bars(theme_chart, theme_names),
        age_bars=_bars(
            age_chart,
            [
                *[swedish(label, language) for label in age_written],
                Shown(str(results.age_groups[-1][1]), public.ui_language),
            ],
        ),
        theme_names=theme_names,
        age_labels=[swedish(label, language) for label in age_written],
        gaps=gaps,
        quotes=quotes,
        ways=_ways_forward(inventory, public),
    )
