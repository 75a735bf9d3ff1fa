"""Assembling reports into the document model (reports.document).

The council report reads what the committees said from their **approved**
reports' frozen snapshots only, never from live rows, so an edit after approval
never changes a report. A needs inventory is included only when it is
published, its results are finalised (frozen) and its period overlaps the
report's: results that still move with each answer never reach a report.
Indicators, consultations and activities on temporary funding are read as they
stand on the day of the build; the build keeps the document, so what it said
can always be shown again.

Every read is a fixed number of queries, however many goals, activities and
reports there are (tested): activities come with the snapshots.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from activities.models import TEMPORARY_FUNDING, Activity
from consultations.models import Consultation
from consultations.selectors import figures, overdue_views
from followups.models import Assessment, Round, UnitReport
from followups.selectors import ReportContent, previous_approved, report_changes, report_content
from indicators.formatting import format_number
from indicators.models import Indicator, Measurement, Target
from indicators.selectors import chart_and_table
from indicators.tracking import assess
from inventories.models import Inventory
from inventories.selectors import inventory_results
from inventories.tables import result_tables
from plans.models import Goal, Plan, PlanLevel
from plans.selectors import RESPONSIBILITIES

from .document import BulletList, Chart, Document, Heading, Paragraph, Table
from .models import CouncilReport

Progress = Callable[[int, str], None]


def _date(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _iso(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _paragraphs(text: str, *, style: str = "") -> list[Paragraph]:
    """Text written in a form as paragraphs (separated by blank lines)."""
    chunks = [c.strip() for c in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(c, style=style) for c in chunks if c]


# --- What the council report is built from ----------------------------------------


@dataclass
class Sources:
    plan: Plan
    rounds: list[Round]
    approved: list[UnitReport]  # in the chosen rounds, by round then unit
    missing: list[UnitReport]  # in the chosen rounds but not approved: not used
    baseline: list[UnitReport]  # the approved reports to compare with ("what changed")
    baseline_label: str
    _contents: dict[int, ReportContent] = field(default_factory=dict)

    def content(self, report: UnitReport) -> ReportContent:
        """What an approved report said (its snapshot), read once."""
        if report.pk not in self._contents:
            self._contents[report.pk] = ReportContent.from_snapshot(report.snapshot)
        return self._contents[report.pk]

    def as_json(self) -> dict:
        return {
            "plan": self.plan.pk,
            "rounds": [r.pk for r in self.rounds],
            "approved_reports": [[r.pk, r.version] for r in self.approved],
            "not_approved_reports": [r.pk for r in self.missing],
            "compared_with": [[r.pk, r.version] for r in self.baseline],
        }


def _baseline(report: CouncilReport, rounds: list[Round]) -> tuple[Round | None, str]:
    """The round to compare the latest chosen round with: the last round of the
    previous council report on the plan, else the chosen round before the
    latest, else the plan's round before the chosen ones."""
    latest = rounds[-1]
    previous = (
        CouncilReport.objects.filter(plan_id=report.plan_id, builds__status="klar")
        .exclude(pk=report.pk)
        .prefetch_related(Prefetch("rounds", queryset=Round.objects.order_by("period_end")))
        .order_by("-created_at")
    )
    for other in previous:
        other_rounds = [r for r in other.rounds.all() if r.period_end < latest.period_end]
        if other_rounds:
            return other_rounds[-1], _("the previous report to the council (%(title)s)") % {"title": other.title}
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
    return Sources(report.plan, rounds, approved, missing, baseline, baseline_label)


# --- The council report --------------------------------------------------------------


def council_document(report: CouncilReport, *, progress: Progress | None = None) -> tuple[Document, dict]:
    """The council report as a document, and what it was built from."""
    step = progress or (lambda _percent, _text: None)
    with translation.override("sv"):
        return _council_document(report, step)


