"""Template filters of the report's PDF template."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What cannot stand as itself in a CSS string inside an HTML <style> element:
# the string's own quote and the backslash (escaped as themselves), control
# characters and newlines (a CSS string may not hold a raw newline), and < > &
# so that no text can end the <style> element ("</style>").
_CSS_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f<>&]')


def _css_escape(match: re.Match) -> str:
    char = match.group()
    if char in '\\"':
        return "\\" + char
    if char == "\x00":
        return "\ufffd"
    # A hex escape ends with one space, which CSS swallows: "\A " is a newline.
    return f"\\{ord(char):X} "


@register.filter
def css_string(value) -> SafeString:
    """``value`` as a double-quoted CSS string, e.g. for ``content:`` in an @page margin box.

    Not ``escapejs``: CSS reads ``\\u002D`` as the letter u followed by "002D"."""
    return mark_safe('"' + _CSS_SPECIAL.sub(_css_escape, str(value)) + '"')  # noqa: S308  (every special character is escaped)
