"""Reads for follow-up: report content and its changes, round overview and the
coverage matrix, each in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, format_reference
from lib.barchart import StackedBarChart, stacked_bar_chart
from organisations.models import OrgUnit
from plans.models import Goal, Plan, StatusSummary
from plans.selectors import responsible_units, sort_in_tree_order

from . import snapshots
from .models import ASSESSMENT_SENTIMENT, ActivityUpdate, Assessment, ReportEntry, Round, RoundField, UnitReport

# --- One report --------------------------------------------------------------------

# A goal as a report reads it: its code and title now, by id.
GoalRef = tuple[str, str]


@dataclass(frozen=True)
class GoalHeading:
    """What a table row shows of a goal (its link, code and title), read as values."""

    pk: int
    plan_id: int
    code: str
    title: str


@dataclass
class EntryView:
    goal_id: int | None
    code: str  # the goal's code now (as approved if the goal is gone)
    title: str
    result: str
    challenges: str
    assessment: str  # an Assessment code
    extra: list[tuple[str, str]]  # (question, answer)
    extra_field_ids: list[int | None] = field(default_factory=list)  # the RoundField of each answer

    @property
    def sentiment(self) -> str:
        return ASSESSMENT_SENTIMENT.get(self.assessment, "neutral")

    @property
    def assessment_label(self) -> str:
        """In the reader's language."""
        return assessment_label(self.assessment)


@dataclass
class ActivityView:
    activity_id: int | None
    reference: str
    title: str
    status: str  # the plan's name of the status, as reported
    summary: str  # a StatusSummary code
    comment: str
    goals: list[str]  # goal codes now (as approved if a goal is gone)
    goal_ids: list[int | None] = field(default_factory=list)
    status_id: int | None = None  # None: a snapshot of schema 1
    funding: str | None = None  # a Funding code; None: not recorded (schema 1)
    funding_ends: date | None = None

    @property
    def summary_label(self) -> str:
        """In the reader's language."""
        return status_summary_label(self.summary)


def assessment_label(code: str) -> str:
    return str(Assessment(code).label) if code in Assessment.values else code


def status_summary_label(code: str) -> str:
    return str(StatusSummary(code).label) if code in StatusSummary.values else code


def plan_goals(plan_id: int) -> dict[int, GoalRef]:
    """The plan's goals by id, as a snapshot is read: one query."""
    return {
        pk: (code, title) for pk, code, title in Goal.objects.filter(plan_id=plan_id).values_list("pk", "code", "title")
    }


@dataclass
class ReportContent:
    summary: str
    entries: list[EntryView]
    activities: list[ActivityView]
    frozen: bool = False
    schema: int = snapshots.SCHEMA  # of the snapshot it was read from

    def as_snapshot(self) -> dict[str, Any]:
        """The frozen form (followups.snapshots): ids and codes, no labels."""
        return {
            "schema": snapshots.SCHEMA,
            "summary": self.summary,
            "entries": [
                {
                    "goal_id": e.goal_id,
                    "code": e.code,
                    "title": e.title,
                    "result": e.result,
                    "challenges": e.challenges,
                    "assessment": e.assessment,
                    "extra": [
                        {"field_id": field_id, "question": question, "answer": answer}
                        for (question, answer), field_id in zip(
                            e.extra, e.extra_field_ids or [None] * len(e.extra), strict=True
                        )
                    ],
                }
                for e in self.entries
            ],
            "activities": [
                {
                    "activity_id": a.activity_id,
                    "reference": a.reference,
                    "title": a.title,
                    "status_id": a.status_id,
                    "status": a.status,
                    "summary": a.summary,
                    "comment": a.comment,
                    "funding": a.funding,
                    "funding_ends": a.funding_ends.isoformat() if a.funding_ends else None,
                    "goals": [
                        {"id": goal_id, "code": code}
                        for goal_id, code in zip(a.goal_ids or [None] * len(a.goals), a.goals, strict=True)
                    ],
                }
                for a in self.activities
            ],
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any], *, goals: dict[int, GoalRef] | None = None) -> ReportContent:
        """Read a snapshot of any schema version. ``goals`` (plan_goals()) gives
        each goal's code and title now, by id; without it, as approved."""
        goals = goals or {}
        stored = snapshots.version(data)
        data = snapshots.load(data, goal_ids_by_code={code: pk for pk, (code, _title) in goals.items()})

        def goal(goal_id: int | None, code: str, title: str = "") -> GoalRef:
            return goals.get(goal_id, (code, title)) if goal_id is not None else (code, title)

        entries = []
        for e in data.get("entries", []):
            code, title = goal(e.get("goal_id"), e.get("code", ""), e.get("title", ""))
            extra = e.get("extra", [])
            entries.append(
                EntryView(
                    goal_id=e.get("goal_id"),
                    code=code,
                    title=title,
                    result=e.get("result", ""),
                    challenges=e.get("challenges", ""),
                    assessment=e.get("assessment", ""),
                    extra=[(x.get("question", ""), x.get("answer", "")) for x in extra],
                    extra_field_ids=[x.get("field_id") for x in extra],
                )
            )
        activities = []
        for a in data.get("activities", []):
            refs = a.get("goals", [])
            ends = a.get("funding_ends")
            activities.append(
                ActivityView(
                    activity_id=a.get("activity_id"),
                    reference=a.get("reference", ""),
                    title=a.get("title", ""),
                    status=a.get("status", ""),
                    summary=a.get("summary", ""),
                    comment=a.get("comment", ""),
                    goals=[goal(g.get("id"), g.get("code", ""))[0] for g in refs],
                    goal_ids=[g.get("id") for g in refs],
                    status_id=a.get("status_id"),
                    funding=a.get("funding"),
                    funding_ends=date.fromisoformat(ends) if ends else None,
                )
            )
        return cls(summary=data.get("summary", ""), entries=entries, activities=activities, frozen=True, schema=stored)


