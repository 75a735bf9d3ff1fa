"""The plan page's goal tree, written in Python: a large plan has hundreds of
goals, and rendering each through template tags was most of the page's time.
The markup is the one the template plans/goal_tree.html had (nested lists, the
level, the responsible units and the rights areas as tags); every text from the
database is escaped by ``_e``."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..selectors import PlanTree

register = template.Library()


def _e(value) -> str:
    return escape(str(value), quote=True)


@register.simple_tag
def goal_tree(tree: PlanTree):
    """The tree's goals as nested ordered lists, labelled by the heading #goals-heading."""
    all_units = f'<span class="tag tag-all">{_e(_("All committees and company boards"))}</span>'
    co_note = f' <span class="visually-hidden">({_e(_("co-responsible"))})</span><span aria-hidden="true">*</span>'
    responsible = f'<span class="visually-hidden">{_e(_("Responsible"))}: </span>'
    areas_label = f'<span class="visually-hidden">{_e(_("Rights areas"))}: </span>'
    parts = ['<ol class="goal-tree" aria-labelledby="goals-heading">']
    for row in tree.rows:
        node, goal = row.node, row.node.goal
        level = ""
        if node.level:
            kind = f" · {_e(goal.get_kind_display())}" if goal.kind and goal.kind != node.level.goal_kind else ""
            level = f'<span class="goal-level">{_e(node.level.name)}{kind}</span><br>'
        context = "" if node.matches else " goal-context"
        url = reverse("plans:goal", args=[goal.pk])
        parts.append(
            f'<li class="goal depth-{goal.depth}{context}"><div class="goal-head">'
            f'<span class="goal-code">{_e(goal.code)}</span>'
            f'<span>{level}<a class="goal-title" href="{_e(url)}">{_e(goal.title)}</a></span></div>'
        )
        resps, areas = node.responsibilities, node.rights_areas
        if goal.all_units or resps or areas:
            parts.append('<div class="goal-body">')
            if goal.all_units or resps:
                tags = "".join(
                    f'<span class="tag tag-co">{_e(r.target.name)}{co_note}</span>'
                    if r.role == "co"
                    else f'<span class="tag">{_e(r.target.name)}</span>'
                    for r in resps
                )
                parts.append(f'<p class="responsible">{responsible}{all_units if goal.all_units else ""}{tags}</p>')
            if areas:
                tags = "".join(f'<span class="tag tag-area">{_e(capfirst(a.name))}</span>' for a in areas)
                parts.append(f'<p class="responsible">{areas_label}{tags}</p>')
            parts.append("</div>")
        parts.append("<ol>" if node.children else "</li>")
        parts.append("</ol></li>" * row.closes)
    parts.append("</ol>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every text in it is escaped by _e
