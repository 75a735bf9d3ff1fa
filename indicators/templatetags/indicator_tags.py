from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lib.formatting import unit_abbr
from lib.rows import escape_text as _e
from lib.rows import url_pattern
from plans.templatetags.plan_tags import truncate

from ..formatting import format_number

register = template.Library()


@register.filter
def number(value) -> str:
    """A measured value without trailing zeros, in the active language's format."""
    return format_number(value)


def latest_html(indicator, latest) -> str:
    """The latest measured value, as indicators/_latest.html."""
    if not latest:
        not_measured = _e(_("not measured yet"))
        return f'<span class="muted">{not_measured}</span>'
    if indicator.kind == "number":
        value = _e(format_number(latest.value)) + (f" {_e(indicator.unit)}" if indicator.unit else "")
    elif indicator.kind == "yes_no":
        value = _e(_("yes") if latest.value_bool else _("no"))
    else:
        value = _e(truncate(latest.value_text, 80))
    return f'{value} <span class="muted">({_e(latest.period_display)})</span>'


def track_html(track) -> str:
    """A track label, as indicators/_track.html."""
    return f'<span class="ind-track ind-track-{_e(track)}">{_e(capfirst(track.label))}</span>'


@register.simple_tag
def indicator_rows(indicators):
    """The indicator list's rows, written in Python (fifty rows of includes and
    filters were most of the page's time): the indicator linked, with the codes
    of the goals it follows (``goal_codes``, set by the view), the responsible
    unit, the latest value and the status (indicators.selectors.with_status)."""
    url = url_pattern("indicators:detail")
    goals_label = _e(_("Goals"))
    assessed_label = _e(_("assessed"))
    assessed = f' <span class="muted">({assessed_label})</span>'
    rows = []
    for indicator in indicators:
        goals = (
            f'<br><span class="muted">{goals_label}: {_e(", ".join(indicator.goal_codes))}</span>'
            if indicator.goal_codes
            else ""
        )
        assessment = indicator.assessment
        rows.append(
            f'<tr><td><a href="{_e(url.format(indicator.pk))}">{_e(indicator.name)}</a>{goals}</td>'
            f"<td>{unit_abbr(indicator.responsible_unit)}</td>"
            f"<td>{latest_html(indicator, indicator.latest)}</td>"
            f"<td>{track_html(assessment.effective)}{assessed if assessment.is_overridden else ''}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text in it is escaped by _e
