"""The two long tables of a round's page, written in Python: a large city has
dozens of unit reports and over a hundred goals in a round, and as template
loops each row costs dozens of variable lookups and a URL reversal. The markup
is the same as the loops in round_detail.html gave."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext

from lib.rows import escape_text, url_pattern

register = template.Library()


def _day(value) -> str:
    """As the template filter date:"Y-m-d" gives a date and time (in the current time zone); "—" without one."""
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else "—"


@register.simple_tag
def report_rows(reports):
    """<tr> per unit report: the unit (linked to the report), its number of goals, state, submitted and approved."""
    esc = escape_text
    url = url_pattern("followups:report").format
    late_label = esc(gettext("late"))
    late = f' <span class="late">{late_label}</span>'
    today = timezone.localdate()
    out = []
    for r in reports:
        out.append(
            "\n  <tr>"
            f'\n    <td><a href="{url(r.pk)}">{esc(r.unit.name)}</a></td>'
            f"\n    <td>{r.entry_count}</td>"
            f'\n    <td><span class="state state-{esc(r.status)}">{esc(capfirst(r.get_status_display()))}</span>'
            f"{late if r.is_late(today) else ''}</td>"
            f'\n    <td class="nowrap">{_day(r.submitted_at)}</td>'
            f'\n    <td class="nowrap">{_day(r.approved_at)}</td>'
            "\n  </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)


@register.simple_tag
def assessment_rows(assessments):
    """<tr> per goal: the goal (linked, its title cut at 80 characters) and the number of units per assessment."""
    esc = escape_text
    url = url_pattern("plans:goal").format
    out = []
    for row in assessments:
        goal = row.goal
        counts = "".join(f"<td>{n}</td>" for _code, _label, n in row.counts)
        out.append(
            f'\n  <tr><th scope="row"><a href="{url(goal.pk)}">{esc(goal.code)}</a> '
            f"{esc(Truncator(goal.title).chars(80))}</th>{counts}</tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped above)
