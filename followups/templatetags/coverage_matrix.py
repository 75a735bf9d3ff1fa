"""``{% coverage_cells row plan_id list_url %}``: one row of the coverage matrix's
cells, written in Python. A page has hundreds of cells; as template tags each
cost a dozen variable lookups and the localisation of three numbers."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def coverage_cells(row, plan_id: int, list_url: str):
    t_gap, t_none = escape(gettext("no activity")), escape(gettext("not responsible"))
    none = f'<td class="cell-none"><span aria-hidden="true">–</span><span class="visually-hidden">{t_none}</span></td>'
    base, goal_id = f"{escape(list_url)}?plan={plan_id}&amp;enhet=", row.goal.pk
    out = []
    for c in row.cells:
        if not c.responsible:
            out.append(none)
            continue
        gap = c.gap
        count = f'<a href="{base}{c.unit.pk}&amp;mal={goal_id}">{c.count}</a>' if c.count else "0"
        star = "*" if c.role == "co" else ""
        hidden = f'<span class="visually-hidden"> {escape(c.unit.short_name)}{": " + t_gap if gap else ""}</span>'
        assessment = f'<span class="assessment">{escape(c.assessment_label)}</span>' if c.assessment else ""
        out.append(f'<td class="{"cell-gap" if gap else "cell-some"}">{count}{star}{hidden}{assessment}</td>')
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)
