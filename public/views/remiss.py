"""A published remiss: its bodies and their stances, and the comments per goal and
section with the coordinator's handling (public/selectors/remiss.py has the rules of
what is shown)."""

from __future__ import annotations

from public.frame import note_if_fell_back, render_page
from public.selectors import remiss as selectors
from public.site import public_page


@public_page
def remiss(request, public, pk):
    page = selectors.remiss_page(selectors.published_remiss(public, pk))
    return render_page(
        request,
        public,
        "public/remiss.html",
        {
            "page": page,
            "note": note_if_fell_back(public, *page.header_texts(public)),
            "bodies_note": note_if_fell_back(public, *page.body_texts(public)),
            "answers_note": note_if_fell_back(public, *page.answer_texts(public)),
            "comments_note": note_if_fell_back(public, *page.comment_texts(public)),
        },
    )
