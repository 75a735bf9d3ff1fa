"""Needs inventories: the list of those with public results, and one inventory's
results, quotes and ways forward (public.selectors.inventories)."""

from __future__ import annotations

from django.utils.html import format_html

from public.frame import note_if_fell_back, render_page
from public.selectors.inventories import inventory_page, latest_public_inventory, public_inventories, swedish
from public.site import public_page


@public_page
def inventories(request, public):
    items = [
        (inventory, swedish(inventory.name, public.language)) for inventory in public_inventories(public.municipality)
    ]
    return render_page(
        request,
        public,
        "public/inventories.html",
        {"items": items, "note": note_if_fell_back(public, *[name for _inventory, name in items])},
    )


@public_page
def inventory(request, public, pk):
    page = inventory_page(public, pk)
    notes = {
        "intro": note_if_fell_back(public, page.name, page.purpose),
        "themes": note_if_fell_back(public, *page.theme_names),
        "ages": note_if_fell_back(public, *page.age_labels),
        "theme_age": note_if_fell_back(public, *page.theme_names, *page.age_labels),
        "gaps": note_if_fell_back(public, *[row.theme for row in page.gaps]) if page.results.plan_shown else None,
        "quotes": note_if_fell_back(public, *[q for group in page.quotes for q in [group.theme, *group.quotes]]),
        "ways": note_if_fell_back(public, *[text for way in page.ways for text in way.texts]),
    }
    plan = page.inventory.plan
    context = {
        "page": page,
        "inventory": page.inventory,
        "plan_title": format_html('<span lang="sv">{}</span>', plan.title) if plan else "",
        "notes": notes,
    }
    return render_page(request, public, "public/inventory.html", context)


def start_part(public):
    """The start page's part: the latest inventory with public results, if any."""
    inventory = latest_public_inventory(public.municipality)
    if inventory is None:
        return None
    name = swedish(inventory.name, public.language)
    return {"inventory": inventory, "name": name, "note": note_if_fell_back(public, name)}
