"""The staff calendar: consultations and events by month and as a list
(consultations/calendar.py)."""

from __future__ import annotations

import re
from datetime import date

from django.shortcuts import render
from django.utils import timezone

from lib.ical import CALENDAR_TZ
from organisations.access import signed_in_member_required

from .calendar import calendar_list, month_grid

MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_param(request) -> tuple[date, bool]:
    """The month of ``?manad=2026-12``, else this month; and whether a value
    was given that is not a month."""
    today = timezone.localdate(timezone=CALENDAR_TZ)
    raw = request.GET.get("manad")
    match = MONTH.fullmatch(raw or "")
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1), False
    return today.replace(day=1), raw is not None


@signed_in_member_required
def calendar_month(request):
    first_day, bad_month = month_param(request)
    grid = month_grid(request.membership, first_day)
    context = {"grid": grid, "bad_month": bad_month, "this_month": timezone.localdate(timezone=CALENDAR_TZ)}
    return render(request, "consultations/calendar_month.html", context)


@signed_in_member_required
def calendar_list_view(request):
    return render(request, "consultations/calendar_list.html", {"listing": calendar_list(request.membership)})
