from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from audit.selectors import history_for
from lib.confirm import confirmation
from lib.forms import int_param
from lib.locking import CONFLICT, StaleEdit, stale_form
from lib.pagecache import per_user_page_cache
from lib.tables import Column, Table
from lib.xlsx import xlsx_response
from organisations.access import coordinator_required, member_required
from organisations.models import OrgUnit
from plans.selectors import sort_in_tree_order

from . import services
from .access import get_indicator_for_user, get_measurement_for_user, may_measure
from .forms import AssessmentForm, IndicatorForm, MeasurementForm
from .models import Indicator
from .selectors import followed_goals, indicator_history, indicator_page, indicators_of, with_status
from .spreadsheet import export_indicators

PAGE_SIZE = 50  # the indicator list

# The list's columns (lib/tables.py): the latest value and the status are judged in
# Python for each page's rows (with_status), so they do not sort.
INDICATOR_TABLE = Table(
    Column(gettext_lazy("Indicator"), "namn", ("name",)),
    Column(gettext_lazy("Responsible unit"), "enhet", ("responsible_unit__name", "name")),
    Column(gettext_lazy("Latest value")),
    Column(gettext_lazy("Status")),
    default="namn",
)

STALE_INDICATOR = gettext_lazy(
    "Someone else saved this indicator while you were editing it. Your changes have not been saved; "
    "what you typed is kept below. Open the indicator in a new tab to see the other changes. "
    "If you save this form again, your values replace theirs."
)
STALE_MEASUREMENT = gettext_lazy(
    "Someone else saved this measurement while you were editing it. Your changes have not been saved; "
    "what you typed is kept below. Open the indicator in a new tab to see the other changes. "
    "If you save this form again, your values replace theirs."
)


def _list_filter(request):
    """The list's filter from the query string: the units and goals to choose
    from, and the chosen unit and goal (or None)."""
    municipality = request.membership.municipality
    units = list(OrgUnit.objects.filter(municipality=municipality, indicators__isnull=False).distinct())
    goals = sort_in_tree_order(followed_goals(municipality))
    unit = goal = None
    unit_id, goal_id = int_param(request, "enhet"), int_param(request, "mal")
    if unit_id is not None:
        unit = next((u for u in units if u.pk == unit_id), None)
    if goal_id is not None:
        goal = next((g for g in goals if g.pk == goal_id), None)
    return units, goals, unit, goal


@member_required
@per_user_page_cache
def indicator_list_view(request):
    municipality = request.membership.municipality
    units, goals, unit, goal = _list_filter(request)
    # Paged: a large city follows hundreds of indicators; each page's rows get their status.
    sort = INDICATOR_TABLE.sort(request)
    ids = sort.apply(indicators_of(municipality, unit=unit, goal=goal)).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("sida"))
    by_pk = {i.pk: i for i in with_status(Indicator.objects.filter(pk__in=list(page)))}
    context = {
        "indicators": _with_goal_codes([by_pk[pk] for pk in page if pk in by_pk]),
        "page": page,
        "sort": sort,
        "page_query": sort.page_query,
        "units": units,
        "goals": goals,
        "selected_unit": unit,
        "selected_goal": goal,
        "filtered": bool(unit or goal),
        "query": request.GET.urlencode(),
    }
    return render(request, "indicators/indicator_list.html", context)


def _with_goal_codes(indicators: list[Indicator]) -> list[Indicator]:
    """Sets ``goal_codes`` on each indicator: the codes of the goals it follows,
    in plan and tree order. One query of plain values (as the prefetch it replaces)."""
    codes: dict[int, list[str]] = {}
    for indicator_id, code in (
        Indicator.goals.through.objects.filter(indicator__in=[i.pk for i in indicators])
        .order_by("goal__plan_id", "goal__depth", "goal__position", "goal_id")
        .values_list("indicator_id", "goal__code")
    ):
        codes.setdefault(indicator_id, []).append(code)
    for indicator in indicators:
        indicator.goal_codes = codes.get(indicator.pk, [])
    return indicators


@member_required
def indicator_xlsx(request):
    """The indicators the list shows (with its filter) and their measurements as a spreadsheet."""
    municipality = request.membership.municipality
    _units, _goals, unit, goal = _list_filter(request)
    return xlsx_response(export_indicators(municipality, unit=unit, goal=goal), "indikatorer.xlsx")


