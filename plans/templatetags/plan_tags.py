"""The plan page's goal tree, written in Python: a large plan has hundreds of
goals, and rendering each through template tags was most of the page's time.
The markup is the one the template plans/goal_tree.html had (nested lists, the
level, the responsible units and the rights areas as tags); every text from the
database is escaped by ``_e``. So are the goal tables of the unit page and a
contact's start page (``responsible_goal_rows``) and the goal filters of the
activity and indicator lists (``goal_options``)."""

import functools
import unicodedata

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from lib.rows import escape_text as _e
from lib.rows import url_pattern

from ..selectors import PlanTree

register = template.Library()


@register.simple_tag
def goal_tree(tree: PlanTree):
    """The tree's goals as nested ordered lists, labelled by the heading #goals-heading."""
    all_label = _e(_("All committees and company boards"))
    all_units = f'<span class="tag tag-all">{all_label}</span>'
    co_label = _e(_("co-responsible"))
    co_note = f' <span class="visually-hidden">({co_label})</span><span aria-hidden="true">*</span>'
    responsible_label = _e(_("Responsible"))
    responsible = f'<span class="visually-hidden">{responsible_label}: </span>'
    areas_text = _e(_("Rights areas"))
    areas_label = f'<span class="visually-hidden">{areas_text}: </span>'
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
                    f'<span class="tag tag-co">{_e(r.name)}{co_note}</span>'
                    if r.role == "co"
                    else f'<span class="tag">{_e(r.name)}</span>'
                    for r in resps
                )
                parts.append(f'<p class="responsible">{responsible}{all_units if goal.all_units else ""}{tags}</p>')
            if areas:
                tags = "".join(f'<span class="tag tag-area">{_e(capfirst(name))}</span>' for name in areas)
                parts.append(f'<p class="responsible">{areas_label}{tags}</p>')
            parts.append("</div>")
        parts.append("<ol>" if node.children else "</li>")
        parts.append("</ol></li>" * row.closes)
    parts.append("</ol>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every text in it is escaped by _e


def truncate(text: str, length: int) -> str:
    """As the truncatechars filter, without its cost for the usual text that fits
    and, for a longer one, after the first time (goal titles recur on every view)."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= length else _shortened(text, length, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _shortened(text: str, length: int, language: str | None) -> str:
    return Truncator(text).chars(length)  # its ellipsis is translated: the language is part of the key


def responsible_tags(goal) -> str:
    """The goal's responsible units and groups as tags (co-responsible marked),
    escaped: the markup plans/responsible_tags.html had. Reads ``goal.responsible``
    (plans.selectors.goals_for_units)."""
    co = _e(_("co-responsible"))
    all_label = _e(_("All committees and company boards"))
    parts = [f'<span class="tag tag-all">{all_label}</span>'] if goal.all_units else []
    for resp in goal.responsible:
        if resp.role == "co":
            parts.append(
                f'<span class="tag tag-co" title="{co}">{_e(resp.name)} '
                f'<span class="visually-hidden">({co})</span><span aria-hidden="true">*</span></span>'
            )
        else:
            parts.append(f'<span class="tag">{_e(resp.name)}</span>')
    return "".join(parts)


@register.simple_tag
def responsible_goal_rows(goals):
    """One table row per goal: plan, code, the goal linked, who answers for it
    (the unit page's and a contact's start page's goal tables, hundreds of rows
    for a large committee)."""
    url = url_pattern("plans:goal")
    rows = [
        f"<tr><td>{_e(goal.plan.title)}</td><td>{_e(goal.code)}</td>"
        f'<td><a href="{_e(url.format(goal.pk))}">{_e(goal.title)}</a></td>'
        f"<td>{responsible_tags(goal)}</td></tr>"
        for goal in goals
    ]
    return mark_safe("\n".join(rows))  # noqa: S308 - every text in it is escaped by _e


@register.simple_tag
def goal_options(goals, selected, length):
    """A goal filter's options: each goal's code and title (shortened to
    ``length`` characters, as truncatechars), the chosen one selected."""
    chosen_pk = selected.pk if selected is not None else None
    options = []
    for g in goals:
        chosen = " selected" if g.pk == chosen_pk else ""
        options.append(f'<option value="{g.pk}"{chosen}>{_e(g.code)} {_e(truncate(g.title, length))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every text in it is escaped by _e
