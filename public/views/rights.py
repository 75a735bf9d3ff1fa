"""The rights page: what the municipality writes about the minority's rights,
and the frame's fixed text on where to turn (docs/public-site.md §2.2)."""

from __future__ import annotations

from public.frame import note_if_fell_back, render_page
from public.selectors.rights import rights_sections
from public.site import public_page


@public_page
def rights(request, public):
    sections = rights_sections(public)
    texts = [t for section in sections for t in (section.heading, section.text)]
    return render_page(
        request,
        public,
        "public/rights.html",
        {"sections": sections, "note": note_if_fell_back(public, *texts)},
    )
