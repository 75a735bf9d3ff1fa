"""The rows of a goal's history grid (plans/_goal_history.html), written in
Python: a goal every unit answers for has some 45 rows of 8 rounds, and as
template tags each cell cost a URL reversal and a dozen variable lookups (the
grid was more than half of the goal page's time)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from lib.rows import escape_text, url_pattern

register = template.Library()


@register.simple_tag
def history_rows(history):
    """<tr> per unit: its name (linked to the unit, "no longer responsible" if
    so), then a cell per round with the assessment (linked to the report if any)."""
    esc = escape_text
    unit_url, report_url = url_pattern("organisations:unit").format, url_pattern("followups:report").format
    # Not inside the f-string: makemessages (xgettext) does not look into f-strings.
    no_longer_text = gettext("no longer responsible")
    no_longer = f' <span class="muted">({esc(no_longer_text)})</span>'
    labels: dict[str, str] = {}
    out = []
    for row in history.rows:
        cells = []
        for cell in row.cells:
            if cell.label not in labels:
                labels[cell.label] = esc(capfirst(cell.label))
            label = labels[cell.label]
            if cell.report_id:
                label = f'<a href="{report_url(cell.report_id)}">{label}</a>'
            cells.append(f'<td class="history-cell history-{esc(cell.state)}">{label}</td>')
        out.append(
            f'<tr><th scope="row"><a href="{unit_url(row.unit.pk)}">{esc(row.unit.name)}</a>'
            f"{'' if row.responsible else no_longer}</th>{''.join(cells)}</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)