def _council_document(report: CouncilReport, step: Progress) -> tuple[Document, dict]:
    plan = Plan.objects.select_related("municipality").get(pk=report.plan_id)
    municipality = plan.municipality
    src = council_sources(report)
    rounds = src.rounds
    period_start, period_end = rounds[0].period_start, rounds[-1].period_end
    today = timezone.localdate()
    units = sorted({r.unit.pk: r.unit for r in src.approved}.values(), key=lambda u: u.name)

    doc = Document(
        title=report.title,
        subtitle=_("Follow-up report to the municipal council"),
        municipality=municipality.name,
        date=_date(today),
        facts=[
            (_("Plan"), plan.title),
            (_("Period"), f"{_date(period_start)} – {_date(period_end)}"),
            (_("Follow-ups"), ", ".join(r.name for r in rounds)),
            (
                _("Built from"),
                _("%(reports)d approved reports from %(units)d committees and boards")
                % {"reports": len(src.approved), "units": len(units)},
            ),
        ],
    )
    step(15, _("Reading the approved reports"))

    doc.add(Heading(1, _("Summary")))
    doc.add(*(_paragraphs(report.summary) or [Paragraph(_("The summary has not been written."), style="note")]))

    doc.add(Heading(1, _("About the report")))
    if plan.overall_goal:
        doc.add(Paragraph(plan.overall_goal, label=_("The plan's overall goal:"), style="lead"))
    doc.add(
        Paragraph(
            _(
                "The report follows up %(plan)s for %(period)s. What the committees and boards report is taken "
                "from their approved follow-up reports, as they were when approved. Needs inventories are included "
                "with their finalised results, when published for the period. Indicators and consultations are as "
                "registered on %(today)s."
            )
            % {"plan": plan.title, "period": f"{_date(period_start)} – {_date(period_end)}", "today": _date(today)}
        )
    )
    if src.missing:
        doc.add(
            Paragraph(
                _("These reports were not approved when the report was built and are not included:"), style="note"
            ),
            BulletList([f"{r.round.name}: {r.unit.name} ({r.get_status_display()})" for r in src.missing]),
        )

    step(25, _("Goals and assessments"))
    _goal_chapters(doc, plan, src, full=report.detail == CouncilReport.Detail.FULL)
    step(45, _("Indicators"))
    full = report.detail == CouncilReport.Detail.FULL
    _indicator_chapter(doc, plan, period_end, charts=full)
    step(55, _("Consultations"))
    _consultation_chapter(doc, municipality, period_start, period_end, today)
    inventories = _inventory_chapter(doc, plan, period_start, period_end)
    _funding_chapter(doc, plan, full=full)
    _changes_chapter(doc, src, full=full)

    doc.add(Heading(1, _("Analysis")))
    doc.add(*(_paragraphs(report.analysis) or [Paragraph(_("The analysis has not been written."), style="note")]))
    doc.add(Heading(1, _("Conclusions and next steps")))
    doc.add(
        *(_paragraphs(report.conclusions) or [Paragraph(_("The conclusions have not been written."), style="note")])
    )
    sources = src.as_json()
    sources["inventories"] = [[i.pk, _iso(i.finalised_on)] for i in inventories]
    return doc, sources


def _latest_by_unit(src: Sources) -> dict[int, tuple[UnitReport, ReportContent]]:
    """Each unit's report in the latest chosen round it has an approved report in."""
    return {r.unit_id: (r, src.content(r)) for r in src.approved}  # ordered by round: the latest wins


