"""Every public URL of a municipality, in every language it offers.

The access matrix, the leak test, the browser walk and the page-size benchmark
all use ``walk``, so a new page cannot escape them: each area adds the pages it
publishes to OBJECT_PAGES (a function giving ``(url name, pk)`` for every
published object) and its feeds and files to EXTRA_URLS."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .models import PublicSite
from .selectors.calendar import calendar_object_pages
from .selectors.feedback import object_pages as feedback_pages
from .selectors.inventories import inventory_files, inventory_pages
from .selectors.plan import plan_pages
from .selectors.practice import object_pages as practice_pages
from .selectors.remiss import object_pages as remiss_pages
from .site import PublicContext
from .urls import PAGES

# Pages without an object: every name in PAGES whose route has no <pk>.
OBJECT_PAGES: list[Callable[[PublicContext], Iterable[tuple[str, int]]]] = [
    plan_pages,  # published plans, their goals, public activities and indicators
    inventory_pages,  # inventories whose results are public
    feedback_pages,  # held samråd with published minutes or views
    calendar_object_pages,  # public events and calendar samråd, pages and .ics (kalender.ics is in PAGES)
    remiss_pages,  # published remisses of published plan versions
    practice_pages,  # the municipality's practice examples shown on its site
]
# Other public addresses of the municipality (iCalendar feeds, the DCAT file):
# functions (PublicContext) -> addresses, called once, for Swedish.
EXTRA_URLS: list[Callable[[PublicContext], Iterable[str]]] = [
    inventory_files,  # the inventories' CSV downloads
]


def static_pages() -> list[str]:
    return [name for route, _view, name in PAGES if "<" not in route]


def contexts(municipality) -> list[PublicContext]:
    site = PublicSite.objects.prefetch_related("translations").get(municipality=municipality)
    base = PublicContext(municipality=municipality, site=site, language="sv")
    return [PublicContext(municipality=municipality, site=site, language=tag) for tag in base.languages]


def walk(municipality, *, languages: Iterable[str] | None = None) -> list[str]:
    """Every public page address (and feed) of ``municipality``; the pages in
    each offered language (or only ``languages``)."""
    urls: list[str] = []
    every = contexts(municipality)
    chosen = [c for c in every if languages is None or c.language in set(languages)]
    for public in chosen:
        urls += [public.url(name) for name in static_pages()]
        for pages in OBJECT_PAGES:
            urls += [public.url(name, pk) for name, pk in pages(public)]
    for extra in EXTRA_URLS:
        urls += list(extra(every[0]))
    return list(dict.fromkeys(urls))


def _dcat(public: PublicContext) -> list[str]:
    """The open-data catalogue (opendata.dcat), once it exists: it needs the organisation number too."""
    from django.urls import reverse

    from opendata.dcat import missing_for_catalogue

    if missing_for_catalogue(public.municipality):
        return []
    return [reverse("opendata:dcat", args=[public.municipality.code])]


EXTRA_URLS.append(_dcat)
