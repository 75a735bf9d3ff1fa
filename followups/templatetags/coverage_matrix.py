"""``{% coverage_cells row plan_id list_url %}``: one row of the coverage matrix's
cells, written in Python. A page has hundreds of cells; as template tags each
cost a dozen variable lookups and the localisation of three numbers.

``{% coverage_unit_cells rows index plan_id list_url %}``: the same cells for the
matrix turned around (units as rows, ``?rader=enheter``): unit ``index``'s cell
in each goal row, with the same markup but for the hidden label, which names
the goal instead of the unit."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _cells(pairs, plan_id: int, list_url: str, *, label_goal: bool) -> str:
    """The cells of ``pairs`` (cell, goal), each cell labelled for a screen reader
    by its unit (goals as rows) or by its goal's code (units as rows)."""
    t_gap, t_none = escape(gettext("no activity")), escape(gettext("not responsible"))
    none = f'<td class="cell-none"><span aria-hidden="true">–</span><span class="visually-hidden">{t_none}</span></td>'
    base = f"{escape(list_url)}?plan={plan_id}&amp;enhet="
    out = []
    for c, goal in pairs:
        if not c.responsible:
            out.append(none)
            continue
        gap = c.gap
        count = f'<a href="{base}{c.unit.pk}&amp;mal={goal.pk}">{c.count}</a>' if c.count else "0"
        star = "*" if c.role == "co" else ""
        label = escape(goal.code if label_goal else c.unit.short_name)
        hidden = f'<span class="visually-hidden"> {label}{": " + t_gap if gap else ""}</span>'
        assessment = f'<span class="assessment">{escape(c.assessment_label)}</span>' if c.assessment else ""
        out.append(f'<td class="{"cell-gap" if gap else "cell-some"}">{count}{star}{hidden}{assessment}</td>')
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)


@register.simple_tag
def coverage_cells(row, plan_id: int, list_url: str):
    goal = row.goal
    return _cells(((c, goal) for c in row.cells), plan_id, list_url, label_goal=False)


@register.simple_tag
def coverage_unit_cells(rows, index: int, plan_id: int, list_url: str):
    return _cells(((row.cells[index], row.goal) for row in rows), plan_id, list_url, label_goal=True)
