"""Addresses and the frame of every public page.

A municipality's public pages live at ``/<kommunkod>/`` in Swedish and at
``/<kommunkod>/<slug>/`` in another language it offers (``/0180/en/``,
``/0126/kalderash/``): the language is in the address, so no cookie keeps it.
``public_page`` wraps each view: 404 for a municipality that does not exist or
has not published its site, a redirect to the Swedish page for a language the
municipality does not offer, the page frame in the UI language, and the
headers every public page has (a strict CSP without scripts or forms, a short
public cache, gzip). See docs/public-site.md §1.7, §2 and §3.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from lib.languages import BY_SLUG, BY_TAG, SWEDISH, ui_language
from organisations.models import Municipality

from .models import PublicSite

# The public pages' Content-Security-Policy: no scripts, no forms, nothing from elsewhere.
PUBLIC_CSP = {
    "default-src": [SELF],
    "script-src": [NONE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
    "object-src": [NONE],
}
# Seconds a public page may be cached: an unpublished object is gone within this.
MAX_AGE = 60


class KommunkodConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class LanguageSlugConverter:
    # Every slug in the registry; Swedish has none ("sv" redirects, see views.swedish_redirect).
    regex = "|".join(sorted(BY_SLUG, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


@dataclass
class PublicContext:
    """What every public page knows: whose site, in which language."""

    municipality: Municipality
    site: PublicSite
    language: str  # the BCP 47 tag of the texts asked for
    url_name: str = ""
    url_kwargs: dict = field(default_factory=dict)

    @property
    def ui_language(self) -> str:
        return ui_language(self.language)

    @property
    def slug(self) -> str:
        return BY_TAG[self.language].slug

    @property
    def languages(self) -> list[str]:
        """The languages offered, Swedish first, in the registry's order."""
        offered = set(self.site.languages)
        return [SWEDISH, *[tag for tag in BY_TAG if tag in offered and tag != SWEDISH]]

    def url(self, name: str, pk=None, *, language: str | None = None) -> str:
        """The address of public page ``name`` (``start``, ``goal``…) of this
        municipality, in ``language`` (this page's by default)."""
        language = self.language if language is None else language
        kwargs = {"kod": self.municipality.code}
        slug = BY_TAG[language].slug
        if slug:
            kwargs["lang"] = slug
        if pk is not None:
            kwargs["pk"] = pk
        return reverse(f"public:{name}", kwargs=kwargs)

    def alternate(self, language: str) -> str:
        """This page in ``language``."""
        kwargs = {k: v for k, v in self.url_kwargs.items() if k != "lang"}
        slug = BY_TAG[language].slug
        if slug:
            kwargs["lang"] = slug
        return reverse(f"public:{self.url_name}", kwargs=kwargs)


def published_site(code: str) -> PublicSite:
    site = (
        PublicSite.objects.select_related("municipality")
        .prefetch_related("translations")
        .filter(municipality__code=code, published=True)
        .first()
    )
    if site is None:
        raise Http404
    return site


def public_page(view):
    """The frame of a public page view ``view(request, public, **kwargs)``."""

    @functools.wraps(view)
    @require_safe
    @gzip_page
    @csp(PUBLIC_CSP)
    def wrapper(request, kod: str, lang: str | None = None, **kwargs):
        site = published_site(kod)
        language = BY_SLUG[lang].tag if lang else SWEDISH
        match = request.resolver_match
        if language != SWEDISH and language not in site.languages:
            swedish = {k: v for k, v in match.kwargs.items() if k != "lang"}
            return HttpResponseRedirect(reverse(f"public:{match.url_name}", kwargs=swedish))
        public = PublicContext(
            municipality=site.municipality,
            site=site,
            language=language,
            url_name=match.url_name,
            url_kwargs=dict(match.kwargs),
        )
        request.public = public
        with translation.override(public.ui_language):
            response = view(request, public, **kwargs)
            if hasattr(response, "render"):
                response.render()
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapper
