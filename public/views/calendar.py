"""The calendar, an event, a samråd open to the public, and their iCalendar feeds."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lib.forms import year_param
from public.frame import note_if_fell_back, render_page
from public.ical import ics_response
from public.selectors.calendar import (
    calendar_page,
    consultation_page,
    event_item,
    event_page,
    feed_items,
    public_event,
    upcoming,
)
from public.site import public_page


def upcoming_part(public):
    """The start page's part: the next three public events and samråd."""
    items = upcoming(public, 3)
    texts = [text for item in items for text in item.texts]
    return {"items": items, "note": note_if_fell_back(public, *texts)}


@public_page
def calendar(request, public):
    raw = request.GET.get("ar")
    year = year_param(request, "ar")
    bad_year = raw is not None and year is None
    page = calendar_page(public, year=year)
    # The fallback line once in each month that has a text shown in Swedish.
    months = [
        {
            "first_day": month.first_day,
            "items": month.items,
            "note": note_if_fell_back(public, *[text for item in month.items for text in item.texts]),
        }
        for month in page.months
    ]
    return render_page(request, public, "public/calendar.html", {"page": page, "months": months, "bad_year": bad_year})


@public_page
def event(request, public, pk):
    page = event_page(public, pk)
    return render_page(
        request,
        public,
        "public/calendar_event.html",
        {
            "page": page,
            "item": page.item,
            "note": note_if_fell_back(public, *page.texts),
        },
    )


@public_page
def consultation(request, public, pk):
    item = consultation_page(public, pk)
    return render_page(request, public, "public/calendar_consultation.html", {"item": item})


def _calendar_name(public) -> str:
    return _("Calendar: Roma inclusion in %(municipality)s") % {"municipality": public.municipality.name}


@public_page
def calendar_ics(request, public):
    return ics_response(
        public, feed_items(public), name=_calendar_name(public), filename=f"{public.municipality.code}-kalender.ics"
    )


@public_page
def event_ics(request, public, pk):
    item = event_item(public_event(public.municipality, pk), public.language)
    return ics_response(public, [item], name=_calendar_name(public), filename=f"evenemang-{pk}.ics")


@public_page
def consultation_ics(request, public, pk):
    item = consultation_page(public, pk)
    return ics_response(public, [item], name=_calendar_name(public), filename=f"samrad-{pk}.ics")
