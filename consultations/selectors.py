"""Reads for consultations, each in a fixed number of queries."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ProgressNote
from lib.suppression import Cell, suppress_2d
from organisations.models import Membership, Municipality, OrgUnit
from plans.models import Goal

from .access import visible_minutes_q
from .models import AgendaItem, Consultation, Feedback, MinutesVersion, View, feedback_overdue

FEEDBACK = Prefetch(
    "views",
    queryset=View.objects.select_related("feedback__unit", "representative__user", "reminder").order_by("pk"),
)


def consultations_for(membership: Membership) -> QuerySet[Consultation]:
    """The consultations a person may see: staff all of the municipality's, a
    representative those they are invited to."""
    qs = Consultation.objects.filter(municipality_id=membership.municipality_id)
    if membership.is_representative:
        qs = qs.filter(representatives=membership)
    return qs


def consultation_list(membership: Membership, *, unit: OrgUnit | None = None, year: int | None = None):
    qs = consultations_for(membership)
    if unit is not None:
        qs = qs.filter(organisers=unit)
    if year:
        qs = qs.filter(starts_at__year=year)
    return (
        qs.select_related("council")
        .prefetch_related(Prefetch("organisers", queryset=OrgUnit.objects.order_by("short_name")))
        .annotate(
            item_count=Count("items", distinct=True),
            view_count=Count("items__views", distinct=True),
            answered_count=Count("items__views__feedback", distinct=True),
        )
        .order_by("-starts_at")
    )


@dataclass
class ConsultationPage:
    consultation: Consultation
    items: list[AgendaItem]  # each view has ``overdue`` set
    minutes: list[MinutesVersion]


def _is_overdue(view: View, days: int, today: date) -> bool:
    status = view.feedback.status if hasattr(view, "feedback") else None
    return feedback_overdue(view.item.decision_date, status, days=days, today=today)


def consultation_page(consultation: Consultation, membership: Membership) -> ConsultationPage:
    items = list(
        consultation.items.select_related("responsible_unit")
        .prefetch_related(
            FEEDBACK,
            Prefetch("goals", queryset=_goals()),
            Prefetch("activities", queryset=Activity.objects.select_related("municipality").order_by("number")),
        )
        .order_by("position", "pk")
    )
    today, days = timezone.localdate(), consultation.municipality.feedback_days
    for item in items:
        for view in item.views.all():
            view.item = item  # for the overdue check, without a query
            view.overdue = _is_overdue(view, days, today)
    minutes = list(
        consultation.minutes.filter(visible_minutes_q(membership))
        .distinct()
        .prefetch_related(Prefetch("reviewers", queryset=Membership.objects.select_related("user")))
        .order_by("-number")
    )
    return ConsultationPage(consultation=consultation, items=items, minutes=minutes)


def _goals():
    return Goal.objects.order_by("depth", "position", "pk")


def overdue_views(
    municipality: Municipality, *, today: date | None = None, units: list[int] | None = None
) -> list[View]:
    """Views whose decision is more than the municipality's feedback_days past and
    that have no final feedback (none, or only "under preparation")."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=municipality.feedback_days)
    qs = View.objects.filter(
        item__consultation__municipality=municipality,
        item__decision_date__lt=cutoff,
    ).filter(Q(feedback__isnull=True) | Q(feedback__status=Feedback.Status.PREPARING))
    if units is not None:
        qs = qs.filter(item__responsible_unit_id__in=units)
    return list(
        qs.select_related("item__consultation", "item__responsible_unit", "feedback", "reminder").order_by(
            "item__decision_date", "pk"
        )
    )


@dataclass
class TraceStep:
    activity: Activity
    latest_note: ProgressNote | None


@dataclass
class Trace:
    view: View
    feedback: Feedback | None
    steps: list[TraceStep]
    goals: list


def trace(view: View, membership: Membership) -> Trace:
    """View → decision → activity → result, for one view. People outside the
    municipality's staff (representatives) see only public activities."""
    feedback = Feedback.objects.filter(view=view).select_related("unit").first()
    steps, goals = [], []
    if feedback is not None:
        notes = ProgressNote.objects.order_by("-date", "-pk")
        activities = feedback.activities.all()
        if not membership.is_staff_member:
            activities = activities.filter(visibility=Activity.Visibility.PUBLIC)
        activities = (
            activities.select_related("municipality", "owner", "status")
            .prefetch_related(Prefetch("notes", queryset=notes))
            .order_by("number")
        )
        steps = [TraceStep(activity=a, latest_note=next(iter(a.notes.all()), None)) for a in activities]
        goals = list(feedback.goals.order_by("depth", "position", "pk"))
    return Trace(view=view, feedback=feedback, steps=steps, goals=goals)


# --- Attendance -------------------------------------------------------------------

NOT_STATED = "ej_angivet"


@dataclass
class AttendanceRow:
    label: str
    cells: list  # one per column: a lib.suppression.Cell, or an int when exact
    total: Cell | int


@dataclass
class Attendance:
    """A consultation's participants as one person may see them: exact for
    those who run it, otherwise protected like survey counts (a count of 1 to
    k-1 by age group and gender could point a participant out)."""

    total: Cell | int
    columns: list[str]
    rows: list[AttendanceRow]  # empty when only a total was recorded
    col_totals: list
    exact: bool
    withheld: bool = False