def _extra_answers(fields: list[RoundField], extra: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.label, str(extra.get(f.key, "")) if extra.get(f.key) is not None else "") for f in fields]


@dataclass(frozen=True, slots=True)
class UpdateValues:
    """What the report form reads of an activity update: its initial status and comment."""

    status_id: int
    comment: str


def update_values(report: UnitReport) -> dict[int, UpdateValues]:
    """The report's activity updates by activity id, as values: one query."""
    return {
        activity_id: UpdateValues(status_id, comment)
        for activity_id, status_id, comment in report.activity_updates.order_by().values_list(
            "activity_id", "status_id", "comment"
        )
    }


def report_entries(report: UnitReport) -> list[ReportEntry]:
    """The report's entries in the plan's tree order."""
    entries = list(report.entries.select_related("goal"))  # tree order needs the goal's plan_id, not its plan
    order = {g.pk: i for i, g in enumerate(sort_in_tree_order([e.goal for e in entries]))}
    return sorted(entries, key=lambda e: order[e.goal_id])


def _own_activities_qs(report: UnitReport):
    rnd = report.round
    current = (
        Q(plan_id=rnd.plan_id)
        & (Q(start_date__isnull=True) | Q(start_date__lte=rnd.period_end))
        & (Q(end_date__isnull=True) | Q(end_date__gte=rnd.period_start))
    )
    # And whatever the report gave an update on: an activity carried over to a later
    # version of the plan (plans.services.plan_adopt) stays in the reports it was in.
    reported = Q(pk__in=ActivityUpdate.objects.filter(report_id=report.pk).values("activity_id"))
    return Activity.objects.filter(owner_id=report.unit_id).filter(current | reported).order_by("number")


# What the report form shows of an activity (reference, title) and reads (its status).
FORM_FIELDS = ["pk", "number", "title", "status_id", "municipality__code", "municipality__reference_prefix"]


@dataclass(frozen=True, slots=True)
class FormActivity:
    """What the report form shows of an activity, read as values (own_activities(lean=True))."""

    pk: int
    reference: str
    title: str
    status_id: int


def own_activities(
    report: UnitReport, *, goals: bool = True, lean: bool = False
) -> list[Activity] | list[FormActivity]:
    """The unit's activities under the round's plan that ran during the period,
    with their goals (unless ``goals`` is false: the report form has no use for them).
    ``lean``: FORM_FIELDS as FormActivity rows (no goals), for a page that shows
    the form; never for one that saves (activity_update needs the activity)."""
    if lean:
        return [
            FormActivity(pk, format_reference(prefix or code, number), title, status_id)
            for pk, number, title, status_id, code, prefix in _own_activities_qs(report).values_list(*FORM_FIELDS)
        ]
    qs = _own_activities_qs(report).select_related("municipality", "status")
    if goals:
        qs = qs.prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("depth", "position", "pk")))
    return list(qs)


