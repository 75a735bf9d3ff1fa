"""The start page's overviews: for the coordinator, the state of the whole
plan; for a unit contact, what is waiting for them. Fixed query counts."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from activities.models import Activity, ProgressNote
from activities.selectors import plan_counts, plan_funding_risks
from consultations.models import Consultation
from consultations.selectors import figures, overdue_views, percent
from followups.models import Round, UnitReport
from followups.selectors import (
    GoalAssessments,
    PlanTrends,
    RoundProgress,
    plan_trends,
    round_assessments,
    round_progress,
)
from indicators.models import Track
from indicators.selectors import indicators_for_units, track_summary
from organisations.models import Municipality, OrgUnit
from plans.models import Plan, StatusSummary

STALE_AFTER = timedelta(days=180)
RISK_LIST_LENGTH = 15
STALE_LIST_LENGTH = 15  # a large committee has hundreds of activities


@dataclass
class CoordinatorDashboard:
    plan: Plan | None
    round: Round | None = None
    progress: RoundProgress | None = None
    reports: list[UnitReport] = field(default_factory=list)
    assessments: list[GoalAssessments] = field(default_factory=list)
    activity_counts: list[tuple[str, str, int]] = field(default_factory=list)
    activity_total: int = 0
    funding_risks: list[Activity] = field(default_factory=list)
    funding_risk_count: int = 0
    tracks: list[tuple[str, str, int]] = field(default_factory=list)
    consultations: ConsultationTotals | None = None
    trends: PlanTrends | None = None  # the current plan's latest rounds


@dataclass
class ConsultationTotals:
    year: int
    held: int
    views: int
    in_time: int
    due: int
    overdue: int
    median_days: float | None

    @property
    def share_in_time(self) -> int | None:
        return percent(self.in_time, self.due)


def consultation_totals(municipality: Municipality) -> ConsultationTotals:
    """This year's consultation figures, summed over the units (see consultations.selectors.figures)."""
    year = timezone.localdate().year
    rows = figures(municipality, year)
    days = [d for r in rows for d in r.days_to_feedback]
    return ConsultationTotals(
        year=year,
        held=Consultation.objects.filter(
            municipality=municipality, starts_at__year=year, starts_at__lte=timezone.now()
        ).count(),
        views=sum(r.views for r in rows),
        in_time=sum(r.answered_in_time for r in rows),
        due=sum(r.answered_in_time + r.answered_late + r.overdue for r in rows),
        overdue=len(overdue_views(municipality)),
        median_days=statistics.median(days) if days else None,
    )


def current_round(municipality: Municipality) -> Round | None:
    """The round that most needs attention: the latest one still waiting for
    reports, else the latest one."""
    rounds = Round.objects.filter(municipality=municipality).select_related("plan").order_by("-period_end", "-pk")
    # EXISTS, not a join: the newest rounds are looked at first, and each by its own reports only.
    open_reports = UnitReport.objects.filter(round=OuterRef("pk"), status__in=UnitReport.OPEN_STATUSES)
    waiting = rounds.filter(Exists(open_reports)).first()
    return waiting or rounds.first()


def coordinator_dashboard(municipality: Municipality, plan: Plan | None) -> CoordinatorDashboard:
    board = CoordinatorDashboard(plan=plan)
    rnd = current_round(municipality)
    if rnd is not None:
        board.round = rnd
        board.progress = round_progress([rnd])[rnd.pk]
        # Only what the table shows (not an approved report's large snapshot);
        # each report's round is rnd (the related manager sets it).
        board.reports = list(
            rnd.reports.select_related("unit").only("round", "status", "unit__name").order_by("status", "unit__name")
        )
        board.assessments = round_assessments(rnd)
    if plan is not None:
        board.activity_counts = plan_counts(plan)
        board.activity_total = sum(n for _code, _label, n in board.activity_counts)
        board.funding_risk_count, board.funding_risks = plan_funding_risks(plan, limit=RISK_LIST_LENGTH)
        board.trends = plan_trends(plan)
    counts = track_summary(municipality)
    board.tracks = [(code, str(label), counts.get(code, 0)) for code, label in Track.choices]
    board.consultations = consultation_totals(municipality)
    return board


@dataclass
class ContactDashboard:
    open_reports: list[UnitReport]
    stale_activities: list[Activity]
    indicators: list
    overdue_views: list = field(default_factory=list)
    stale_count: int = 0


def contact_dashboard(units: list[OrgUnit]) -> ContactDashboard:
    cutoff = timezone.now() - STALE_AFTER
    open_reports = list(
        UnitReport.objects.filter(unit__in=units).open().select_related("round", "unit").order_by("round__deadline")
    )
    # No progress note since the cutoff: NOT EXISTS, not MAX(date) over a join
    # with every note (a large committee's activities have thousands).
    recent_note = ProgressNote.objects.filter(activity=OuterRef("pk"), date__gte=timezone.localdate() - STALE_AFTER)
    stale = (
        Activity.objects.filter(owner__in=units)
        .exclude(status__summary__in=StatusSummary.closed())
        .filter(updated_at__lt=cutoff)
        .filter(~Exists(recent_note))
    )
    stale_count = stale.count()
    stale_list = list(
        stale.select_related("municipality")
        .only("number", "title", "municipality__reference_prefix", "municipality__code")
        .order_by("number")[:STALE_LIST_LENGTH]
    )
    municipality = units[0].municipality if units else None
    overdue = overdue_views(municipality, units=[u.pk for u in units]) if municipality else []
    return ContactDashboard(
        open_reports=open_reports,
        stale_activities=stale_list,
        stale_count=stale_count,
        indicators=indicators_for_units(units),
        overdue_views=overdue,
    )
