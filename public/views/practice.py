"""Practice examples on the public site: the list of the municipality's examples
shown there and one example (public/selectors/practice.py has the rules of what is
shown)."""

from __future__ import annotations

from public.frame import note_if_fell_back, render_page
from public.selectors import practice as selectors
from public.site import public_page


@public_page
def examples(request, public):
    listing = selectors.example_list(public, request.GET.get("omrade", ""))
    return render_page(
        request,
        public,
        "public/practice_list.html",
        {"listing": listing, "note": note_if_fell_back(public, *listing.texts())},
    )


@public_page
def example(request, public, pk):
    page = selectors.example_page(public, pk)
    return render_page(
        request, public, "public/practice_example.html", {"page": page, "note": note_if_fell_back(public, *page.texts)}
    )
