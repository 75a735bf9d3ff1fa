"""Forms that guide (DEVELOPERS.md): the error summary's lines and the title's
"Error: " (lib/errorsummary.py)."""

from django import template
from django.utils.translation import gettext

from lib.errorsummary import has_errors, summary_items

register = template.Library()


@register.simple_tag
def error_summary(*forms_and_formsets):
    """{% error_summary form formset as items %}: [SummaryItem(text, href)]."""
    return summary_items(*forms_and_formsets)


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    """Before the page's title in base.html: "Error: " when the page shows a form with errors."""
    return gettext("Error: ") if has_errors(context) else ""