def _goal_chapters(doc: Document, plan: Plan, src: Sources, *, full: bool) -> None:
    goals = list(plan.goals.order_by("depth", "position", "pk").prefetch_related(RESPONSIBILITIES))
    levels = {lv.depth: lv.name for lv in PlanLevel.objects.filter(plan=plan)}
    children: dict[int | None, list[Goal]] = defaultdict(list)
    for g in goals:
        children[g.parent_id].append(g)

    # What each unit said on each goal, round by round; activities from each unit's latest report.
    assessments: dict[str, dict[int, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))  # code → unit → round
    texts: dict[str, list[tuple[str, str, str, list[tuple[str, str]]]]] = defaultdict(list)
    activities: dict[str, list[list[str]]] = defaultdict(list)
    unit_names: dict[int, str] = {}
    for r in src.approved:
        unit_names[r.unit_id] = r.unit.name
        for e in src.content(r).entries:
            assessments[e.code][r.unit_id][r.round_id] = e.assessment_label
    for r, content in _latest_by_unit(src).values():
        for e in content.entries:
            if e.result or e.challenges or any(answer for _q, answer in e.extra):
                texts[e.code].append((r.unit.name, e.result, e.challenges, [x for x in e.extra if x[1]]))
        for a in content.activities:
            for code in a.goals:
                activities[code].append([a.reference, a.title, r.unit.name, a.status])

    doc.add(Heading(1, _("Results by focus area and goal")))
    if full:
        intro = _(
            "For every goal: each responsible committee's assessment in each follow-up, what it reports as "
            "results and challenges in its latest approved report, and its activities with their status."
        )
    else:
        intro = _(
            "For every goal: how many committees assessed it as met, partly met, not met or not assessed in "
            "each follow-up, and their activities by status. Each committee's results and challenges are in "
            "its own follow-up report."
        )
    doc.add(Paragraph(intro))
    round_names = [r.name for r in src.rounds]
    levels_order = [str(label) for _value, label in Assessment.choices]

    def goal_block(goal: Goal) -> None:
        level = levels.get(goal.depth, "")
        doc.add(Heading(2 if goal.depth == 1 else 3, f"{goal.code} {goal.title}"))
        if level or goal.get_kind_display():
            doc.add(Paragraph(" · ".join(x for x in (level, str(goal.get_kind_display() or "")) if x), style="note"))
        responsible = [resp.short_name for resp in goal.responsibilities.all()]
        if responsible or goal.all_units:
            names = ([_("All committees and boards")] if goal.all_units else []) + responsible
            doc.add(Paragraph(", ".join(names), label=_("Responsible:"), style="note"))
        by_unit = assessments.get(goal.code, {})
        acts = activities.get(goal.code)
        if by_unit:
            rows = [
                [unit_names[u], *(rounds_.get(r.pk, "–") for r in src.rounds)]
                for u, rounds_ in sorted(by_unit.items(), key=lambda item: unit_names[item[0]])
            ]
            doc.add(
                Table(
                    _("Assessment of goal %(code)s") % {"code": goal.code},
                    [_("Committee or board"), *round_names],
                    rows,
                    widths=[3, *[2] * len(round_names)],
                )
            )
        for unit_name, result, challenges, extra in texts.get(goal.code, []):
            doc.add(Heading(4, unit_name))
            if result:
                doc.add(Paragraph(result, label=_("Results:"), style="quote"))
            if challenges:
                doc.add(Paragraph(challenges, label=_("Challenges:"), style="quote"))
            for question, answer in extra:
                doc.add(Paragraph(answer, label=f"{question}:", style="quote"))
        if acts:
            doc.add(
                Table(
                    _("Activities for goal %(code)s") % {"code": goal.code},
                    [_("Reference"), _("Activity"), _("Committee or board"), _("Status")],
                    sorted(acts),
                    widths=[2, 6, 3, 2],
                )
            )
        if not by_unit and not acts:
            doc.add(Paragraph(_("Nothing was reported on this goal in the period."), style="note"))
        for child in children.get(goal.pk, []):
            goal_block(child)

    if full:
        for root in children.get(None, []):
            goal_block(root)
        return

    # The summary: a table per focus area, a row per goal under it.
    latest, first = src.rounds[-1], src.rounds[0]
    header = [_("Goal"), *levels_order, _("Activities")]
    if first != latest:
        header.insert(-1, _("Met in %(round)s") % {"round": first.name})

    def descendants(goal: Goal) -> list[Goal]:
        out = []
        for child in children.get(goal.pk, []):
            out += [child, *descendants(child)]
        return out

    for root in children.get(None, []):
        doc.add(Heading(2, f"{root.code} {root.title}"))
        rows = []
        for goal in [root, *descendants(root)]:
            by_unit = assessments.get(goal.code, {})
            acts = activities.get(goal.code, [])
            if not by_unit and not acts:
                continue
            now = Counter(rounds_.get(latest.pk) for rounds_ in by_unit.values())
            row = [f"{goal.code} {goal.title}", *(str(now[label]) for label in levels_order)]
            if first != latest:
                row.append(str(sum(1 for rounds_ in by_unit.values() if rounds_.get(first.pk) == levels_order[0])))
            rows.append([*row, str(len(acts))])
        if rows:
            doc.add(
                Table(
                    _("Number of committees per assessment in %(round)s, and activities") % {"round": latest.name},
                    header,
                    rows,
                    widths=[8, *[1] * (len(header) - 1)],
                    numeric=list(range(1, len(header))),
                )
            )
        else:
            doc.add(Paragraph(_("Nothing was reported on this focus area in the period."), style="note"))


