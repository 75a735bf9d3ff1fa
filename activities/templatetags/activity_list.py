"""The activity list's table rows, written in Python: fifty rows of six cells
were most of the page's time when each cell went through template tags and
filters (the goal filter's options: plans.templatetags.plan_tags.goal_options).
The markup is the one activities/activity_list.html had; every text from the
database is escaped by ``_e``."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lib.formatting import unit_abbr
from lib.rows import escape_text as _e
from lib.rows import url_pattern

register = template.Library()


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""  # as |date:"Y-m-d"


@register.simple_tag
def activity_rows(activities):
    """One row per activity: reference, title (linked; marked when temporary
    funding is ending), responsible and co-operating units, goals, status,
    period. Reads ``goal_codes`` and ``co_unit_names`` set by the view."""
    url = url_pattern("activities:detail")
    today = timezone.localdate()
    risk_label = _e(_("Temporary funding"))
    risk = f' <span class="tag tag-risk">{risk_label}</span>'
    with_ = _e(_("with"))
    ongoing = _e(_("ongoing"))
    rows = []
    for a in activities:
        co_units = ", ".join(unit_abbr(u) for u in a.co_unit_names)
        co = f' <span class="muted">({with_} {co_units})</span>' if a.co_unit_names else ""
        goals = "".join(f'<span class="tag">{_e(code)}</span>' for code in a.goal_codes)
        period = _day(a.start_date)
        if a.start_date or a.end_date or a.ongoing:
            period += "–"
        if a.ongoing:
            period += ongoing
        elif a.end_date:
            period += _day(a.end_date)
        flag = risk if a.funding_at_risk(today) else ""
        rows.append(
            f'<tr><td class="nowrap">{_e(a.reference)}</td>'
            f'<td><a href="{_e(url.format(a.pk))}">{_e(a.title)}</a>{flag}</td>'
            f"<td>{unit_abbr(a.owner)}{co}</td>"
            f"<td>{goals}</td>"
            f'<td><span class="status sentiment-{_e(a.status.sentiment)}">{_e(a.status.name)}</span></td>'
            f'<td class="nowrap">{period}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every text in it is escaped by _e
