"""Återkoppling: "Det här sa ni, det här gjorde vi". The held samråd with
something published, by year, and one samråd's published minutes, protected
attendance and published views with their feedback."""

from __future__ import annotations

from django.utils import timezone

from public.frame import note_if_fell_back, render_page
from public.selectors import feedback as selectors
from public.site import PublicContext, public_page


@public_page
def feedback(request, public):
    return render_page(request, public, "public/feedback.html", {"years": selectors.feedback_years(public)})


@public_page
def feedback_consultation(request, public, pk):
    page = selectors.feedback_page(public, pk)
    return render_page(
        request,
        public,
        "public/feedback_consultation.html",
        {
            "page": page,
            "views_note": note_if_fell_back(public, *page.texts),
            "today": timezone.localdate(),
        },
    )


def start_part(public: PublicContext) -> dict:
    """The start page's latest återkoppling: the three latest published views."""
    latest = selectors.latest_feedback(public)
    return {"views": latest.views, "note": note_if_fell_back(public, *latest.texts)}
