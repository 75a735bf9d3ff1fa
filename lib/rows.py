"""Writing long tables' rows in Python (template tags of the plan, start, list and
follow-up pages): one reverse() per table rather than per row, every text escaped."""

from html import escape

from django.urls import reverse

PLACEHOLDER = 918273645  # reversed as the argument, then replaced by "{}" (url_pattern)


def escape_text(value) -> str:
    """``value`` as text, escaped for HTML content and attribute values."""
    return escape(str(value), quote=True)


def url_pattern(name: str) -> str:
    """The address of the named URL with one integer argument, as a format string:
    one reverse() for a table's hundreds of links."""
    return reverse(name, args=[PLACEHOLDER]).replace(str(PLACEHOLDER), "{}")
