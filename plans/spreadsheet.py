"""The plan as a spreadsheet: one row per goal, in tree order, with who answers
for it, its rights areas and how many activities serve it. Every row carries
the kommunkod, so sheets from several municipalities can be put together."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from lib.xlsx import Sheet, write_workbook

from .models import GoalResponsibility, Plan
from .selectors import sort_in_tree_order


def plan_workbook(plan: Plan) -> bytes:
    """Six queries, however large the plan."""
    levels = dict(plan.levels.values_list("depth", "name"))
    goals = sort_in_tree_order(
        list(
            plan.goals.select_related("plan")
            .prefetch_related("responsibilities__unit", "responsibilities__group", "rights_areas")
            .annotate(activity_count=Count("activities", distinct=True))
        )
    )
    all_units = _("all committees and company boards")
    rows = []
    for goal in goals:
        names = {GoalResponsibility.Role.PRIMARY: [], GoalResponsibility.Role.CO: []}
        if goal.all_units:
            names[GoalResponsibility.Role.PRIMARY].append(all_units)
        for resp in goal.responsibilities.all():
            names[resp.role].append((resp.unit or resp.group).name)
        rows.append(
            [
                plan.municipality.code,
                goal.code,
                levels.get(goal.depth, str(goal.depth)),
                goal.get_kind_display() if goal.kind else "",
                goal.title,
                ", ".join(names[GoalResponsibility.Role.PRIMARY]),
                ", ".join(names[GoalResponsibility.Role.CO]),
                ", ".join(area.name for area in goal.rights_areas.all()),
                goal.activity_count,
            ]
        )
    header = [
        _("Municipality code"), _("Code"), _("Level"), _("Kind of goal"), _("Title"), _("Responsible"),
        _("Co-responsible"), _("Rights areas"), _("Activities"),
    ]  # fmt: skip
    return write_workbook([Sheet(plan.title[:31], header, rows, widths=(12, 10, 16, 14, 60, 40, 40, 30, 12))])
