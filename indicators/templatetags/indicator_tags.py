from django import template

from ..formatting import format_number

register = template.Library()


@register.filter
def number(value) -> str:
    """A measured value without trailing zeros, in the active language's format."""
    return format_number(value)