def _indicator_chapter(doc: Document, plan: Plan, until: date, *, charts: bool) -> None:
    indicators = list(
        Indicator.objects.filter(goals__plan=plan)
        .distinct()
        .select_related("baseline", "responsible_unit")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("date")),
            Prefetch("goals", queryset=Goal.objects.filter(plan=plan).order_by("depth", "position", "pk")),
            Prefetch("measurements", queryset=Measurement.objects.filter(period_end__lte=until).order_by("period_end")),
        )
        .order_by("name", "pk")
    )
    doc.add(Heading(1, _("Indicators")))
    if not indicators:
        doc.add(Paragraph(_("No indicator follows the plan's goals."), style="note"))
        return
    doc.add(
        Paragraph(
            _("The latest value is the latest measurement up to %(date)s; the assessment follows the planned path.")
            % {"date": _date(until)}
        )
    )

    def value(v, b=None) -> str:
        if v is not None:
            return format_number(v)
        return "" if b is None else (_("yes") if b else _("no"))

    rows = []
    drawn = []
    for n, ind in enumerate(indicators, start=1):
        baseline = ind.baseline_or_none
        targets = list(ind.targets.all())
        measurements = list(ind.measurements.all())
        latest = measurements[-1] if measurements else None
        target = next((t for t in targets if t.date >= until), targets[-1] if targets else None)
        track = assess(ind, latest=latest, targets=[(t.date, t.value) for t in targets]).effective
        rows.append(
            [
                ind.name,
                ", ".join(g.code for g in ind.goals.all()),
                f"{value(baseline.value, baseline.value_bool)} ({_iso(baseline.date)})" if baseline else "–",
                f"{format_number(target.value)} ({_iso(target.date)})" if target else "–",
                f"{value(latest.value, latest.value_bool) or latest.value_text} ({_iso(latest.period_end)})"
                if latest
                else "–",
                str(track.label),
            ]
        )
        if charts and ind.is_number:
            chart = _indicator_chart(ind, baseline, targets, measurements, n)
            if chart:
                drawn.append(chart)
    doc.add(
        Table(
            _("Indicators with baseline, target and latest value"),
            [_("Indicator"), _("Goals"), _("Baseline"), _("Target"), _("Latest value"), _("Assessment")],
            rows,
            widths=[5, 2, 3, 3, 3, 2],
        )
    )
    if drawn:
        doc.add(Heading(2, _("Indicators over time")))
        doc.add(*drawn)
    elif not charts:
        doc.add(
            Paragraph(_("Each indicator's chart and every measurement are on its page in Inkludera."), style="note")
        )


def _indicator_chart(ind: Indicator, baseline, targets, measurements, n: int) -> Chart | None:
    chart, table = chart_and_table(ind, baseline, targets, measurements)
    if chart is None:
        return None
    svg = render_to_string(
        "indicators/_chart_svg.html", {"chart": chart, "indicator": ind, "chart_id": f"indicator-{n}"}
    ).strip()
    unit = f" ({ind.unit})" if ind.unit else ""
    return Chart(
        ind.name,
        svg,
        Table(
            _("%(name)s: the chart's numbers") % {"name": ind.name},
            [_("Date"), _("What"), _("Value") + unit],
            [[_iso(row.when), str(row.what), format_number(row.value)] for row in table if row.value is not None],
            widths=[2, 2, 2],
            numeric=[2],
        ),
    )


