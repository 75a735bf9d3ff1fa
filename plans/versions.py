"""Comparing two versions of a plan (docs/plan-versions.md).

Pure functions over plain data: ``snapshot`` reads a version into a ``VersionData``
in a fixed number of queries; ``compare`` matches the goals of two snapshots by
identity (never by code: codes change between versions) and lists what changed;
``word_diff`` shows a text change word by word.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import Goal, GoalResponsibility, Plan

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of text in a word diff: kept (equal), added (insert) or removed (delete)."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` → ``new`` as segments, compared word by word (whitespace runs are tokens
    of their own, so a changed line break shows). Adjacent segments of one kind are
    merged; a replaced run gives its deletion before its insertion."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    out: list[Segment] = []

    def add(kind: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if out and out[-1].kind == kind:
            out[-1] = Segment(kind, out[-1].text + text)
        else:
            out.append(Segment(kind, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add(EQUAL, a[i1:i2])
        else:
            add(DELETE, a[i1:i2])
            add(INSERT, b[j1:j2])
    return out


@dataclass(frozen=True)
class GoalData:
    identity: uuid.UUID
    pk: int
    code: str
    title: str
    kind: str
    description: str
    guidance: str
    parent: uuid.UUID | None
    position: int  # among its siblings, from 0
    depth: int
    # "unit:<pk>" or "group:<pk>" → (name, role label)
    responsible: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class VersionData:
    title: str
    overall_goal: str
    description: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    goals: list[GoalData]  # tree order


def _lf(text: str) -> str:
    """Line breaks as "\n": a text saved from a browser before the forms normalised them
    (lib.forms.normalise_newlines) has CR LF, and is the same text as its copy with LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def snapshot(plan: Plan) -> VersionData:
    """A version as plain data for ``compare``, in three queries."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("depth", "position", "pk")
        .only("pk", "identity", "code", "title", "kind", "description", "guidance", "parent", "position", "depth")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=GoalResponsibility.objects.select_related("unit", "group").order_by("pk"),
            )
        )
    )
    identity = {g.pk: g.identity for g in goals}
    children: dict[int | None, list[Goal]] = {}
    for g in goals:
        children.setdefault(g.parent_id, []).append(g)
    ordered: list[GoalData] = []

    def walk(parent_id: int | None) -> None:
        for position, g in enumerate(children.get(parent_id, [])):
            ordered.append(
                GoalData(
                    identity=g.identity,
                    pk=g.pk,
                    code=g.code,
                    title=_lf(g.title),
                    kind=g.get_kind_display() if g.kind else "",
                    description=_lf(g.description),
                    guidance=_lf(g.guidance),
                    parent=identity.get(g.parent_id),
                    position=position,
                    depth=g.depth,
                    responsible={
                        (f"unit:{r.unit_id}" if r.unit_id else f"group:{r.group_id}"): (
                            r.target.name,
                            str(r.get_role_display()),
                        )
                        for r in g.responsibilities.all()
                    },
                )
            )
            walk(g.pk)

    walk(None)
    return VersionData(
        title=_lf(plan.title),
        overall_goal=_lf(plan.overall_goal),
        description=_lf(plan.description),
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        goals=ordered,
    )


@dataclass
class TextChange:
    field: str  # "title", "description", ...
    old: str
    new: str
    segments: list[Segment]


@dataclass
class ResponsibilityChanges:
    added: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    removed: list[tuple[str, str]] = field(default_factory=list)
    role_changed: list[tuple[str, str, str]] = field(default_factory=list)  # (name, old role, new role)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.role_changed)


@dataclass
class GoalChange:
    """One goal of either version and what happened to it."""

    old: GoalData | None
    new: GoalData | None
    moved: bool = False
    recoded: bool = False
    kind_changed: bool = False
    texts: list[TextChange] = field(default_factory=list)  # title, description, guidance
    responsibilities: ResponsibilityChanges = field(default_factory=ResponsibilityChanges)

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def removed(self) -> bool:
        return self.new is None

    @property
    def retitled(self) -> bool:
        return any(t.field == "title" for t in self.texts)

    @property
    def content_changed(self) -> bool:
        """The description, guidance, kind or responsibilities changed (not code nor title)."""
        return bool(any(t.field != "title" for t in self.texts) or self.kind_changed or self.responsibilities)

    @property
    def changed(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.moved
            or self.recoded
            or self.kind_changed
            or self.texts
            or self.responsibilities
        )

    @property
    def goal(self) -> GoalData:
        return self.new or self.old  # type: ignore[return-value]


@dataclass
class Comparison:
    plan_texts: list[TextChange]  # title, overall goal, description
    validity: tuple[str, str] | None  # (old period, new period) when it changed
    goals: list[GoalChange]  # every goal: the new version's order, removed ones after their old neighbour

    @property
    def changed_goals(self) -> list[GoalChange]:
        return [g for g in self.goals if g.changed]

    def of_kind(self, name: str) -> list[GoalChange]:
        return [g for g in self.goals if getattr(g, name)]

    @property
    def has_changes(self) -> bool:
        return bool(self.plan_texts or self.validity or self.changed_goals)


def _text_change(name: str, old: str, new: str) -> TextChange | None:
    if (old or "") == (new or ""):
        return None
    return TextChange(field=name, old=old or "", new=new or "", segments=word_diff(old, new))


def _period(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start.isoformat() if start else ''}–{end.isoformat() if end else ''}"


def _responsibility_changes(old: GoalData, new: GoalData) -> ResponsibilityChanges:
    out = ResponsibilityChanges()
    for key, (name, role) in new.responsible.items():
        if key not in old.responsible:
            out.added.append((name, role))
        elif old.responsible[key][1] != role:
            out.role_changed.append((name, old.responsible[key][1], role))
    for key, (name, role) in old.responsible.items():
        if key not in new.responsible:
            out.removed.append((name, role))
    return out


def _reordered(old: VersionData, new: VersionData) -> set[uuid.UUID]:
    """Goals whose place among their siblings changed: of the siblings in both versions
    under the same parent, those outside the longest run kept in order (moving one goal
    up marks that goal, not every goal it passed; adding a sibling moves nothing)."""
    common = {g.identity for g in old.goals} & {g.identity for g in new.goals}

    def siblings(version: VersionData) -> dict[uuid.UUID | None, list[uuid.UUID]]:
        out: dict[uuid.UUID | None, list[uuid.UUID]] = {}
        for g in version.goals:
            if g.identity in common:
                out.setdefault(g.parent, []).append(g.identity)
        return out

    before, after = siblings(old), siblings(new)
    moved: set[uuid.UUID] = set()
    for parent, ids in after.items():
        old_ids = [i for i in before.get(parent, []) if i in set(ids)]
        kept: set[uuid.UUID] = set()
        for block in difflib.SequenceMatcher(None, old_ids, ids, autojunk=False).get_matching_blocks():
            kept.update(ids[block.b : block.b + block.size])
        moved.update(i for i in ids if i not in kept)
    return moved


def compare_goal(old: GoalData, new: GoalData, *, reordered: bool = False) -> GoalChange:
    change = GoalChange(old=old, new=new)
    change.moved = old.parent != new.parent or reordered
    change.recoded = old.code != new.code
    change.kind_changed = old.kind != new.kind
    for name in ("title", "description", "guidance"):
        text = _text_change(name, getattr(old, name), getattr(new, name))
        if text:
            change.texts.append(text)
    change.responsibilities = _responsibility_changes(old, new)
    return change


def compare(old: VersionData, new: VersionData) -> Comparison:
    """What changed from ``old`` to ``new``. A goal is the same goal when its identity
    is; a goal counts as moved when its parent is another goal or its place among
    its siblings changed."""
    old_goals = {g.identity: g for g in old.goals}
    new_ids = {g.identity for g in new.goals}
    # Removed goals are shown after the goal that preceded them in the old version
    # (or first, when none of those is left).
    removed_after: dict[uuid.UUID | None, list[GoalData]] = {}
    previous: uuid.UUID | None = None
    for g in old.goals:
        if g.identity not in new_ids:
            removed_after.setdefault(previous, []).append(g)
        else:
            previous = g.identity
    reordered = _reordered(old, new)
    goals: list[GoalChange] = [GoalChange(old=g, new=None) for g in removed_after.get(None, [])]
    for g in new.goals:
        before = old_goals.get(g.identity)
        if before is None:
            goals.append(GoalChange(old=None, new=g))
        else:
            goals.append(compare_goal(before, g, reordered=g.identity in reordered))
        goals.extend(GoalChange(old=r, new=None) for r in removed_after.get(g.identity, []))
    plan_texts = [
        t
        for t in (
            _text_change("title", old.title, new.title),
            _text_change("overall_goal", old.overall_goal, new.overall_goal),
            _text_change("description", old.description, new.description),
        )
        if t
    ]
    old_period, new_period = _period(old.valid_from, old.valid_to), _period(new.valid_from, new.valid_to)
    validity = (old_period, new_period) if old_period != new_period else None
    return Comparison(plan_texts=plan_texts, validity=validity, goals=goals)
