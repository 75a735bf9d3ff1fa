"""The start page, the accessibility statement and the privacy notice."""

from __future__ import annotations

from public.frame import note_if_fell_back, render_page
from public.selectors.plan import in_swedish
from public.selectors.start import start_page
from public.site import public_page
from public.texts import shown
from public.views.calendar import upcoming_part
from public.views.feedback import start_part as feedback_part
from public.views.inventories import start_part as inventory_part
from public.views.plan import latest_results_part

# The parts other areas add to the start page (upcoming dates, latest feedback,
# results): a template and the function that gives its context (``part``).
START_PARTS: list[tuple[str, object]] = [
    ("public/_latest_results.html", latest_results_part),  # the plan's area: newest public progress
    ("public/_latest_inventory.html", inventory_part),  # the latest inventory with public results
    ("public/_latest_feedback.html", feedback_part),  # återkoppling: the latest published views
    ("public/_calendar_upcoming.html", upcoming_part),  # the calendar: the next public events and samråd
]


@public_page
def start(request, public):
    page = start_page(public)
    parts = [{"template": template, "part": part(public)} for template, part in START_PARTS]
    return render_page(
        request,
        public,
        "public/start.html",
        {
            "page": page,
            # One note per section that shows a Swedish text in place of a translation.
            "page_note": note_if_fell_back(public, page.intro),
            "plan_note": note_if_fell_back(
                public, page.plan_summary, *in_swedish(public, page.plan.overall_goal if page.plan else "")
            ),
            "contact_note": note_if_fell_back(public, page.contact),
            "start_parts": parts,
        },
    )


@public_page
def accessibility(request, public):
    gaps = shown(public.site, "accessibility_gaps", public.language)
    return render_page(
        request,
        public,
        "public/accessibility.html",
        {"gaps": gaps, "note": note_if_fell_back(public, gaps)},
    )


@public_page
def privacy(request, public):
    return render_page(request, public, "public/privacy.html")
