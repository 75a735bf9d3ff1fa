"""{% share_gap indicator %}: on a computed indicator's page, why it has no
share for this year (competence.selectors.share_gap). Three queries."""

from django import template
from django.utils import timezone

from competence.selectors import share_gap as read_share_gap

register = template.Library()


@register.simple_tag
def share_gap(indicator) -> str:
    return read_share_gap(indicator, year=timezone.localdate().year)
