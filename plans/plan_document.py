"""A plan version as text: the remissunderlag (the plan sent on remiss, as PDF and Word
through the report document model, docs/remiss.md) and the body of the comparison
with tracked changes (plans/versions_tracked.py) are made from the same paragraphs,
so what a body reads and what Word's "Spåra ändringar" shows never disagree.

``plan_text(plan)`` reads a version in a fixed number of queries into plain
paragraphs (``Para``), each with a key that says what it is ("title",
"description", a goal's "heading", "responsible" …): two versions are compared
key by key, goal by goal (by identity, never by code). ``plan_version_document``
turns them into a ``reports.document.Document``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports.chapters.common import long_date
from reports.document import Document, Heading, Paragraph

from .models import Goal, GoalResponsibility, Plan

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def normalise(text: str) -> str:
    """A text as paragraphs joined by exactly one blank line ("\\n\\n"), each without
    leading or trailing whitespace and without whitespace at the end of a line; a
    single line break inside a paragraph stays (a line break in Word)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        chunk = "\n".join(line.rstrip() for line in chunk.strip().split("\n"))
        if chunk:
            paragraphs.append(chunk)
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class Para:
    """One item of the plan's text. ``style``: "title", "heading1"…"heading4", "lead",
    "note" or "body". ``text`` may hold several paragraphs, separated by "\\n\\n"."""

    key: str
    style: str
    text: str

    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p]


@dataclass
class GoalText:
    identity: uuid.UUID
    depth: int
    paras: list[Para] = field(default_factory=list)


@dataclass
class PlanText:
    plan: Plan
    intro: list[Para]
    goals: list[GoalText]

    def paras(self) -> list[Para]:
        return [*self.intro, *(p for g in self.goals for p in g.paras)]

    def paragraphs(self) -> list[str]:
        """Every paragraph of the version's text, in order (what Word shows)."""
        return [p for para in self.paras() for p in para.paragraphs()]


def _names(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _goal_paras(goal: Goal, level_names: dict[int, str]) -> list[Para]:
    depth = min(goal.depth, 4)
    paras = [Para("heading", f"heading{depth}", normalise(f"{goal.code} {goal.title}"))]
    level = level_names.get(goal.depth, "")
    meta = [level]
    kind = str(goal.get_kind_display()) if goal.kind else ""
    if kind and kind.casefold() != level.casefold():  # not "Resultatmål · resultatmål"
        meta.append(kind)
    areas = [area.name for area in goal.rights_areas.all()]
    if areas:
        meta.append(_("Rights areas: %(areas)s") % {"areas": ", ".join(areas)})
    meta_text = " · ".join(m for m in meta if m)
    if meta_text:
        paras.append(Para("meta", "note", meta_text))
    if goal.description:
        paras.append(Para("description", "body", normalise(goal.description)))
    if goal.guidance:
        paras.append(Para("guidance", "body", normalise(goal.guidance)))
    primary, co = [], []
    for r in goal.responsibilities.all():
        (primary if r.role == GoalResponsibility.Role.PRIMARY else co).append(r.target.name)
    if goal.all_units:
        primary.insert(0, _("all committees and company boards"))
    if primary:
        # As the plans write it (seed 002): "Särskilt ansvariga: samtliga nämnder och bolagsstyrelser."
        paras.append(Para("responsible", "body", _("Especially responsible: %(names)s.") % {"names": _names(primary)}))
    if co:
        paras.append(Para("co_responsible", "body", _("Co-responsible: %(names)s.") % {"names": _names(co)}))
    return paras


def _period(plan: Plan) -> str:
    if not plan.valid_from and not plan.valid_to:
        return ""
    start = plan.valid_from.isoformat() if plan.valid_from else ""
    end = plan.valid_to.isoformat() if plan.valid_to else ""
    return f"{start}–{end}"


def plan_text(plan: Plan) -> PlanText:
    """The version's text in Swedish, in four queries (levels, goals, their
    responsibilities, their rights areas) whatever the number of goals."""
    with translation.override("sv"):
        level_names = {level.depth: level.name for level in plan.levels.all()}
        goals = list(
            Goal.objects.filter(plan=plan)
            .order_by("depth", "position", "pk")
            .prefetch_related(
                Prefetch(
                    "responsibilities",
                    queryset=GoalResponsibility.objects.select_related("unit", "group").order_by("pk"),
                ),
                "rights_areas",
            )
        )
        children: dict[int | None, list[Goal]] = {}
        for g in goals:
            children.setdefault(g.parent_id, []).append(g)
        ordered: list[GoalText] = []

        def walk(parent_id: int | None) -> None:
            for g in children.get(parent_id, []):
                ordered.append(GoalText(identity=g.identity, depth=g.depth, paras=_goal_paras(g, level_names)))
                walk(g.pk)

        walk(None)
        intro = [Para("title", "title", normalise(plan.title))]
        period = _period(plan)
        if period:
            intro.append(Para("period", "note", _("Period: %(period)s") % {"period": period}))
        if plan.overall_goal:
            intro.append(Para("overall_goal_heading", "heading1", _("Overall goal")))
            intro.append(Para("overall_goal", "lead", normalise(plan.overall_goal)))
        if plan.description:
            intro.append(Para("description", "body", normalise(plan.description)))
        return PlanText(plan=plan, intro=intro, goals=ordered)


def _blocks(para: Para) -> list:
    if para.style.startswith("heading"):
        return [Heading(int(para.style[-1]), para.text.replace("\n", " "))]
    style = {"lead": "lead", "note": "note"}.get(para.style, "")
    return [Paragraph(text, style=style) for text in para.paragraphs()]


def plan_version_document(plan: Plan) -> Document:
    """The plan version as a report document (Swedish): the title page with the
    version's facts, the overall goal and description, then every goal under a
    heading of its level with its kind, rights areas, description, guidance and
    the units that answer for it ("Särskilt ansvariga")."""
    text = plan_text(plan)
    with translation.override("sv"):
        facts = [(_("Version"), f"{plan.version} ({plan.get_status_display()})")]
        if plan.dnr:
            facts.append((_("Reference number (dnr)"), plan.dnr))
        period = _period(plan)
        if period:
            facts.append((pgettext("how long a plan is valid", "Period"), period))
        if plan.adopted_on:
            adopted = f"{plan.adopted_by} {long_date(plan.adopted_on)}".strip()
            if plan.adopted_paragraph:
                adopted += f", {plan.adopted_paragraph}"
            facts.append((_("Adopted"), adopted))
        adopted_or_replaced = plan.status in (Plan.Status.ADOPTED, Plan.Status.REPLACED)
        doc = Document(
            title=plan.title,
            subtitle=str(plan.get_kind_display()).capitalize(),
            municipality=plan.municipality.name,
            date=long_date(timezone.localdate()),
            facts=facts,
            draft_mark="" if adopted_or_replaced else str(plan.get_status_display()).capitalize(),
        )
        for para in text.paras():
            if para.key in ("title", "period"):  # on the title page
                continue
            doc.add(*_blocks(para))
    return doc