@dataclass(frozen=True)
class GoalCode:
    pk: int
    code: str


# What content_from_rows() reads of an activity (and of its municipality and status), as values.
CONTENT_FIELDS = [
    "pk", "number", "title", "funding", "funding_ends",
    "municipality__code", "municipality__reference_prefix", "status_id", "status__name", "status__summary",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class StatusRow:
    """An activity status as content_from_rows() reads it (read as values, not a model)."""

    pk: int
    name: str
    summary: str


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """An activity as content_from_rows() reads it (read as values, not a model)."""

    pk: int
    reference: str
    title: str
    funding: str
    funding_ends: date | None
    status: StatusRow


@dataclass(frozen=True, slots=True)
class EntryRow:
    """A report entry as content_from_rows() reads it (read as values, not a model)."""

    goal_id: int
    goal: GoalHeading
    result: str
    challenges: str
    assessment: str
    extra: dict[str, Any]


def _entry_rows(report: UnitReport) -> list[EntryRow]:
    """The report's entries as values, in the plan's tree order (as report_entries())."""
    rows = report.entries.order_by().values_list(
        "goal_id", "goal__plan_id", "goal__code", "goal__title", "result", "challenges", "assessment", "extra"
    )
    entries = [
        EntryRow(goal_id, GoalHeading(goal_id, plan_id, code, title), result, challenges, assessment, extra)
        for goal_id, plan_id, code, title, result, challenges, assessment, extra in rows
    ]
    order = {g.pk: i for i, g in enumerate(sort_in_tree_order([e.goal for e in entries]))}
    return sorted(entries, key=lambda e: order[e.goal_id])


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """An activity update as content_from_rows() reads it (read as values, not a model)."""

    status: StatusRow
    comment: str


def report_content(report: UnitReport, *, goals: dict[int, GoalRef] | None = None) -> ReportContent:
    """What the report says: frozen if approved (read with the plan's goals now,
    by id: ``goals`` if the caller has them, else one query), else from the live rows.

    The live rows are read lean: the activities and their updates as values
    (only what a report shows, as ActivityRow and UpdateRow, not model
    instances), and their goals' ids and codes in one query rather than as goal
    objects (a large unit has hundreds of activities)."""
    if report.status == UnitReport.Status.APPROVED and report.snapshot:
        if goals is None:
            goals = plan_goals(report.round.plan_id)
        return ReportContent.from_snapshot(report.snapshot, goals=goals)
    fields = list(report.round.fields.all())
    statuses: dict[int, StatusRow] = {}

    def status_row(pk: int, name: str, summary: str) -> StatusRow:
        if pk not in statuses:
            statuses[pk] = StatusRow(pk, name, summary)
        return statuses[pk]

    updates = {
        activity_id: UpdateRow(status_row(status_id, name, summary), comment)
        for activity_id, status_id, name, summary, comment in report.activity_updates.order_by().values_list(
            "activity_id", "status_id", "status__name", "status__summary", "comment"
        )
    }
    activities = [
        ActivityRow(pk, format_reference(prefix or code, number), title, funding, ends, status_row(*status))
        for pk, number, title, funding, ends, code, prefix, *status in _own_activities_qs(report).values_list(
            *CONTENT_FIELDS
        )
    ]
    goal_codes: dict[int, list[GoalCode]] = {}
    links = (
        Activity.goals.through.objects.filter(activity__in=_own_activities_qs(report).values("pk"))
        .order_by("goal__depth", "goal__position", "goal_id")
        .values_list("activity_id", "goal_id", "goal__code")
    )
    for activity_id, goal_id, code in links:
        goal_codes.setdefault(activity_id, []).append(GoalCode(goal_id, code))
    return content_from_rows(
        summary=report.summary,
        fields=fields,
        entries=_entry_rows(report),
        activities=activities,
        updates=updates,
        goals_of=lambda a: goal_codes.get(a.pk, []),
    )


def content_from_rows(
    *,
    summary: str,
    fields: list[RoundField],
    entries: list[ReportEntry] | list[EntryRow],
    activities: list[Activity] | list[ActivityRow],
    updates: dict[int, Any],
    goals_of: Callable[[Activity], list[Goal] | list[GoalCode]] | None = None,
) -> ReportContent:
    """What a report says, from its rows as read, without a query: the entries
    (with their goal) in tree order, the unit's activities in the period (with
    their municipality and status), its activity updates by activity id (with
    their status). ``goals_of`` gives an activity's goals in tree order (by
    default its prefetched goals). report_content() reads the rows for it; the
    benchmark generator passes the rows it made, so its snapshots are made by
    the same code as an approval's."""
    goals_of = goals_of or (lambda a: list(a.goals.all()))
    entry_views = [
        EntryView(
            goal_id=e.goal_id,
            code=e.goal.code,
            title=e.goal.title,
            result=e.result,
            challenges=e.challenges,
            assessment=e.assessment,
            extra=_extra_answers(fields, e.extra),
            extra_field_ids=[f.pk for f in fields],
        )
        for e in entries
    ]
    activity_views = []
    for a in activities:
        upd = updates.get(a.pk)
        status = upd.status if upd else a.status
        linked = goals_of(a)
        activity_views.append(
            ActivityView(
                activity_id=a.pk,
                reference=a.reference,
                title=a.title,
                status=status.name,
                summary=status.summary,
                comment=upd.comment if upd else "",
                goals=[g.code for g in linked],
                goal_ids=[g.pk for g in linked],
                status_id=status.pk,
                funding=a.funding,
                funding_ends=a.funding_ends,
            )
        )
    return ReportContent(summary=summary, entries=entry_views, activities=activity_views)


def previous_approved(report: UnitReport) -> UnitReport | None:
    return (
        UnitReport.objects.filter(
            unit_id=report.unit_id,
            status=UnitReport.Status.APPROVED,
            round__plan_id=report.round.plan_id,
            round__period_end__lt=report.round.period_end,
        )
        .select_related("round")
        .order_by("-round__period_end")
        .first()
    )


@dataclass
class Change:
    what: str  # goal code (now) or activity reference
    title: str
    field: str  # what changed, in the reader's language
    before: str
    after: str
    # What changed, as a code: "goal" (new goal), "assessment", "result",
    # "challenges", "activity" (new), "status", "gone" (activity no longer reported).
    kind: str = ""
    before_code: str = ""  # for an assessment: the Assessment codes
    after_code: str = ""


def report_changes(current: ReportContent, previous: ReportContent) -> list[Change]:
    """What differs from the previous approved report: assessments, texts,
    activity statuses, new and gone activities. Goals are matched by id and
    activities by id (a changed code or reference is the same goal or
    activity); assessments and statuses are compared as codes and ids."""
    changes: list[Change] = []

    def goal_key(e: EntryView):
        return ("id", e.goal_id) if e.goal_id is not None else ("code", e.code)

    def activity_key(a: ActivityView):
        return ("id", a.activity_id) if a.activity_id is not None else ("ref", a.reference)

    before = {goal_key(e): e for e in previous.entries}
    for e in current.entries:
        old = before.get(goal_key(e))
        if old is None:
            changes.append(Change(e.code, e.title, _("Goal"), "", _("new in this report"), kind="goal"))
            continue
        if old.assessment != e.assessment:
            changes.append(
                Change(
                    e.code, e.title, _("Assessment"), old.assessment_label, e.assessment_label,
                    kind="assessment", before_code=old.assessment, after_code=e.assessment,
                )
            )  # fmt: skip
        if old.result != e.result:
            changes.append(Change(e.code, e.title, _("Results"), old.result, e.result, kind="result"))
        if old.challenges != e.challenges:
            changes.append(Change(e.code, e.title, _("Challenges"), old.challenges, e.challenges, kind="challenges"))
    acts_before = {activity_key(a): a for a in previous.activities}
    for a in current.activities:
        old = acts_before.pop(activity_key(a), None)
        if old is None:
            changes.append(
                Change(a.reference, a.title, _("Activity"), "", _("new since the previous report"), kind="activity")
            )
            continue
        if old.status_id is not None and a.status_id is not None:
            moved = old.status_id != a.status_id
        else:  # a snapshot of schema 1 has the status's name and summary only
            moved = (old.status, old.summary) != (a.status, a.summary)
        if moved:
            changes.append(Change(a.reference, a.title, _("Status"), old.status, a.status, kind="status"))
    for a in acts_before.values():
        changes.append(Change(a.reference, a.title, _("Activity"), a.status, _("no longer reported"), kind="gone"))
    return changes


# --- A round -------------------------------------------------------------------------


@dataclass
class RoundProgress:
    total: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    late: int = 0

    @property
    def done(self) -> int:
        return self.submitted + self.approved

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


STATE_ATTR = {
    UnitReport.Status.DRAFT: "draft",
    UnitReport.Status.SUBMITTED: "submitted",
    UnitReport.Status.RETURNED: "returned",
    UnitReport.Status.APPROVED: "approved",
}


def round_progress(rounds: list[Round]) -> dict[int, RoundProgress]:
    """Report counts by state for each round, in one query."""
    today = timezone.localdate()
    out = {r.pk: RoundProgress() for r in rounds}
    deadlines = {r.pk: r.deadline for r in rounds}
    rows = (
        UnitReport.objects.filter(round__in=rounds).values_list("round_id", "status").annotate(n=Count("pk")).order_by()
    )
    for round_id, status, n in rows:
        p = out[round_id]
        p.total += n
        setattr(p, STATE_ATTR[status], getattr(p, STATE_ATTR[status]) + n)
        if status in UnitReport.OPEN_STATUSES and today > deadlines[round_id]:
            p.late += n
    return out


@dataclass
class GoalAssessments:
    goal: GoalHeading
    counts: list[tuple[str, str, int]]  # (assessment, label, count) in fixed order
    total: int


def round_reports(rnd: Round) -> list[UnitReport]:
    """The round's reports with their unit and number of entries, by unit name;
    without the texts and the snapshot (an approved report's is large, and the
    round's page shows none of them)."""
    return list(
        rnd.reports.select_related("unit")
        .defer("snapshot", "summary", "return_comment")
        .annotate(entry_count=Count("entries"))
        .order_by("unit__name")
    )


def round_assessments(rnd: Round) -> list[GoalAssessments]:
    """For each goal in the round, how the units assessed it (submitted and approved reports)."""
    rows = (
        ReportEntry.objects.filter(report__round=rnd)
        .filter(report__status__in=[UnitReport.Status.SUBMITTED, UnitReport.Status.APPROVED])
        .values_list("goal_id", "assessment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, Counter] = {}
    for goal_id, assessment, n in rows:
        counts.setdefault(goal_id, Counter())[assessment] += n
    goal_ids = set(ReportEntry.objects.filter(report__round=rnd).values_list("goal_id", flat=True))
    goals = sort_in_tree_order(
        [
            GoalHeading(*row)
            for row in Goal.objects.filter(pk__in=goal_ids).order_by().values_list("pk", "plan_id", "code", "title")
        ]
    )
    choices = [(code, str(label)) for code, label in Assessment.choices]
    none: Counter = Counter()
    return [
        GoalAssessments(
            goal=g,
            counts=[(code, label, counts.get(g.pk, none)[code]) for code, label in choices],
            total=sum(counts.get(g.pk, none).values()),
        )
        for g in goals
    ]


# --- Coverage -------------------------------------------------------------------------


@dataclass
class Cell:
    unit: OrgUnit
    responsible: bool
    role: str = ""
    count: int = 0
    assessment: str = ""
    assessment_label: str = ""

    @property
    def gap(self) -> bool:
        return self.responsible and self.count == 0

    @property
    def sentiment(self) -> str:
        return ASSESSMENT_SENTIMENT.get(self.assessment, "neutral")


@dataclass
class CoverageRow:
    goal: Goal
    cells: list[Cell]
    gaps: int = 0


@dataclass
class Coverage:
    plan: Plan
    units: list[OrgUnit]  # the columns shown (one page of them when paged)
    rows: list[CoverageRow]
    focus_areas: list[Goal] = field(default_factory=list)
    focus: Goal | None = None  # the focus area shown; None: all
    unit_count: int = 0  # units that match the filter, on every page
    first_unit: int = 0  # index of the first shown column among them
    gap_count: int = 0  # over every matching unit, not only the page's
    pair_count: int = 0


def latest_assessments(plan: Plan) -> dict[tuple[int, int], str]:
    """{(goal id, unit id): assessment} from each unit's latest approved report under the plan.

    Four small queries, each read from an index alone: the plan's rounds, the
    municipality's approved reports (index unitreport_unit_status), the reports
    of the plan's rounds (the unique index on round and unit), then only the
    latest reports' entries. Joining reports to rounds and filtering on the
    status instead reads every report row, snapshots and all (35 ms for the
    benchmark city's 1,200 reports on SQLite)."""
    period_end = dict(Round.objects.filter(plan=plan).values_list("pk", "period_end"))
    approved = set(
        UnitReport.objects.filter(unit__municipality_id=plan.municipality_id, status=UnitReport.Status.APPROVED)
        .values_list("pk", flat=True)
        .order_by()
    )
    in_plan = (
        UnitReport.objects.filter(round_id__in=list(period_end)).values_list("pk", "round_id", "unit_id").order_by()
    )
    latest: dict[int, int] = {}  # unit id -> report id
    for report_id, _round_id, unit_id in sorted(in_plan, key=lambda r: (period_end[r[1]], r[0])):
        if report_id in approved:
            latest[unit_id] = report_id  # later rounds win
    unit_of = {report_id: unit_id for unit_id, report_id in latest.items()}
    rows = ReportEntry.objects.filter(report_id__in=list(unit_of)).values_list("goal_id", "report_id", "assessment")
    return {(goal_id, unit_of[report_id]): assessment for goal_id, report_id, assessment in rows}


def coverage(
    plan: Plan,
    *,
    focus_id: int | None = None,
    first_focus: bool = False,
    unit: OrgUnit | None = None,
    unit_ids: set[int] | None = None,
    rights_area: str | None = None,
    columns: slice | None = None,
) -> Coverage:
    """Goals × responsible units: the number of activities each responsible unit
    owns against each goal, and its latest assessment. Cells where a responsible
    unit has no activity are gaps.

    Rows: the goals under the focus area ``focus_id`` (a depth-1 goal; else the
    first focus area if ``first_focus``, else every goal), with ``rights_area``.
    Columns: the units responsible for any of them, only ``unit`` or those in
    ``unit_ids`` if given; ``columns`` (a slice with start and stop) keeps a page
    of those, while the gap and pair counts cover them all. A fixed number of queries, however
    large the plan."""
    goals, by_goal, units = responsible_units(plan)
    focus_areas = sort_in_tree_order(list(plan.goals.filter(depth=1)))
    focus = next((g for g in focus_areas if g.pk == focus_id), None)
    if focus is None and first_focus and focus_areas:
        focus = focus_areas[0]
    if focus is not None:
        parent_of = dict(plan.goals.values_list("pk", "parent_id"))

        def under(goal_id: int) -> bool:
            while goal_id is not None:
                if goal_id == focus.pk:
                    return True
                goal_id = parent_of.get(goal_id)
            return False

        goals = [g for g in goals if under(g.pk)]
    if rights_area:
        with_area = set(plan.goals.filter(rights_areas__code=rights_area).values_list("pk", flat=True))
        goals = [g for g in goals if g.pk in with_area]
    if unit is not None:
        goals = [g for g in goals if unit.pk in by_goal[g.pk]]
        units = [u for u in units if u.pk == unit.pk]
    if unit_ids is not None:
        goals = [g for g in goals if unit_ids.intersection(by_goal[g.pk])]
        units = [u for u in units if u.pk in unit_ids]
    shown = {uid for g in goals for uid in by_goal[g.pk]}
    units = [u for u in units if u.pk in shown]
    # All the plan's (goal, owner) pairs: cheaper than filtering by the shown goals,
    # and only the shown pairs are read.
    counts = Counter(
        Activity.goals.through.objects.filter(activity__plan=plan).values_list("goal_id", "activity__owner_id")
    )
    unit_pks = {u.pk for u in units}
    pair_count = gap_count = 0
    for g in goals:
        for uid in by_goal[g.pk]:
            if uid in unit_pks:
                pair_count += 1
                gap_count += not counts.get((g.pk, uid))
    unit_count = len(units)
    first_unit = 0
    if columns is not None:
        # A page past the last (the filter narrowed since the link was made): the last page.
        first_unit, size = columns.start, columns.stop - columns.start
        if first_unit >= unit_count:
            first_unit = max(unit_count - 1, 0) // size * size
        units = units[first_unit : first_unit + size]
    assessments = latest_assessments(plan)
    labels = {code: str(label) for code, label in Assessment.choices}  # once, not a lazy string per cell
    rows = []
    for g in goals:
        cells = []
        roles = by_goal[g.pk]
        for u in units:
            role = roles.get(u.pk, "")
            a = assessments.get((g.pk, u.pk), "")
            cells.append(
                Cell(
                    unit=u,
                    responsible=bool(role),
                    role=role,
                    count=counts.get((g.pk, u.pk), 0),
                    assessment=a,
                    assessment_label=labels.get(a, ""),
                )
            )
        rows.append(CoverageRow(goal=g, cells=cells, gaps=sum(1 for c in cells if c.gap)))
    return Coverage(
        plan=plan,
        units=units,
        rows=rows,
        focus_areas=focus_areas,
        focus=focus,
        unit_count=unit_count,
        first_unit=first_unit,
        gap_count=gap_count,
        pair_count=pair_count,
    )


# --- A goal's history and the plan's trends ----------------------------------------

HISTORY_ROUNDS = 8  # rounds a goal's history shows at a time, the latest last
TREND_ROUNDS = 6  # rounds the start page's trends show

# What a cell of a goal's history says besides an assessment.
NOT_REPORTED = "ej_rapporterad"  # the unit answers for the goal in the round, but has not submitted
NOT_APPLICABLE = "ej_aktuell"  # the unit did not answer for the goal in the round

# The reports whose assessments count: submitted and approved, as on the start page (round_assessments).
COUNTED_STATUSES = (UnitReport.Status.SUBMITTED, UnitReport.Status.APPROVED)


@dataclass(frozen=True, slots=True)
class RoundHeading:
    pk: int
    name: str
    period_end: date


@dataclass(frozen=True, slots=True)
class UnitHeading:
    pk: int
    name: str
    short_name: str


@dataclass(frozen=True, slots=True)
class HistoryCell:
    state: str  # an Assessment code, NOT_REPORTED or NOT_APPLICABLE
    label: str  # in the reader's language
    report_id: int | None = None


@dataclass
class HistoryRow:
    unit: UnitHeading
    responsible: bool  # answers for the goal now
    cells: list[HistoryCell]


@dataclass
class GoalHistory:
    rounds: list[RoundHeading]  # the rounds shown, in time order (the latest last)
    rows: list[HistoryRow]
    round_count: int  # every round of the plan
    page: int = 1  # 1: the latest rounds; 2: the ones before them...
    pages: int = 1

    @property
    def first_round(self) -> RoundHeading | None:
        return self.rounds[0] if self.rounds else None

    @property
    def last_round(self) -> RoundHeading | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def older_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def newer_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None


def history_labels() -> dict[str, str]:
    """Every state of a history cell with its label, in the reader's language."""
    labels = {code: str(label) for code, label in Assessment.choices}
    labels[NOT_REPORTED] = _("not reported")
    labels[NOT_APPLICABLE] = _("not applicable")
    return labels


def goal_history(goal: Goal, *, page: int = 1, per_page: int = HISTORY_ROUNDS) -> GoalHistory:
    """The goal's assessments round by round for every unit that answers for it
    now or answered for it in a shown round: rows are units (by name), columns the
    plan's rounds in time order, ``per_page`` at a time (page 1: the latest).

    A cell is the assessment in the unit's report for the round if the report is
    submitted or approved (as the start page counts them), "not reported" if the
    unit answered for the goal in the round (its report has an entry for it) but
    has not submitted, and "not applicable" if it had no entry for the goal then.
    Six queries, however many rounds and units: the rounds, who answers for the
    goal now (plans.selectors.responsible_units, four), the entries."""
    rounds = [
        RoundHeading(*row)
        for row in Round.objects.filter(plan_id=goal.plan_id)
        .order_by("period_end", "pk")
        .values_list("pk", "name", "period_end")
    ]
    count = len(rounds)
    pages = max(1, -(-count // per_page))
    page = min(max(page, 1), pages)
    end = count - (page - 1) * per_page
    shown = rounds[max(end - per_page, 0) : end]
    _goals, by_goal, units = responsible_units(goal.plan, goal_ids=[goal.pk])
    now = by_goal.get(goal.pk, {})
    heading = {u.pk: UnitHeading(u.pk, u.name, u.short_name) for u in units if u.pk in now}
    found: dict[tuple[int, int], tuple[str, int]] = {}  # (unit id, round id) -> (state, report id)
    if shown:
        shown_reports = UnitReport.objects.filter(round_id__in=[r.pk for r in shown]).values("pk")
        entries = (
            # Through the shown rounds' reports and the (report, goal) index: by the goal's
            # own index the database read the goal's entries of every round (3× slower at 30 rounds).
            ReportEntry.objects.filter(goal_id=goal.pk, report_id__in=shown_reports)
            .order_by()
            .values_list(
                "report__unit_id", "report__unit__name", "report__unit__short_name",
                "report__round_id", "report_id", "report__status", "assessment",
            )
        )  # fmt: skip
        for unit_id, name, short_name, round_id, report_id, status, assessment in entries:
            heading.setdefault(unit_id, UnitHeading(unit_id, name, short_name))
            found[(unit_id, round_id)] = (assessment if status in COUNTED_STATUSES else NOT_REPORTED, report_id)
    labels = history_labels()
    rows = []
    for unit in sorted(heading.values(), key=lambda u: (u.name, u.pk)):
        cells = []
        for r in shown:
            state, report_id = found.get((unit.pk, r.pk), (NOT_APPLICABLE, None))
            cells.append(HistoryCell(state, labels.get(state, state), report_id))
        rows.append(HistoryRow(unit=unit, responsible=unit.pk in now, cells=cells))
    return GoalHistory(rounds=shown, rows=rows, round_count=count, page=page, pages=pages)


@dataclass
class TrendRow:
    """One round of a trend: the count of each kind, in fixed order."""

    round: RoundHeading
    counts: list[tuple[str, str, int]]  # (code, label, count)

    @property
    def total(self) -> int:
        return sum(n for _code, _label, n in self.counts)


@dataclass
class PlanTrends:
    assessments: list[TrendRow]  # per round, the latest last
    statuses: list[TrendRow]
    assessment_kinds: list[tuple[str, str]]  # (code, label): the columns
    status_kinds: list[tuple[str, str]]

    @property
    def assessment_chart(self) -> StackedBarChart:
        return _trend_chart(
            "trend-assessments", _("Assessments of goals per round"), self.assessment_kinds, self.assessments
        )

    @property
    def status_chart(self) -> StackedBarChart:
        return _trend_chart(
            "trend-statuses", _("Reported activity statuses per round"), self.status_kinds, self.statuses
        )


def _trend_chart(key: str, title: str, kinds: list[tuple[str, str]], rows: list[TrendRow]) -> StackedBarChart:
    return stacked_bar_chart(key, title, kinds, [(row.round.name, [n for _c, _l, n in row.counts]) for row in rows])


def plan_trends(plan: Plan, *, rounds: int = TREND_ROUNDS) -> PlanTrends:
    """For the plan's latest ``rounds`` rounds, in time order: how many goals were
    assessed how, and how many activities were reported in each status summary,
    in the reports that count (submitted and approved, as round_assessments()).
    The activities' statuses are what the reports recorded (their activity
    updates), as there is no other history of them per round. Three queries,
    however many rounds, reports and entries: the rounds, then one aggregate each."""
    latest = list(
        Round.objects.filter(plan=plan).order_by("-period_end", "-pk").values_list("pk", "name", "period_end")[:rounds]
    )
    shown = [RoundHeading(*row) for row in reversed(latest)]
    assessment_kinds = [(code, str(label)) for code, label in Assessment.choices]
    status_kinds = [(code, str(label)) for code, label in StatusSummary.choices]
    if not shown:
        return PlanTrends([], [], assessment_kinds, status_kinds)
    ids = [r.pk for r in shown]
    assessed: Counter = Counter()
    for round_id, code, n in (
        ReportEntry.objects.filter(report__round_id__in=ids, report__status__in=COUNTED_STATUSES)
        .values_list("report__round_id", "assessment")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        assessed[(round_id, code)] += n
    statuses: Counter = Counter()
    for round_id, code, n in (
        ActivityUpdate.objects.filter(report__round_id__in=ids, report__status__in=COUNTED_STATUSES)
        .values_list("report__round_id", "status__summary")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        statuses[(round_id, code)] += n
    return PlanTrends(
        assessments=[
            TrendRow(r, [(code, label, assessed[(r.pk, code)]) for code, label in assessment_kinds]) for r in shown
        ],
        statuses=[TrendRow(r, [(code, label, statuses[(r.pk, code)]) for code, label in status_kinds]) for r in shown],
        assessment_kinds=assessment_kinds,
        status_kinds=status_kinds,
    )