def _consultation_chapter(doc: Document, municipality, start: date, end: date, today: date) -> None:
    doc.add(Heading(1, _("Consultations and feedback")))
    doc.add(
        Paragraph(
            _(
                "Consultations held with Roma representatives, per committee and year, and whether the views raised "
                "were given feedback within %(days)d days of the decision."
            )
            % {"days": municipality.feedback_days}
        )
    )
    forms = [str(label) for _value, label in Consultation.Form.choices]
    for year in range(start.year, end.year + 1):
        rows = figures(municipality, year, today=today)
        doc.add(Heading(2, _("Consultations %(year)d") % {"year": year}))
        if not rows:
            doc.add(Paragraph(_("No consultations were held."), style="note"))
            continue
        table_rows = []
        totals = [0] * (len(forms) + 5)
        for r in rows:
            counts = [r.held_by_form.get(f, 0) for f in forms]
            numbers = [r.held, *counts, r.views, r.answered_in_time, r.answered_late, r.overdue]
            totals = [a + b for a, b in zip(totals, numbers, strict=True)]
            share = r.share_in_time
            table_rows.append([r.unit.name, *map(str, numbers), "–" if share is None else f"{share} %"])
        answered = totals[-3] + totals[-2] + totals[-1]
        share = f"{round(100 * totals[-3] / answered)} %" if answered else "–"
        table_rows.append([_("Total"), *map(str, totals), share])
        doc.add(
            Table(
                _("Consultations and feedback per committee, %(year)d") % {"year": year},
                [
                    _("Committee or board"),
                    _("Held"),
                    *forms,
                    _("Views"),
                    _("Feedback in time"),
                    _("Feedback late"),
                    _("Overdue"),
                    _("Share in time"),
                ],
                table_rows,
                widths=[4, *[1] * (len(forms) + 6)],
                numeric=list(range(1, len(forms) + 7)),
            )
        )
    overdue = overdue_views(municipality, today=today)
    doc.add(Heading(2, _("Views still waiting for feedback")))
    if not overdue:
        doc.add(Paragraph(_("No view is overdue."), style="note"))
    else:
        doc.add(
            Table(
                _("Views without final feedback more than %(days)d days after the decision")
                % {"days": municipality.feedback_days},
                [_("Consultation"), _("Question"), _("Responsible"), _("Decision date"), _("Days overdue")],
                [
                    [
                        v.item.consultation.title,
                        v.item.question,
                        v.item.responsible_unit.name if v.item.responsible_unit else "",
                        _iso(v.item.decision_date),
                        str((today - v.item.decision_date).days - municipality.feedback_days),
                    ]
                    for v in overdue
                ],
                widths=[4, 5, 3, 2, 1],
                numeric=[4],
            )
        )


def inventory_period(inventory: Inventory) -> tuple[date, date] | None:
    """The days an inventory covers: from its start to its end; a missing end is
    the day its results were finalised, a missing start its end. None when it
    has neither and is not finalised."""
    end = inventory.ends_on or inventory.finalised_on
    start = inventory.starts_on or end
    if start is None or end is None:
        return None
    return start, max(start, end)


def report_inventories(plan: Plan, start: date, end: date) -> list[Inventory]:
    """The needs inventories a council report on the plan for start–end shows:
    linked to the plan, published, with finalised results, and covering part of
    the period. One query."""
    found = []
    for inventory in Inventory.objects.filter(plan=plan, published=True).select_related("municipality"):
        period = inventory_period(inventory)
        if inventory.results_are_public() and period and period[0] <= end and period[1] >= start:
            found.append(inventory)
    return sorted(found, key=lambda i: (inventory_period(i)[0], i.pk))