@member_required
@per_user_page_cache
def indicator_detail(request, pk):
    indicator = get_indicator_for_user(request.user, pk)
    context = {
        "indicator": indicator,
        "page": indicator_page(indicator),
        "goals": sort_in_tree_order(list(indicator.goals.select_related("plan"))),
        "history": indicator_history(indicator),
        "can_edit": request.membership.is_coordinator,
        "can_measure": may_measure(request.membership, indicator),
    }
    return render(request, "indicators/indicator_detail.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def indicator_create(request):
    municipality = request.membership.municipality
    form = IndicatorForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_create(
            municipality=municipality,
            by=request.user,
            fields=form.indicator_values(),
            goals=form.cleaned_data["goals"],
            baseline=form.baseline_spec,
            targets=form.target_specs,
        )
        messages.success(request, _("The indicator was created."))
        return redirect("indicators:detail", pk=indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = get_indicator_for_user(request.user, pk, write=True)
    municipality = indicator.municipality
    name = indicator.name  # the form changes the instance as it validates
    form = IndicatorForm(request.POST or None, instance=indicator, municipality=municipality)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=indicator,
                by=request.user,
                version=form.cleaned_data["version"],
                fields=form.indicator_values(),
                goals=form.cleaned_data["goals"],
                baseline=form.baseline_spec,
                targets=form.target_specs,
            )
        except StaleEdit:
            indicator = Indicator.objects.select_related("responsible_unit").get(pk=indicator.pk)
            form = stale_form(
                lambda data: IndicatorForm(data, instance=indicator, municipality=municipality),
                request.POST,
                indicator.version,
                STALE_INDICATOR,
            )
            status = CONFLICT
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect("indicators:detail", pk=indicator.pk)
    context = {"form": form, "indicator": indicator, "name": name}
    return render(request, "indicators/indicator_form.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request, pk):
    indicator = get_indicator_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.indicator_delete(indicator=indicator, by=request.user)
        messages.success(request, _("The indicator “%(name)s” was deleted.") % {"name": indicator.name})
        return redirect("indicators:list")
    count = indicator.measurements.count()
    return confirmation(
        request,
        title=_("Delete the indicator?"),
        subject=indicator.name,
        what=ngettext(
            "The indicator is deleted with its baseline, its targets and its %(count)d measurement.",
            "The indicator is deleted with its baseline, its targets and its %(count)d measurements.",
            count,
        )
        % {"count": count},
        consequences=[
            _("It disappears from the public site and the open data.") if indicator.public else "",
            _("The history of the changes is kept."),
        ],
        button=_("Yes, delete the indicator"),
        cancel_url=reverse("indicators:detail", args=[indicator.pk]),
        danger=True,
    )


@member_required
@require_http_methods(["GET", "POST"])
def indicator_assess(request, pk):
    indicator = get_indicator_for_user(request.user, pk, write=True)
    initial = {"track": indicator.track_override, "reason": indicator.track_override_reason}
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.indicator_assess(
            indicator=indicator, by=request.user, track=form.cleaned_data["track"], reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The assessment was saved."))
        return redirect("indicators:detail", pk=indicator.pk)
    context = {"form": form, "indicator": indicator, "page": indicator_page(indicator)}
    return render(request, "indicators/indicator_assess.html", context)


# --- Measurements -------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def measurement_create(request, pk):
    indicator = get_indicator_for_user(request.user, pk, measure=True)
    form = MeasurementForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        services.measurement_create(indicator=indicator, by=request.user, fields=form.measurement_values())
        messages.success(request, _("The measurement was saved."))
        return redirect("indicators:detail", pk=indicator.pk)
    return render(request, "indicators/measurement_form.html", {"form": form, "indicator": indicator})


@member_required
@require_http_methods(["GET", "POST"])
def measurement_edit(request, pk):
    measurement = get_measurement_for_user(request.user, pk, write=True)
    indicator = measurement.indicator
    form = MeasurementForm(request.POST or None, instance=measurement, indicator=indicator)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_update(
                measurement=measurement,
                by=request.user,
                version=form.cleaned_data["version"],
                fields=form.measurement_values(),
            )
        except StaleEdit:
            current = type(measurement).objects.get(pk=measurement.pk)
            form = stale_form(
                lambda data: MeasurementForm(data, instance=current, indicator=indicator),
                request.POST,
                current.version,
                STALE_MEASUREMENT,
            )
            status = CONFLICT
        else:
            messages.success(request, _("The measurement was saved."))
            return redirect("indicators:detail", pk=indicator.pk)
    context = {"form": form, "indicator": indicator, "measurement": measurement, "history": history_for(measurement)}
    return render(request, "indicators/measurement_form.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def measurement_delete(request, pk):
    measurement = get_measurement_for_user(request.user, pk, write=True)
    indicator = measurement.indicator
    if request.method == "POST":
        services.measurement_delete(measurement=measurement, by=request.user)
        messages.success(request, _("The measurement was removed."))
        return redirect("indicators:detail", pk=indicator.pk)
    return render(
        request, "indicators/measurement_confirm_delete.html", {"measurement": measurement, "indicator": indicator}
    )
