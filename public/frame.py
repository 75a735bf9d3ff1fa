"""Rendering a public page: the navigation, the language list and the one-line
note on texts shown in Swedish, the same on every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .site import PublicContext
from .texts import Shown, fallback_note, fell_back, language_name

# The main navigation: (URL name, label, the URL names that count as this section).
NAV = [
    ("start", _("Start"), {"start"}),
    ("plan", _("The plan"), {"plan", "plan_detail", "goal", "activity", "indicator", "remiss"}),
    ("feedback", _("What you said, what we did"), {"feedback", "feedback_consultation"}),
    ("inventories", _("Needs inventories"), {"inventories", "inventory"}),
    ("calendar", _("Calendar"), {"calendar", "event", "consultation"}),
    ("examples", _("Practice examples"), {"examples", "example"}),
    ("rights", _("Your rights"), {"rights"}),
]


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


@dataclass(frozen=True)
class LanguageLink:
    tag: str
    url: str
    name: Shown
    current: bool
    absolute_url: str = ""  # for <link rel="alternate">, which search engines want absolute


def navigation(public: PublicContext) -> list[NavItem]:
    return [NavItem(public.url(name), str(label), public.url_name in names) for name, label, names in NAV]


def language_links(public: PublicContext, request=None) -> list[LanguageLink]:
    links = []
    for tag in public.languages:
        url = public.alternate(tag)
        absolute = request.build_absolute_uri(url) if request is not None else url
        links.append(LanguageLink(tag, url, language_name(public.site, tag), tag == public.language, absolute))
    return links


def note_if_fell_back(public: PublicContext, *texts: Shown | None) -> Shown | None:
    """The fallback line for a section holding ``texts``, or None when every
    text is in the language asked for."""
    return fallback_note(public.site, public.language) if fell_back(texts) else None


def render_page(request, public: PublicContext, template: str, context: dict | None = None, status: int = 200):
    context = {
        "public": public,
        "public_nav": navigation(public),
        "public_languages": language_links(public, request),
        **(context or {}),
    }
    return render(request, template, context, status=status)
