"""The plan pages: the current plan (or another published one), a goal, a
public activity and a public indicator."""

from __future__ import annotations

from public.frame import note_if_fell_back, render_page
from public.selectors import plan as selectors
from public.selectors.plan import in_swedish
from public.selectors.start import current_plan
from public.site import public_page


def _plan(request, public, plan):
    page = selectors.plan_page(public, plan)
    return render_page(
        request,
        public,
        "public/plan.html",
        {
            "page": page,
            "note": note_if_fell_back(
                public, *page.texts, *in_swedish(public, plan.title, *[r.title for r in page.remisses])
            ),
        },
    )


@public_page
def plan(request, public):
    chosen = current_plan(public.municipality)
    if chosen is None:
        # The address is in every menu: it says so rather than answering 404.
        return render_page(request, public, "public/plan_none.html")
    return _plan(request, public, chosen)


@public_page
def plan_detail(request, public, pk):
    return _plan(request, public, selectors.published_plan(public, pk))


@public_page
def goal(request, public, pk):
    page = selectors.goal_page(public, pk)
    return render_page(
        request,
        public,
        "public/plan_goal.html",
        {
            "page": page,
            "note": note_if_fell_back(public, *page.texts, *in_swedish(public, page.goal.title)),
            "activities_note": note_if_fell_back(
                public,
                *page.activity_texts,
                *in_swedish(public, *[item.latest_note.text for item in page.activities if item.latest_note]),
            ),
            "events_note": note_if_fell_back(public, *page.event_texts),
            "children_note": note_if_fell_back(
                public, *page.child_texts, *in_swedish(public, *[item.goal.title for item in page.children])
            ),
        },
    )


@public_page
def activity(request, public, pk):
    page = selectors.activity_page(public, pk)
    return render_page(
        request,
        public,
        "public/plan_activity.html",
        {
            "page": page,
            "note": note_if_fell_back(public, *page.texts),
            "notes_note": note_if_fell_back(public, *in_swedish(public, *[note.text for note in page.notes])),
            "events_note": note_if_fell_back(public, *page.event_texts),
        },
    )


@public_page
def indicator(request, public, pk):
    page = selectors.indicator_page(public, pk)
    note = note_if_fell_back(public, *in_swedish(public, page.indicator.name))
    return render_page(request, public, "public/plan_indicator.html", {"page": page, "note": note})


def latest_results_part(public):
    """The start page's "Latest results": the newest public progress notes."""
    results = selectors.latest_results(public)
    texts = [r.title for r in results] + in_swedish(public, *[r.text for r in results])
    return {"results": results, "note": note_if_fell_back(public, *texts)}
