"""Results by focus area and goal: what each committee's approved reports say
about each goal. Read from the approved snapshots only (reports.sources), goals
matched by id: a goal whose code changed after approval keeps its results,
shown under its code now."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followups.models import Assessment
from followups.selectors import assessment_label
from plans.models import Goal, PlanLevel
from reports.document import Document, Heading, Paragraph, Table
from reports.sources import Sources

from .common import as_of, long_date

CODES = [code for code, _label in Assessment.choices]


def add(doc: Document, *, src: Sources, full: bool) -> dict:
    plan = src.plan
    goals = src.tree  # read once for the whole document (reports.sources)
    levels = {lv.depth: lv.name for lv in PlanLevel.objects.filter(plan=plan)}
    children: dict[int | None, list[Goal]] = defaultdict(list)
    for g in goals:
        children[g.parent_id].append(g)
    # The live plan data the chapter prints (the tree, titles, levels, who answers for each goal), for the manifest.
    read = {
        "goal_tree": [
            [g.pk, g.parent_id, g.position, g.code, g.title, g.kind, g.all_units,
             sorted(resp.short_name for resp in g.responsibilities.all())]
            for g in goals
        ],
        "levels": sorted([depth, name] for depth, name in levels.items()),
    }  # fmt: skip

    # What each unit said on each goal (by id), round by round; activities from each unit's latest report.
    assessments: dict[int, dict[int, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))  # goal→unit→round
    texts: dict[int, list[tuple[str, str, str, list[tuple[str, str]]]]] = defaultdict(list)
    activities: dict[int, list[list[str]]] = defaultdict(list)
    unit_names: dict[int, str] = {}
    for r in src.approved:
        unit_names[r.unit_id] = r.unit.name
        for e in src.content(r).entries:
            if e.goal_id is not None:
                assessments[e.goal_id][r.unit_id][r.round_id] = e.assessment
    for r, content in src.latest_by_unit().values():
        for e in content.entries:
            if e.goal_id is not None and (e.result or e.challenges or any(answer for _q, answer in e.extra)):
                texts[e.goal_id].append((src.reporter(r), e.result, e.challenges, [x for x in e.extra if x[1]]))
        for a in content.activities:
            for goal_id in dict.fromkeys(a.goal_ids):
                if goal_id is not None:
                    activities[goal_id].append([a.reference, a.title, src.reporter(r), a.status])

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
    doc.add(as_of(approved_as_of(src)))
    latest, first = src.rounds[-1], src.rounds[0]

    def descendants(goal: Goal) -> list[Goal]:
        out = []
        for child in children.get(goal.pk, []):
            out += [child, *descendants(child)]
        return out

    def under(goal: Goal) -> Paragraph:
        """A goal with sub-goals and no reports of its own (a focus area, an
        effect goal): how its sub-goals were assessed in the latest round."""
        below = descendants(goal)
        counts = Counter(rounds_.get(latest.pk) for g in below for rounds_ in assessments.get(g.pk, {}).values())
        acts = sum(len(activities.get(g.pk, [])) for g in below)
        through = ngettext(
            "Followed up through the goal under it.", "Followed up through the %(n)d goals under it.", len(below)
        ) % {"n": len(below)}
        if not sum(counts[c] for c in CODES) and not acts:
            none_reported = _("None of them was reported on in the period.")
            return Paragraph(f"{through} {none_reported}", style="note")
        state = _(
            "The committees' assessments of them in %(round)s: %(met)d met, %(partly)d partly met, %(not_met)d "
            "not met, %(not_assessed)d not assessed; %(activities)d activities."
        ) % {
            "round": latest.name,
            "met": counts[Assessment.MET],
            "partly": counts[Assessment.PARTLY],
            "not_met": counts[Assessment.NOT_MET],
            "not_assessed": counts[Assessment.NOT_ASSESSED],
            "activities": acts,
        }
        return Paragraph(f"{through} {state}", style="note")

    def goal_block(goal: Goal) -> None:
        level = levels.get(goal.depth, "")
        doc.add(Heading(2 if goal.depth == 1 else 3, f"{goal.code} {goal.title}"))
        if level or goal.get_kind_display():
            doc.add(Paragraph(" · ".join(x for x in (level, str(goal.get_kind_display() or "")) if x), style="note"))
        responsible = [resp.short_name for resp in goal.responsibilities.all()]
        if responsible or goal.all_units:
            names = ([_("All committees and boards")] if goal.all_units else []) + responsible
            doc.add(Paragraph(", ".join(names), label=_("Responsible:"), style="note"))
        by_unit = assessments.get(goal.pk, {})
        acts = activities.get(goal.pk)
        if by_unit:
            rows = [
                [unit_names[u], *(assessment_label(rounds_[r.pk]) if r.pk in rounds_ else "–" for r in src.rounds)]
                for u, rounds_ in sorted(by_unit.items(), key=lambda item: unit_names[item[0]])
            ]
            doc.add(
                Table(
                    _("Assessment of goal %(code)s") % {"code": goal.code},
                    [_("Committee or board"), *[r.name for r in src.rounds]],
                    rows,
                    widths=[3, *[2] * len(src.rounds)],
                )
            )
        for unit_name, result, challenges, extra in texts.get(goal.pk, []):
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
            if children.get(goal.pk):
                doc.add(under(goal))
            else:
                doc.add(Paragraph(_("Nothing was reported on this goal in the period."), style="note"))
        for child in children.get(goal.pk, []):
            goal_block(child)

    if full:
        for root in children.get(None, []):
            goal_block(root)
        return read

    # The summary: a table per focus area, a row per goal under it.
    header = [_("Goal"), *[assessment_label(c) for c in CODES], _("Activities")]
    if first != latest:
        header.insert(-1, _("Met in %(round)s") % {"round": first.name})
    for root in children.get(None, []):
        doc.add(Heading(2, f"{root.code} {root.title}"))
        rows = []
        for goal in [root, *descendants(root)]:
            by_unit = assessments.get(goal.pk, {})
            acts = activities.get(goal.pk, [])
            if not by_unit and not acts:
                continue
            now = Counter(rounds_.get(latest.pk) for rounds_ in by_unit.values())
            row = [f"{goal.code} {goal.title}", *(str(now[code]) for code in CODES)]
            if first != latest:
                row.append(str(sum(1 for rounds_ in by_unit.values() if rounds_.get(first.pk) == Assessment.MET)))
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
            doc.add(
                Paragraph(_("None of the goals under this focus area was reported on in the period."), style="note")
            )
    return read


def approved_as_of(src: Sources) -> str:
    """Which moment the committees' texts are from: their approval."""
    if not src.approved:
        return _("No approved follow-up report in the chosen rounds.")
    return _(
        "As in the committees' approved follow-up reports, each as it was when approved (the latest approved on "
        "%(date)s)."
    ) % {"date": long_date(src.last_approved_at)}
