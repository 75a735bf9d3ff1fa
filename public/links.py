"""Links into a municipality's public site from the public pages outside it
(a survey's answering and results pages, the old inventory address): only once
the site is published, so a link never leads to a page that is not found."""

from __future__ import annotations

from django.urls import reverse

from lib.languages import BY_TAG, SWEDISH

from .models import PublicSite


def published_languages(municipality) -> list[str] | None:
    """The languages the municipality's published site offers (Swedish first),
    or None when it has no published site. One query."""
    languages = (
        PublicSite.objects.filter(municipality=municipality, published=True).values_list("languages", flat=True).first()
    )
    return None if languages is None else [SWEDISH, *languages]


def site_address(municipality, language: str = SWEDISH) -> str | None:
    """The start page of the municipality's public site, in ``language`` where
    the site offers it (else Swedish), or None when the site is not published."""
    offered = published_languages(municipality)
    if offered is None:
        return None
    kwargs = {"kod": municipality.code}
    if language in offered and language in BY_TAG and BY_TAG[language].slug:
        kwargs["lang"] = BY_TAG[language].slug
    return reverse("public:start", kwargs=kwargs)


def inventory_address(inventory) -> str | None:
    """The inventory's page on the public site, or None while the site is not
    published. Decided by the page's own selector, so it is never a dead end."""
    from .selectors.inventories import public_inventories

    municipality = inventory.municipality
    if published_languages(municipality) is None:
        return None
    if not public_inventories(municipality).filter(pk=inventory.pk).exists():
        return None
    return reverse("public:inventory", kwargs={"kod": municipality.code, "pk": inventory.pk})
