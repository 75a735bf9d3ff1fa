"""Reads for remisses: the compilation (remissammanställning) in a fixed number
of queries, whatever the number of bodies and comments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import Goal, Plan
from plans.selectors import plan_chain, sort_in_tree_order

from .models import PLAN_TEXTS, Answer, Body, Comment, CommentChange, Remiss, change_key


@dataclass
class CommentGroup:
    """The comments on one goal, or on one section of the plan."""

    label: str
    goal: Goal | None
    section: str
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Compilation:
    remiss: Remiss
    bodies: list[Body]  # each with .answer_or_none
    groups: list[CommentGroup]

    @property
    def answered(self) -> list[Body]:
        return [b for b in self.bodies if b.answer_or_none]

    @property
    def not_answered(self) -> list[Body]:
        return [b for b in self.bodies if not b.answer_or_none]

    @property
    def late(self) -> list[Body]:
        return [b for b in self.answered if b.answer_or_none.is_late]

    @property
    def stances(self) -> list[tuple[str, int]]:
        """(stance label, number of bodies) for every stance, in the order of the choices."""
        counts = Counter(b.answer_or_none.stance for b in self.answered)
        return [(str(label), counts.get(value, 0)) for value, label in Answer.Stance.choices]

    @property
    def comments(self) -> list[Comment]:
        return [c for g in self.groups for c in g.comments]

    @property
    def handled(self) -> list[tuple[str, int]]:
        counts = Counter(c.handling for c in self.comments)
        return [(str(label), counts.get(value, 0)) for value, label in Comment.Handling.choices]


def bodies_with_answers(remiss: Remiss) -> list[Body]:
    """The remiss's bodies, units first then organisations by name, each with its
    answer (or None) as ``answer_or_none``: one query."""
    bodies = list(
        remiss.bodies.select_related("unit", "answer").order_by(F("unit__name").asc(nulls_last=True), "name", "pk")
    )
    for body in bodies:
        body.answer_or_none = getattr(body, "answer", None)
    return bodies


def compilation(remiss: Remiss) -> Compilation:
    """Every comment grouped per goal (in the plan's order) and per section, with its
    body and the changes in later versions it is linked to (``linked_changes``); and
    who answered what. Two queries, two more when comments are linked to changes."""
    bodies = bodies_with_answers(remiss)
    by_pk = {b.pk: b for b in bodies}
    comments = list(
        Comment.objects.filter(answer__body__remiss=remiss)
        .select_related("goal", "answer")
        .order_by(F("answer__body__unit__name").asc(nulls_last=True), "answer__body__name", "pk")
    )
    goal_groups: dict[int, CommentGroup] = {}
    section_groups: dict[str, CommentGroup] = {}
    for comment in comments:
        comment.body = by_pk[comment.answer.body_id]
        if comment.goal_id:
            group = goal_groups.get(comment.goal_id)
            if group is None:
                label = f"{comment.goal.code} {comment.goal.title}"
                group = goal_groups[comment.goal_id] = CommentGroup(label, comment.goal, Comment.Section.GOAL)
        else:
            group = section_groups.get(comment.section)
            if group is None:
                # A section's name stands alone as a heading: "Ansvar", "Uppföljning".
                group = section_groups[comment.section] = CommentGroup(
                    capfirst(str(comment.get_section_display())), None, comment.section
                )
        group.comments.append(comment)
    attach_changes(remiss, comments)
    groups: list[CommentGroup] = []
    if Comment.Section.INTRODUCTION in section_groups:
        groups.append(section_groups[Comment.Section.INTRODUCTION])
    groups += [goal_groups[g.pk] for g in sort_in_tree_order([g.goal for g in goal_groups.values()])]
    groups += [section_groups[s] for s in Comment.SECTIONS[1:] if s in section_groups]
    return Compilation(remiss=remiss, bodies=bodies, groups=groups)


def answer_with_comments(body: Body) -> Answer | None:
    """The body's answer with its comments in the plan's order (``sorted_comments``,
    sections after the goals, each labelled as ``label``), or None: two queries."""
    answer = Answer.objects.filter(body=body).first()
    if answer is None:
        return None
    comments = list(answer.comments.select_related("goal"))
    by_goal = {c.goal_id: c for c in comments if c.goal_id}
    ordered = [by_goal[g.pk] for g in sort_in_tree_order([c.goal for c in by_goal.values()])]
    sections = {c.section: c for c in comments if not c.goal_id}
    ordered = [sections[s] for s in Comment.SECTIONS[:1] if s in sections] + ordered
    ordered += [sections[s] for s in Comment.SECTIONS[1:] if s in sections]
    for c in ordered:
        c.label = f"{c.goal.code} {c.goal.title}" if c.goal_id else capfirst(str(c.get_section_display()))
    answer.sorted_comments = ordered
    return answer


def remisses_for(membership, *, plan=None):
    """The remisses a person sees in a list: all of the municipality's for
    coordinators and readers; for a unit contact, the sent ones their units answer."""
    qs = Remiss.objects.filter(municipality_id=membership.municipality_id).select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if membership.is_contact:
        qs = qs.exclude(status=Remiss.Status.DRAFT).filter(bodies__unit_id__in=membership.unit_ids).distinct()
    return qs


# --- Comments linked to the changes they caused (docs/remiss.md) ------------------------------


def next_version(plan: Plan) -> Plan | None:
    """The first version after ``plan`` in its chain: where the changes a remiss of
    ``plan`` caused are made. Two queries."""
    return next((p for p in plan_chain(plan) if p.version > plan.version), None)


def is_later_version(plan: Plan, version: Plan) -> bool:
    return version.pk in {p.pk for p in plan_chain(plan)} and version.version > plan.version


def change_marks(change) -> str:
    """What happened to a goal (plans.versions.GoalChange), as the compare page marks it."""
    marks = [
        label
        for on, label in (
            (change.added, _("Added")),
            (change.removed, _("Removed")),
            (change.moved, _("Moved")),
            (change.recoded, _("New code")),
            (change.retitled, _("New title")),
            (change.content_changed, _("Changed")),
        )
        if on
    ]
    return ", ".join(str(m).lower() for m in marks)


def change_options(comparison) -> list[tuple[str, str]]:
    """The changes of a comparison (plans.versions.compare) a comment can be linked to:
    (key, label) for the plan's own texts when they changed, then every changed goal
    in the comparison's order, labelled by code, title and what changed."""
    options: list[tuple[str, str]] = []
    if comparison.plan_texts:
        options.append((PLAN_TEXTS, plan_texts_label(comparison)))
    for change in comparison.changed_goals:
        g = change.goal
        options.append((change_key(g.identity), f"{g.code} {g.title} ({change_marks(change)})".strip()))
    return options


def plan_texts_label(comparison) -> str:
    names = {"title": _("Title"), "overall_goal": _("Overall goal"), "description": _("Description")}
    fields = ", ".join(str(names[t.field]).lower() for t in comparison.plan_texts)
    return _("The plan's own texts (%(fields)s)") % {"fields": fields}


PLAN_TEXTS_LABEL = gettext_lazy("The plan's own texts")


@dataclass(frozen=True)
class LinkedChange:
    """A change a comment is linked to, as the compilation shows it."""

    version: int
    label: str
    url: str  # the compare page's anchor of the change

    def __str__(self) -> str:
        return _("Change in version %(version)d: %(change)s") % {"version": self.version, "change": self.label}


def compare_anchor(old_pk: int, new_pk: int, identity) -> str:
    anchor = f"change-{identity}" if identity else "change-plan"
    return f"{reverse('plans:compare', args=[old_pk, new_pk])}#{anchor}"


def goal_labels(pairs: set[tuple[int, object]], fallback_plan_id: int) -> dict[tuple[int, object], str]:
    """ "code title" of each (version id, goal identity): the goal in that version, or, for
    a goal removed in it, in ``fallback_plan_id`` (the version sent on remiss). One query."""
    if not pairs:
        return {}
    rows = Goal.objects.filter(
        plan_id__in={v for v, _i in pairs} | {fallback_plan_id}, identity__in={i for _v, i in pairs}
    ).values_list("plan_id", "identity", "code", "title")
    found = {(plan_id, identity): f"{code} {title}".strip() for plan_id, identity, code, title in rows}
    return {(v, i): found.get((v, i)) or found.get((fallback_plan_id, i)) or str(i) for v, i in pairs}


def attach_changes(remiss: Remiss, comments: list[Comment]) -> None:
    """Give each comment ``linked_changes`` (LinkedChange, in the order they were made) and
    ``change_keys`` ({version id: set of keys}, for the handling form). Two queries when
    any comment is linked, one when none is."""
    by_pk = {c.pk: c for c in comments}
    for comment in comments:
        comment.linked_changes, comment.change_keys = [], {}
    if not comments:
        return
    links = list(
        CommentChange.objects.filter(comment__answer__body__remiss=remiss)
        .select_related("version")
        .order_by("version__version", "pk")
    )
    labels = goal_labels({(x.version_id, x.goal_identity) for x in links if x.goal_identity}, remiss.plan_id)
    for link in links:
        comment = by_pk.get(link.comment_id)
        if comment is None:
            continue
        label = labels[(link.version_id, link.goal_identity)] if link.goal_identity else PLAN_TEXTS_LABEL
        comment.linked_changes.append(
            LinkedChange(
                version=link.version.version,
                label=label,
                url=compare_anchor(remiss.plan_id, link.version_id, link.goal_identity),
            )
        )
        comment.change_keys.setdefault(link.version_id, set()).add(link.key)


@dataclass(frozen=True)
class Cause:
    """A comment behind a change, as the compare page lists it."""

    body: str
    excerpt: str
    url: str


def causes_of_changes(old: Plan, new: Plan, membership) -> dict[str, list[Cause]]:
    """The comments on ``old`` (sent on remiss) linked to changes in ``new``, per change
    key: for the compare page of exactly these two versions. Coordinators and readers
    see every body's comment and are linked to the compilation; a unit contact sees
    only their own units' comments, linked to the remiss (the compilation is not
    theirs). One query."""
    links = (
        CommentChange.objects.filter(version=new, comment__answer__body__remiss__plan=old)
        .exclude(comment__answer__body__remiss__status=Remiss.Status.DRAFT)
        .select_related("comment__answer__body__unit")
        .order_by(F("comment__answer__body__unit__name").asc(nulls_last=True), "comment__answer__body__name", "pk")
    )
    if membership.is_contact:
        links = links.filter(comment__answer__body__unit_id__in=membership.unit_ids)
    out: dict[str, list[Cause]] = {}
    for link in links:
        comment = link.comment
        body = comment.answer.body
        remiss_id = body.remiss_id
        if membership.is_contact:
            url = reverse("remiss:detail", args=[remiss_id])
        else:
            url = f"{reverse('remiss:compilation', args=[remiss_id])}#comment-{comment.pk}"
        excerpt = Truncator(" ".join(comment.text.split())).words(12)
        out.setdefault(link.key, []).append(Cause(body=body.display_name, excerpt=excerpt, url=url))
    return out
