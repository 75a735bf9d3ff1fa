"""Reads for remisses: the compilation (remissammanställning) in a fixed number
of queries, whatever the number of bodies and comments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F

from plans.models import Goal
from plans.selectors import sort_in_tree_order

from .models import Answer, Body, Comment, Remiss


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
    body; and who answered what. Two queries."""
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
                group = section_groups[comment.section] = CommentGroup(
                    str(comment.get_section_display()), None, comment.section
                )
        group.comments.append(comment)
    groups: list[CommentGroup] = []
    if Comment.Section.INTRODUCTION in section_groups:
        groups.append(section_groups[Comment.Section.INTRODUCTION])
    groups += [goal_groups[g.pk] for g in sort_in_tree_order([g.goal for g in goal_groups.values()])]
    groups += [section_groups[s] for s in Comment.SECTIONS[1:] if s in section_groups]
    return Compilation(remiss=remiss, bodies=bodies, groups=groups)


def remisses_for(membership, *, plan=None):
    """The remisses a person sees in a list: all of the municipality's for
    coordinators and readers; for a unit contact, the sent ones their units answer."""
    qs = Remiss.objects.filter(municipality_id=membership.municipality_id).select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if membership.is_contact:
        qs = qs.exclude(status=Remiss.Status.DRAFT).filter(bodies__unit_id__in=membership.unit_ids).distinct()
    return qs