def _inventory_chapter(doc: Document, plan: Plan, start: date, end: date) -> list[Inventory]:
    doc.add(Heading(1, _("Needs inventories")))
    inventories = report_inventories(plan, start, end)
    if not inventories:
        doc.add(
            Paragraph(
                _("No needs inventory of the plan has published, finalised results for the period."), style="note"
            )
        )
        return []
    for inventory in inventories:
        results = inventory_results(inventory, public=True)
        doc.add(Heading(2, inventory.name))
        if inventory.purpose:
            doc.add(Paragraph(inventory.purpose))
        doc.add(Paragraph(_("Results finalised on %(date)s.") % {"date": _date(inventory.finalised_on)}, style="note"))
        doc.add(
            Paragraph(
                _(
                    "%(respondents)s survey answers and %(meetings)d dialogue meetings. Counts below %(k)d are "
                    "hidden, as in every result from the system."
                )
                % {"respondents": results.respondents, "meetings": results.meetings, "k": results.k},
                style="note",
            )
        )
        for table in result_tables(results):
            doc.add(
                Table(
                    table.title,
                    [str(h) for h in table.header],
                    [[str(v) for v in row] for row in table.rows],
                    widths=[4, *[1] * (len(table.header) - 1)],
                    numeric=list(range(1, len(table.header))),
                )
            )
        if results.plan_shown:
            gaps = [t.theme.name for t in results.themes if t.gap]
            if gaps:
                doc.add(
                    Paragraph(_("Needs with no goal in the plan, or no activity under its goals:"), style="note"),
                    BulletList(gaps),
                )
        quotes = [q.text for t in results.themes for q in t.quotes][:5]
        if quotes:
            doc.add(Paragraph(_("In the participants' words:"), style="note"))
            doc.add(*(Paragraph(f"”{q}”", style="quote") for q in dict.fromkeys(quotes)))
    return inventories


def _funding_chapter(doc: Document, plan: Plan, *, full: bool) -> None:
    doc.add(Heading(1, _("Activities on temporary funding")))
    acts = list(
        Activity.objects.filter(plan=plan, funding__in=TEMPORARY_FUNDING)
        .select_related("owner", "status", "municipality")
        .order_by("funding_ends", "number")
    )
    if not acts:
        doc.add(Paragraph(_("No activity runs on temporary funding."), style="note"))
        return
    doc.add(
        Paragraph(
            _(
                "Activities that rest on state grants or other temporary money: the work stops when it ends unless "
                "it moves to the ordinary budget."
            )
        )
    )
    if full:
        doc.add(
            Table(
                _("Activities on temporary funding"),
                [_("Reference"), _("Activity"), _("Committee or board"), _("Funding"), _("Funding ends"), _("Status")],
                [
                    [a.reference, a.title, a.owner.name, str(a.get_funding_display()), _iso(a.funding_ends),
                     a.status.name]
                    for a in acts
                ],
                widths=[2, 5, 3, 2, 2, 2],
            )
        )  # fmt: skip
        return
    years = sorted({a.funding_ends.year for a in acts if a.funding_ends})
    counts: dict[str, Counter] = defaultdict(Counter)
    for a in acts:
        counts[a.owner.name][a.funding_ends.year if a.funding_ends else None] += 1
    doc.add(
        Table(
            _("Activities on temporary funding per committee, by the year the funding ends"),
            [_("Committee or board"), *map(str, years), _("No end date"), _("Total")],
            [
                [name, *(str(c[y]) for y in years), str(c[None]), str(sum(c.values()))]
                for name, c in sorted(counts.items())
            ],
            widths=[4, *[1] * (len(years) + 2)],
            numeric=list(range(1, len(years) + 3)),
        )
    )


RANK = {str(Assessment.MET.label): 3, str(Assessment.PARTLY.label): 2, str(Assessment.NOT_MET.label): 1}