def attendance(consultation: Consultation, *, exact: bool, k: int | None = None) -> Attendance | None:
    """The participants by age group and gender, with totals; None when none
    were recorded. Unless ``exact``, the table is protected with the
    municipality's k (lib.suppression.suppress_2d): small counts are hidden,
    and so is a total below k. Participants not counted by age group and
    gender (the total minus the breakdown) are a row and a column of their own,
    so every line adds up. ``k`` defaults to the consultation's municipality's."""
    from .forms import AGE_GROUPS, GENDERS

    if consultation.attendance_total is None and not consultation.attendance:
        return None
    ages, genders = dict(AGE_GROUPS), dict(GENDERS)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for age, by_gender in (consultation.attendance or {}).items():
        for gender, n in (by_gender or {}).items():
            if isinstance(n, int) and not isinstance(n, bool) and n > 0:
                counts[age if age in ages else NOT_STATED, gender if gender in genders else NOT_STATED] += n
    counted = sum(counts.values())
    total = max(consultation.attendance_total or 0, counted)
    if total > counted:
        counts[NOT_STATED, NOT_STATED] += total - counted
    if counted:
        rows = [*ages, *([NOT_STATED] if any(r == NOT_STATED for r, _c in counts) else [])]
        cols = [*genders, *([NOT_STATED] if any(c == NOT_STATED for _r, c in counts) else [])]
    else:  # only a total was recorded: a table of one cell, protected like any other
        rows, cols = [NOT_STATED], [NOT_STATED]
    if exact:
        cells = {(r, c): counts[r, c] for r in rows for c in cols}
        row_totals = {r: sum(counts[r, c] for c in cols) for r in rows}
        col_totals = {c: sum(counts[r, c] for r in rows) for c in cols}
        grand, withheld = total, False
    else:
        k = k if k is not None else consultation.municipality.suppression_k
        table = suppress_2d(counts, rows=rows, cols=cols, k=k)
        cells, row_totals, col_totals = table.cells, table.row_totals, table.col_totals
        grand, withheld = table.grand_total, table.withheld
    if not counted:
        return Attendance(total=grand, columns=[], rows=[], col_totals=[], exact=exact, withheld=withheld)
    labels = {**ages, **genders, NOT_STATED: _("not stated")}
    return Attendance(
        total=grand,
        columns=[str(labels[c]) for c in cols],
        rows=[AttendanceRow(str(labels[r]), [cells[r, c] for c in cols], row_totals[r]) for r in rows],
        col_totals=[col_totals[c] for c in cols],
        exact=exact,
        withheld=withheld,
    )


# --- Figures ------------------------------------------------------------------


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class UnitFigures:
    unit: OrgUnit
    held_by_form: dict[str, int] = field(default_factory=dict)
    held: int = 0
    views: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    days_to_feedback: list[int] = field(default_factory=list)
    overdue: int = 0

    @property
    def share_in_time(self) -> int | None:
        """Percent of the views due by now that were answered within the days allowed."""
        return percent(self.answered_in_time, self.answered_in_time + self.answered_late + self.overdue)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_feedback) if self.days_to_feedback else None


def figures(municipality: Municipality, year: int, *, today: date | None = None) -> list[UnitFigures]:
    """Per unit, for consultations held in the year: how many, by form; views
    answered within the municipality's feedback_days, as a share; median days
    from decision to feedback; overdue views. Three queries."""
    today = today or timezone.localdate()
    days = municipality.feedback_days
    rows: dict[int, UnitFigures] = {}
    units = {u.pk: u for u in OrgUnit.objects.filter(municipality=municipality)}

    def row(unit_id: int) -> UnitFigures:
        if unit_id not in rows:
            rows[unit_id] = UnitFigures(unit=units[unit_id])
        return rows[unit_id]

    held = (
        Consultation.organisers.through.objects.filter(
            consultation__municipality=municipality,
            consultation__starts_at__year=year,
            consultation__starts_at__lte=timezone.now(),
        )
        .values_list("orgunit_id", "consultation__form")
        .annotate(n=Count("consultation_id"))
        .order_by()
    )
    labels = dict(Consultation.Form.choices)
    for unit_id, form, n in held:
        r = row(unit_id)
        r.held_by_form[str(labels[form])] = r.held_by_form.get(str(labels[form]), 0) + n
        r.held += n
    views = View.objects.filter(
        item__consultation__municipality=municipality, item__consultation__starts_at__year=year
    ).values_list("item__responsible_unit_id", "item__decision_date", "feedback__status", "feedback__given_on")
    for unit_id, decided, status, given_on in views:
        r = row(unit_id)
        r.views += 1
        if feedback_overdue(decided, status, days=days, today=today):
            r.overdue += 1
        elif status is not None and status != Feedback.Status.PREPARING:
            r.days_to_feedback.append(max((given_on - decided).days, 0))
            if given_on <= decided + timedelta(days=days):
                r.answered_in_time += 1
            else:
                r.answered_late += 1
    return sorted(rows.values(), key=lambda r: r.unit.name)


@dataclass
class RepresentativeHome:
    upcoming: list[Consultation]
    past: list[Consultation]
    to_review: list[MinutesVersion]
    feedback: list[View]


def representative_home(membership: Membership) -> RepresentativeHome:
    now = timezone.now()
    mine = consultations_for(membership).order_by("starts_at")
    to_review = list(
        MinutesVersion.objects.filter(
            reviewers=membership, status=MinutesVersion.Status.REVIEW, consultation__representatives=membership
        )
        .select_related("consultation")
        .order_by("sent_at")
    )
    feedback = list(
        View.objects.filter(item__consultation__in=mine.values("pk"), feedback__isnull=False)
        .select_related("item__consultation", "feedback__unit")
        .order_by("-feedback__given_on", "-pk")[:20]
    )
    return RepresentativeHome(
        upcoming=list(mine.filter(starts_at__gte=now)),
        past=list(mine.filter(starts_at__lt=now).order_by("-starts_at")[:10]),
        to_review=to_review,
        feedback=feedback,
    )
