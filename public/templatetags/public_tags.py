"""Template tags of the public pages.

``{% purl "goal" goal.pk %}`` is the address of a public page of this
municipality in this page's language. ``{% text shown "p" %}`` writes a text
the municipality wrote inside an element that says its language, always: the
language asked for, or ``sv`` where the Swedish text stands in.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import format_html

register = template.Library()

# The elements a text may be written in.
ELEMENTS = {"p", "span", "div", "h1", "h2", "h3", "h4", "li", "td", "th", "dd", "dt", "blockquote", "strong"}


@register.simple_tag(takes_context=True)
def purl(context, name, pk=None, language=None):
    return context["public"].url(name, pk, language=language)


@register.simple_tag
def text(shown, element="span", css_class=""):
    """``shown`` (public.texts.Shown) in ``<element lang="…">``; paragraphs for
    ``div``, line breaks kept for the others. Nothing for no text."""
    if shown is None:
        return ""
    if element not in ELEMENTS:
        raise template.TemplateSyntaxError(f"text: {element} is not an allowed element")
    attrs = format_html(' class="{}"', css_class) if css_class else ""
    if element == "div":
        body = linebreaks_filter(shown.text, autoescape=True)
    else:
        body = linebreaksbr(shown.text, autoescape=True)
    return format_html('<{} lang="{}"{}>{}</{}>', element, shown.lang, attrs, body, element)