def _changes_chapter(doc: Document, src: Sources, *, full: bool) -> None:
    doc.add(Heading(1, _("Changes since the previous follow-up")))
    if not src.baseline:
        doc.add(Paragraph(_("There is no earlier approved follow-up to compare with."), style="note"))
        return
    latest = src.rounds[-1]
    doc.add(
        Paragraph(
            _(
                "What the committees' approved reports in %(latest)s say differently from %(previous)s: "
                "assessments, activities' status, and activities that are new or no longer reported."
            )
            % {"latest": latest.name, "previous": src.baseline_label}
        )
    )
    before = {r.unit_id: src.content(r) for r in src.baseline}
    texts = (_("Results"), _("Challenges"))  # changed texts are not repeated: the goals have the new ones
    rows: list[list[str]] = []
    tally: dict[str, Counter] = defaultdict(Counter)
    for r in src.approved:
        if r.round_id != latest.pk or r.unit_id not in before:
            continue
        for change in report_changes(src.content(r), before[r.unit_id]):
            if change.field in texts:
                continue
            rows.append([r.unit.name, f"{change.what} {change.title}", change.field, change.before, change.after])
            if change.field == _("Assessment"):
                old, new = RANK.get(change.before, 0), RANK.get(change.after, 0)
                key = "better" if old and new > old else "worse" if new and old > new else "other"
            elif change.field == _("Status"):
                key = "status"
            else:
                key = "gone" if change.after == _("no longer reported") else "new"
            tally[r.unit.name][key] += 1
    if not rows:
        doc.add(Paragraph(_("Nothing has changed."), style="note"))
    elif full:
        doc.add(
            Table(
                _("Changes since %(previous)s") % {"previous": src.baseline_label},
                [_("Committee or board"), _("Goal or activity"), _("What"), _("Before"), _("Now")],
                rows,
                widths=[3, 5, 2, 2, 2],
            )
        )
    else:
        keys = ["better", "worse", "other", "status", "new", "gone"]
        doc.add(
            Table(
                _("Changes since %(previous)s, per committee") % {"previous": src.baseline_label},
                [
                    _("Committee or board"),
                    _("Goals assessed better"),
                    _("Goals assessed worse"),
                    _("Other changed assessments"),
                    _("Activities with a new status"),
                    _("New activities"),
                    _("Activities no longer reported"),
                ],
                [[name, *(str(c[k]) for k in keys)] for name, c in sorted(tally.items())],
                widths=[4, 2, 2, 2, 2, 2, 2],
                numeric=[1, 2, 3, 4, 5, 6],
            )
        )


# --- One committee's report in a round -----------------------------------------------


def unit_document(report: UnitReport) -> Document:
    """One committee's report in one round, for its own meeting: approved
    reports from their snapshot, others from the live rows, marked as drafts."""
    with translation.override("sv"):
        rnd = report.round
        content = report_content(report)
        approved = report.status == UnitReport.Status.APPROVED
        doc = Document(
            title=f"{report.unit.name}: {rnd.name}",
            subtitle=_("Follow-up of %(plan)s") % {"plan": rnd.plan.title},
            municipality=report.unit.municipality.name,
            date=_date(timezone.localdate()),
            facts=[
                (_("Plan"), rnd.plan.title),
                (_("Period"), f"{_date(rnd.period_start)} – {_date(rnd.period_end)}"),
                (_("Status"), str(report.get_status_display())),
                *([(_("Approved"), _date(timezone.localdate(report.approved_at)))] if report.approved_at else []),
            ],
            draft_mark="" if approved else _("Draft – not approved"),
        )
        doc.add(Heading(1, _("Overall comment")))
        doc.add(*(_paragraphs(content.summary) or [Paragraph(_("No overall comment."), style="note")]))
        doc.add(Heading(1, _("Goals")))
        for e in content.entries:
            doc.add(Heading(2, f"{e.code} {e.title}"))
            doc.add(Paragraph(e.assessment_label, label=_("Assessment:")))
            doc.add(Paragraph(e.result or "–", label=_("Results:")))
            doc.add(Paragraph(e.challenges or "–", label=_("Challenges:")))
            for question, answer in e.extra:
                doc.add(Paragraph(answer or "–", label=f"{question}:"))
        doc.add(Heading(1, _("Activities")))
        if content.activities:
            doc.add(
                Table(
                    _("The committee's activities in the period"),
                    [_("Reference"), _("Activity"), _("Goals"), _("Status"), _("Comment")],
                    [[a.reference, a.title, ", ".join(a.goals), a.status, a.comment] for a in content.activities],
                    widths=[2, 5, 2, 2, 5],
                )
            )
        else:
            doc.add(Paragraph(_("No activities in the period."), style="note"))
        previous = previous_approved(report)
        doc.add(Heading(1, _("Changes since the previous follow-up")))
        changes = report_changes(content, report_content(previous)) if previous else []
        if not previous:
            doc.add(Paragraph(_("There is no earlier approved follow-up to compare with."), style="note"))
        elif not changes:
            doc.add(Paragraph(_("Nothing has changed."), style="note"))
        else:
            doc.add(
                Table(
                    _("Changes since %(previous)s") % {"previous": previous.round.name},
                    [_("Goal or activity"), _("What"), _("Before"), _("Now")],
                    [[f"{c.what} {c.title}", c.field, c.before, c.after] for c in changes],
                    widths=[4, 2, 4, 4],
                )
            )
        return doc
