"""The coordinator's start page's long tables, written in Python: a large city's
round has about 150 goals and 45 unit reports, and rendering each cell through
template tags and filters was most of the page's time. The markup is the one
home/start.html had; every text from the database is escaped by ``_e``."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lib.rows import escape_text as _e
from lib.rows import url_pattern
from plans.templatetags.plan_tags import truncate

register = template.Library()

GOAL_TITLE_LENGTH = 70  # as the template's truncatechars:70


@register.simple_tag
def assessment_rows(assessments):
    """Per goal: the goal's code (linked) and title, then the count of each
    assessment (followups.selectors.round_assessments)."""
    url = url_pattern("plans:goal")
    rows = []
    for row in assessments:
        goal = row.goal
        title = truncate(goal.title, GOAL_TITLE_LENGTH)
        cells = "".join(f"<td>{n}</td>" for _code, _label, n in row.counts)  # ints: nothing to localise
        rows.append(
            f'<tr><th scope="row"><a href="{_e(url.format(goal.pk))}">{_e(goal.code)}</a> {_e(title)}</th>{cells}</tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text in it is escaped by _e


@register.simple_tag
def round_report_rows(reports):
    """Per unit report of the round: the unit (linked to the report) and the state, late or not."""
    url = url_pattern("followups:report")
    late_label = _e(_("late"))
    late = f' <span class="late">{late_label}</span>'
    rows = [
        f'<tr><td><a href="{_e(url.format(r.pk))}">{_e(r.unit.name)}</a></td>'
        f'<td><span class="state state-{_e(r.status)}">{_e(capfirst(r.get_status_display()))}</span>'
        f"{late if r.is_late() else ''}</td></tr>"
        for r in reports
    ]
    return mark_safe("".join(rows))  # noqa: S308 - every text in it is escaped by _e
