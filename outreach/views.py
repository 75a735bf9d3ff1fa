from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from audit.selectors import history_for
from lib.confirm import confirmation
from lib.forms import MAX_YEAR, MIN_YEAR, int_param, text_param, year_param
from organisations.access import member_required
from organisations.models import OrgUnit

from . import services
from .access import get_outreach_unit_for_user, may_enter
from .forms import OutreachMonthForm
from .models import AREAS, CHANNELS, OutreachRecord
from .selectors import outreach_summary, outreach_years, year_grid


def _default_unit(membership, units):
    own = [u for u in units if u.pk in membership.unit_ids]
    if own:
        return own[0]
    with_records = set(
        OutreachRecord.objects.filter(municipality_id=membership.municipality_id).values_list("unit_id", flat=True)
    )
    return next((u for u in units if u.pk in with_records), units[0] if units else None)


@member_required
def outreach_list(request):
    """A unit's months of a year: what was entered, and a way to enter the rest."""
    membership = request.membership
    today = timezone.localdate()
    units = list(OrgUnit.objects.filter(municipality_id=membership.municipality_id).order_by("name"))
    chosen = int_param(request, "enhet")
    unit = next((u for u in units if u.pk == chosen), None) or _default_unit(membership, units)
    year = year_param(request, "ar") or today.year
    context = {
        "units": units,
        "unit": unit,
        "year": year,
        "years": outreach_years(membership.municipality, today=today),
        "grid": year_grid(unit, year, today=today) if unit else None,
        "may_enter": bool(unit) and may_enter(membership, unit),
        "areas": AREAS,
        "channels": CHANNELS,
        "columns": len(AREAS) + len(CHANNELS) + 2,
    }
    return render(request, "outreach/outreach_list.html", context)


def _month(year: int, month: int) -> date:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        raise Http404
    first = date(year, month, 1)
    if first > timezone.localdate():
        raise Http404  # a month still to come has no outreach yet
    return first


@member_required
@require_http_methods(["GET", "POST"])
def outreach_month(request, unit_pk, year, month):
    unit = get_outreach_unit_for_user(request.user, unit_pk, write=True)
    first = _month(year, month)
    record = OutreachRecord.objects.filter(unit=unit, month=first).select_related("activity").first()
    initial = {}
    if record is None:
        # A new month starts from the unit's latest month's activity and goals.
        latest = OutreachRecord.objects.filter(unit=unit, month__lt=first).order_by("-month").first()
        if latest:
            initial = {"activity": latest.activity_id, "goals": list(latest.goals.values_list("pk", flat=True))}
    form = OutreachMonthForm(request.POST or None, instance=record, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.outreach_month_save(
            unit=unit,
            month=first,
            counts=form.counts(),
            by=request.user,
            activity=form.cleaned_data["activity"],
            goals=form.cleaned_data["goals"],
        )
        messages.success(request, _("The outreach of the month was saved."))
        return redirect(f"{reverse('outreach:list')}?enhet={unit.pk}&ar={year}")
    context = {
        "form": form,
        "unit": unit,
        "month": first,
        "record": record,
        "history": history_for(record) if record else [],
    }
    return render(request, "outreach/outreach_month.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def outreach_month_delete(request, unit_pk, year, month):
    """Remove a unit's month entered by mistake: those who may enter it (docs/outreach.md)."""
    unit = get_outreach_unit_for_user(request.user, unit_pk, write=True)
    first = _month(year, month)
    record = get_object_or_404(OutreachRecord.objects.select_related("activity"), unit=unit, month=first)
    back = f"{reverse('outreach:list')}?enhet={unit.pk}&ar={year}"
    if request.method == "POST":
        services.outreach_month_delete(record=record, by=request.user)
        messages.success(
            request,
            _("The outreach of %(unit)s for %(month)s was removed.")
            % {"unit": unit.name, "month": date_format(first, "F Y")},
        )
        return redirect(back)
    return confirmation(
        request,
        title=_("Remove the month?"),
        subject=f"{unit.name}, {date_format(first, 'F Y')}",
        what=_("The unit's counts for the month are removed. Remove a month only if it was entered by mistake."),
        consequences=[
            ngettext(
                "Its %(count)d contact is no longer counted in the summaries and in council reports built from now on.",
                "Its %(count)d contacts are no longer counted in the summaries and in council reports built "
                "from now on.",
                record.contacts,
            )
            % {"count": record.contacts},
            ngettext("Its %(count)d referral goes too.", "Its %(count)d referrals go too.", record.referrals)
            % {"count": record.referrals}
            if record.referrals
            else "",
            _("The link to the activity %(reference)s goes; the activity stays.")
            % {"reference": record.activity.reference}
            if record.activity_id
            else "",
            _("Council reports already built keep what they said, and the history keeps the counts."),
        ],
        button=_("Yes, remove the month"),
        danger=True,
        cancel_url=reverse("outreach:month", args=[unit.pk, year, month]),
        breadcrumbs=[(_("Outreach"), back)],
    )


def _month_param(request, name: str) -> date | None:
    """A month as YYYY-MM from the query string, or None."""
    value = text_param(request, name, max_length=7)
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1) if MIN_YEAR <= year <= MAX_YEAR else None
    except ValueError:
        return None


@member_required
def outreach_summary_page(request):
    """The municipality's outreach in a period, per unit and per goal (exact: staff only)."""
    membership = request.membership
    today = timezone.localdate()
    start = _month_param(request, "fran") or date(today.year, 1, 1)
    end = _month_param(request, "till") or today.replace(day=1)
    if end < start:
        start, end = end, start
    summary = outreach_summary(membership.municipality, start=start, end=end)
    context = {
        "summary": summary,
        "unit_rows": [*summary.by_unit, summary.total_row],
        "start": start,
        "end": end,
        "areas": AREAS,
        "channels": CHANNELS,
    }
    return render(request, "outreach/outreach_summary.html", context)
