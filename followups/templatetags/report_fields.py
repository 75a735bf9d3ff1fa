"""``{{ field|field_html }}``: a bound field rendered in Python (lib.fastfields)."""

from django import template

from lib import fastfields

register = template.Library()


@register.filter
def field_html(bound_field):
    return fastfields.field_html(bound_field)
