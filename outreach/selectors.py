"""Reads for the outreach pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.suppression import Cell, suppress_1d
from organisations.models import Municipality, OrgUnit
from plans.models import Goal
from plans.selectors import sort_in_tree_order

from .models import AREAS, CHANNELS, COUNT_FIELDS, OutreachRecord


@dataclass
class MonthRow:
    month: date
    record: OutreachRecord | None
    may_enter: bool  # not a month still to come


@dataclass
class YearGrid:
    unit: OrgUnit
    year: int
    rows: list[MonthRow]
    totals: dict[str, int]

    @property
    def any(self) -> bool:
        return any(row.record for row in self.rows)

    @property
    def total_cells(self) -> list[int]:
        return [self.totals[name] for name in COUNT_FIELDS]


def year_grid(unit: OrgUnit, year: int, *, today: date) -> YearGrid:
    """A unit's twelve months of a year with their records and the year's totals. One query."""
    records = {r.month.month: r for r in OutreachRecord.objects.filter(unit=unit, month__year=year)}
    rows = [
        MonthRow(month=date(year, m, 1), record=records.get(m), may_enter=date(year, m, 1) <= today)
        for m in range(1, 13)
    ]
    totals = {name: sum(getattr(r, name) for r in records.values()) for name in COUNT_FIELDS}
    return YearGrid(unit=unit, year=year, rows=rows, totals=totals)


def outreach_years(municipality: Municipality, *, today: date) -> list[int]:
    years = {d.year for d in OutreachRecord.objects.filter(municipality=municipality).dates("month", "year")}
    years.add(today.year)
    return sorted(years, reverse=True)


@dataclass
class SummaryRow:
    label: str
    obj: object
    counts: dict[str, int]
    url: str = ""

    @property
    def cells(self) -> list[int]:
        return [self.counts[name] for name in COUNT_FIELDS]


@dataclass
class Summary:
    start: date
    end: date  # the first day of the last month counted
    by_unit: list[SummaryRow]
    by_goal: list[SummaryRow]
    totals: dict[str, int]
    months: int = 0  # unit months recorded

    @property
    def total_row(self) -> SummaryRow:
        return SummaryRow(str(_("All units")), None, self.totals)

    area_rows: list[tuple[str, int]] = field(default_factory=list)
    channel_rows: list[tuple[str, int]] = field(default_factory=list)


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in COUNT_FIELDS}


def _counts(row: dict) -> dict[str, int]:
    return {name: row.get(name) or 0 for name in COUNT_FIELDS}


def outreach_summary(municipality: Municipality, *, start: date, end: date) -> Summary:
    """The municipality's outreach from the month of ``start`` through the month
    of ``end``: per unit, per goal (a month linked to several goals counts under
    each) and in all. Six queries, whatever the number of records."""
    records = OutreachRecord.objects.filter(
        municipality=municipality, month__gte=start.replace(day=1), month__lte=end.replace(day=1)
    )
    sums = _sums()
    totals_row = records.aggregate(**sums)
    months = records.count()
    per_unit = {row["unit"]: row for row in records.values("unit").annotate(**sums).order_by()}
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=per_unit).order_by("name")}
    by_unit = [
        SummaryRow(u.name, u, _counts(per_unit[u.pk]), f"{reverse('outreach:list')}?enhet={u.pk}&ar={end.year}")
        for u in units.values()
    ]
    per_goal = {
        row["goals"]: row for row in records.filter(goals__isnull=False).values("goals").annotate(**sums).order_by()
    }
    goals = sort_in_tree_order(list(Goal.objects.filter(pk__in=per_goal).select_related("plan")))
    by_goal = [
        SummaryRow(f"{g.code} {g.title}", g, _counts(per_goal[g.pk]), reverse("plans:goal", args=[g.pk])) for g in goals
    ]
    totals = _counts(totals_row)
    return Summary(
        start=start.replace(day=1),
        end=end.replace(day=1),
        by_unit=by_unit,
        by_goal=by_goal,
        totals=totals,
        months=months,
        area_rows=[(str(label), totals[f"area_{code}"]) for code, label in AREAS],
        channel_rows=[(str(label), totals[f"channel_{code}"]) for code, label in CHANNELS],
    )


@dataclass
class PublishedOutreach:
    """A period's outreach as it may be published (the council report): the
    contacts by area of need and by channel, and the referrals, each line
    protected like survey counts (lib.suppression.suppress_1d)."""

    contacts: Cell
    referrals: Cell
    areas: list[tuple[str, str, Cell]]  # (code, label, cell)
    channels: list[tuple[str, str, Cell]]

    @property
    def withheld(self) -> bool:
        return self.contacts.suppressed


def outreach_published(summary: Summary, *, k: int) -> PublishedOutreach:
    total = summary.totals["contacts"]
    areas, grand = suppress_1d({code: summary.totals[f"area_{code}"] for code, _l in AREAS}, k=k, total=total)
    channels, _grand = suppress_1d({code: summary.totals[f"channel_{code}"] for code, _l in CHANNELS}, k=k, total=total)
    _cells, referrals = suppress_1d({"referrals": summary.totals["referrals"]}, k=k)
    return PublishedOutreach(
        contacts=grand,
        referrals=referrals,
        areas=[(code, str(label), areas[code]) for code, label in AREAS],
        channels=[(code, str(label), channels[code]) for code, label in CHANNELS],
    )


@dataclass
class GoalOutreach:
    """The outreach linked to one goal in the twelve months through ``end``."""

    start: date
    end: date
    months: int  # unit months linked to the goal
    units: int
    totals: dict[str, int]

    @property
    def area_rows(self) -> list[tuple[str, int]]:
        return [(str(label), self.totals[f"area_{code}"]) for code, label in AREAS]

    @property
    def channel_rows(self) -> list[tuple[str, int]]:
        return [(str(label), self.totals[f"channel_{code}"]) for code, label in CHANNELS]

    @property
    def summary_url(self) -> str:
        return f"{reverse('outreach:summary')}?fran={self.start:%Y-%m}&till={self.end:%Y-%m}"


def goal_outreach(goal: Goal, *, today: date) -> GoalOutreach | None:
    """The months linked to ``goal`` from eleven months before this one through this
    one, summed (exact: for the municipality's staff); None when there are none.
    One query."""
    end = today.replace(day=1)
    months_back = end.year * 12 + end.month - 1 - 11
    start = date(months_back // 12, months_back % 12 + 1, 1)
    row = OutreachRecord.objects.filter(goals=goal, month__gte=start, month__lte=end).aggregate(
        months=Count("pk"), units=Count("unit", distinct=True), **_sums()
    )
    if not row["months"]:
        return None
    return GoalOutreach(start=start, end=end, months=row["months"], units=row["units"], totals=_counts(row))
