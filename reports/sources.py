"""What a council report is built from: the chosen rounds' approved unit
reports, each read once from its frozen snapshot, with the plan's goals by id.

Every chapter that reports what the committees said reads it from here, so one
document never holds two versions of the same report or activity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from followups import snapshots
from followups.models import Round, UnitReport
from followups.selectors import GoalRef, ReportContent
from plans.models import Goal, Plan
from plans.selectors import RESPONSIBILITIES

from .models import CouncilReport


@dataclass
class Sources:
    plan: Plan
    rounds: list[Round]
    approved: list[UnitReport]  # in the chosen rounds, by round then unit
    missing: list[UnitReport]  # in the chosen rounds but not approved: not used
    baseline: list[UnitReport]  # the approved reports to compare with ("what changed")
    baseline_label: str
    goals: dict[int, GoalRef] = field(default_factory=dict)  # the plan's goals now, by id
    # The same goals in tree order (depth, position), with their responsibilities: read once with
    # ``goals``, so every chapter names a goal the same way even if it is edited during the build.
    tree: list[Goal] = field(default_factory=list)
    _contents: dict[int, ReportContent] = field(default_factory=dict)

    def content(self, report: UnitReport) -> ReportContent:
        """What an approved report said (its snapshot, goals by id), read once."""
        if report.pk not in self._contents:
            self._contents[report.pk] = ReportContent.from_snapshot(report.snapshot, goals=self.goals)
        return self._contents[report.pk]

    def latest_by_unit(self) -> dict[int, tuple[UnitReport, ReportContent]]:
        """Each unit's report in the latest chosen round it has an approved report in."""
        return {r.unit_id: (r, self.content(r)) for r in self.approved}  # ordered by round: the latest wins

    def reporter(self, r: UnitReport) -> str:
        """The committee that said it, with the round when that is not the latest
        chosen one (a committee whose report in that round was not approved)."""
        if not self.rounds or r.round_id == self.rounds[-1].pk:
            return r.unit.name
        return _("%(unit)s (in %(round)s)") % {"unit": r.unit.name, "round": r.round.name}

    @property
    def last_approved_at(self):
        return max((r.approved_at for r in self.approved if r.approved_at), default=None)

    def as_json(self) -> dict:
        """The reports read, for the build's manifest: enough to tell which
        version of which report a build used."""

        def report(r: UnitReport) -> dict:
            return {
                "id": r.pk,
                "round": r.round_id,
                "unit": r.unit_id,
                "version": r.version,
                "approved_at": r.approved_at.isoformat() if r.approved_at else None,
                "schema": snapshots.version(r.snapshot),
            }

        return {
            "plan": self.plan.pk,
            "rounds": [r.pk for r in self.rounds],
            # The rounds' names as printed (not versioned), and what "what changed" compares with.
            "round_names": [[r.pk, r.name] for r in self.rounds],
            "compared_with_label": self.baseline_label,
            "period": [self.rounds[0].period_start.isoformat(), self.rounds[-1].period_end.isoformat()],
            "approved_reports": [[r.pk, r.version] for r in self.approved],
            "not_approved_reports": [r.pk for r in self.missing],
            "not_approved_statuses": [[r.pk, r.status] for r in self.missing],  # as listed in "About the report"
            "compared_with": [[r.pk, r.version] for r in self.baseline],
            "reports": [report(r) for r in [*self.approved, *self.baseline]],
            "goals": sorted([pk, code] for pk, (code, _title) in self.goals.items()),
            # The committees as named when the report was built (the chapters print their names now).
            "units": sorted({r.unit_id: r.unit.name for r in [*self.approved, *self.baseline, *self.missing]}.items()),
        }


def _baseline(report: CouncilReport, rounds: list[Round]) -> tuple[Round | None, str]:
    """The round to compare the latest chosen round with: the last round of the
    previous council report on the plan, else the chosen round before the
    latest, else the plan's round before the chosen ones."""
    latest = rounds[-1]
    previous = (
        CouncilReport.objects.filter(plan_id=report.plan_id, builds__status="klar")
        .exclude(pk=report.pk)
        .distinct()
        .prefetch_related(Prefetch("rounds", queryset=Round.objects.order_by("period_end")))
        .order_by("-created_at")
    )
    # A previous report covered an earlier period: its last round ended before this one's (a summary made
    # beside this report, on the same rounds, is not one). The one closest before, the newest if several.
    candidates = []
    for other in previous:
        other_rounds = list(other.rounds.all())
        if other_rounds and other_rounds[-1].period_end < latest.period_end:
            candidates.append((other_rounds[-1].period_end, other.created_at, other_rounds[-1], other))
    if candidates:
        *_order, last, other = max(candidates, key=lambda c: (c[0], c[1]))
        return last, _("the previous report to the council (%(title)s)") % {"title": other.title}
    if len(rounds) > 1:
        return rounds[-2], rounds[-2].name
    before = Round.objects.filter(plan_id=report.plan_id, period_end__lt=rounds[0].period_end).first()
    return before, before.name if before else ""


def council_sources(report: CouncilReport) -> Sources:
    rounds = list(report.rounds.order_by("period_end", "pk"))
    if not rounds:
        raise ValueError("a council report needs at least one round")
    baseline_round, baseline_label = _baseline(report, rounds)
    wanted = [r.pk for r in rounds] + ([baseline_round.pk] if baseline_round else [])
    reports = list(
        UnitReport.objects.filter(round_id__in=wanted)
        .select_related("unit", "round")
        .order_by("round__period_end", "unit__name", "pk")
    )
    chosen = {r.pk for r in rounds}
    approved = [r for r in reports if r.round_id in chosen and r.status == UnitReport.Status.APPROVED and r.snapshot]
    missing = [r for r in reports if r.round_id in chosen and r not in approved]
    baseline = [
        r
        for r in reports
        if baseline_round and r.round_id == baseline_round.pk and r.status == UnitReport.Status.APPROVED and r.snapshot
    ]
    tree = list(
        Goal.objects.filter(plan_id=report.plan_id)
        .order_by("depth", "position", "pk")
        .prefetch_related(RESPONSIBILITIES)
    )
    goals: dict[int, GoalRef] = {g.pk: (g.code, g.title) for g in tree}
    return Sources(report.plan, rounds, approved, missing, baseline, baseline_label, goals=goals, tree=tree)
