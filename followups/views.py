from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from lib.forms import choice_param, int_param
from lib.locking import CONFLICT, StaleEdit, stale_form
from lib.pagecache import per_user_page_cache
from lib.tables import Column, Table
from lib.xlsx import xlsx_response
from organisations.access import coordinator_required, member_required
from organisations.models import OrgUnit, UnitGroup
from plans.access import get_chosen_plan
from plans.models import RightsArea
from plans.selectors import live_plans

from . import services
from .access import get_report_for_user, get_round_for_user
from .forms import ReportForm, ReturnForm, RoundForm
from .models import Round, UnitReport
from .selectors import (
    coverage,
    own_activities,
    previous_approved,
    report_changes,
    report_content,
    report_entries,
    round_assessments,
    round_progress,
    round_reports,
    update_values,
)
from .spreadsheet import export_coverage, export_round

# --- Rounds ---------------------------------------------------------------------

ROUNDS_PAGE_SIZE = 50
# The round list's columns (lib/tables.py): the latest period first unless ?ordning= says otherwise;
# the counts are the page's (round_progress), so they do not sort.
ROUND_TABLE = Table(
    Column(gettext_lazy("Round"), "namn", ("name",)),
    Column(gettext_lazy("Plan"), "plan", ("plan__title",)),
    Column(
        pgettext_lazy("the period a follow-up round covers", "Period"),
        "period",
        ("period_end", "period_start"),
        descending_first=True,
        css="nowrap",
    ),
    Column(gettext_lazy("Deadline"), "sista-dag", ("deadline",), descending_first=True, css="nowrap"),
    Column(gettext_lazy("Submitted or approved")),
    Column(gettext_lazy("Late")),
    default="-period",
)


@member_required
@per_user_page_cache
def round_list(request):
    membership = request.membership
    sort = ROUND_TABLE.sort(request)
    page = Paginator(
        sort.apply(Round.objects.filter(municipality=membership.municipality).select_related("plan")),
        ROUNDS_PAGE_SIZE,
    ).get_page(request.GET.get("sida"))
    rounds = list(page)
    progress = round_progress(rounds)
    rows = [(r, progress[r.pk]) for r in rounds]
    my_reports = []
    if membership.unit_ids:
        my_reports = list(
            UnitReport.objects.filter(unit_id__in=membership.unit_ids, round__municipality=membership.municipality)
            .open()
            .select_related("round", "unit")
            .order_by("round__deadline")
        )
    context = {
        "rows": rows,
        "page": page,
        "sort": sort,
        "my_reports": my_reports,
        "can_open": membership.is_coordinator,
    }
    return render(request, "followups/round_list.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    municipality = request.membership.municipality
    form = RoundForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        rnd = services.round_open(
            plan=form.cleaned_data["plan"],
            by=request.user,
            fields=form.round_fields(),
            extra_fields=form.extra_fields(),
        )
        n_reports = rnd.reports.count()
        messages.success(
            request,
            ngettext(
                "The round %(name)s was opened with %(count)d unit report.",
                "The round %(name)s was opened with %(count)d unit reports.",
                n_reports,
            )
            % {"name": rnd.name, "count": n_reports},
        )
        return redirect("followups:round", pk=rnd.pk)
    return render(request, "followups/round_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    rnd = get_round_for_user(request.user, pk, write=True)
    form = RoundForm(request.POST or None, instance=rnd, municipality=rnd.municipality)
    if request.method == "POST" and form.is_valid():
        services.round_update(rnd=rnd, by=request.user, fields=form.round_fields())
        messages.success(request, _("The round was saved."))
        return redirect("followups:round", pk=rnd.pk)
    return render(request, "followups/round_form.html", {"form": form, "round": rnd})


@member_required
@per_user_page_cache
def round_detail(request, pk):
    rnd = get_round_for_user(request.user, pk)
    reports = round_reports(rnd)
    context = {
        "round": rnd,
        "reports": reports,
        "progress": round_progress([rnd])[rnd.pk],
        "assessments": round_assessments(rnd),
        "extra_fields": list(rnd.fields.all()),
        "can_edit": request.membership.is_coordinator,
        "history": history_for(rnd),
    }
    return render(request, "followups/round_detail.html", context)


@member_required
def round_xlsx(request, pk):
    """The round's answers and activity updates as a spreadsheet, for anyone who may read the round."""
    rnd = get_round_for_user(request.user, pk)
    return xlsx_response(export_round(rnd), f"svar-{slugify(rnd.name) or rnd.pk}.xlsx")


# --- Reports --------------------------------------------------------------------


@member_required
@per_user_page_cache
def report_detail(request, pk):
    report = get_report_for_user(request.user, pk)
    membership = request.membership
    content = report_content(report)
    previous = previous_approved(report)
    changes = report_changes(content, report_content(previous)) if previous else None
    context = {
        "report": report,
        "round": report.round,
        "content": content,
        "previous": previous,
        "changes": changes,
        "can_write": report.is_open and membership.may_edit_unit_work(report.unit_id),
        "can_review": membership.is_coordinator and report.status == UnitReport.Status.SUBMITTED,
        "return_form": ReturnForm(),
        "history": history_for(report),
    }
    return render(request, "followups/report_detail.html", context)


def _report_form(request, report, data=None):
    statuses = report.round.plan.activity_statuses.all()
    updates = update_values(report)
    # Showing the form reads only what it shows of each activity; saving reads them whole.
    activities = [(a, updates.get(a.pk)) for a in own_activities(report, goals=False, lean=data is None)]
    return ReportForm(data, report=report, entries=report_entries(report), activities=activities, statuses=statuses)


@member_required
@require_http_methods(["GET", "POST"])
@per_user_page_cache
def report_edit(request, pk):
    report = get_report_for_user(request.user, pk, write=True)
    if not report.is_open:
        if report.status == UnitReport.Status.APPROVED:
            messages.error(request, _("The report has been approved and can no longer be changed."))
        else:
            messages.error(request, _("The report has been submitted and can no longer be changed."))
        return redirect("followups:report", pk=report.pk)
    form = _report_form(request, report, request.POST or None)
    status = 200
    saved = False
    if request.method == "GET" and request.GET.get(CHECK_PARAM):
        # Sent back by a refused submission: mark the goals that block it.
        form.blocking = services.submission_problems(report)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_save(
                    report=report,
                    by=request.user,
                    summary=form.cleaned_data["summary"].strip(),
                    version=form.cleaned_data["version"],
                    entries=form.entry_inputs(),
                    updates=form.update_inputs(),
                )
            except StaleEdit:
                current = UnitReport.objects.get(pk=report.pk).version
                form = stale_form(lambda data: _report_form(request, report, data), request.POST, current)
                status = CONFLICT
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("The report was saved as a draft."))
                    return redirect("followups:report", pk=report.pk)
                try:
                    services.report_submit(report=report, by=request.user)
                except services.TransitionRefused as exc:
                    if not exc.blocking:
                        return _refused(request, report, exc)
                    # The draft is saved; the form again, as saved, with the goals that block submission.
                    data = request.POST.copy()
                    data["version"] = str(report.version)
                    form = _report_form(request, report, data)
                    form.is_valid()
                    form.blocking = exc.blocking
                    saved, status = True, 400
                else:
                    return _submitted(request, report)
        else:
            status = 400
    # page_has_errors: "Error: " before the title when submission is refused (the form itself is valid).
    context = {"form": form, "report": report, "saved": saved, "page_has_errors": bool(form.blocking)}
    return render(request, "followups/report_form.html", context, status=status)


CHECK_PARAM = "kontroll"  # on the report form: mark the goals that keep the report from being submitted


def _refused(request, report, exc):
    for error in exc.errors:
        messages.error(request, error)
    return redirect("followups:report", pk=report.pk)


def _submitted(request, report):
    messages.success(request, _("The report was submitted to the coordinator."))
    return redirect("followups:report", pk=report.pk)


def _submit(request, report):
    try:
        services.report_submit(report=report, by=request.user)
    except services.TransitionRefused as exc:
        if not exc.blocking:
            return _refused(request, report, exc)
        return redirect(f"{reverse('followups:report_edit', args=[report.pk])}?{CHECK_PARAM}=1")
    return _submitted(request, report)


@member_required
@require_POST
def report_submit(request, pk):
    report = get_report_for_user(request.user, pk, write=True)
    return _submit(request, report)


@member_required
@require_POST
def report_return(request, pk):
    report = get_report_for_user(request.user, pk, review=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the unit should complete."))
        return redirect("followups:report", pk=report.pk)
    try:
        services.report_return(report=report, by=request.user, comment=form.cleaned_data["comment"])
    except services.TransitionRefused as exc:
        messages.error(request, " ".join(exc.errors))
    else:
        messages.success(request, _("The report was returned to %(unit)s.") % {"unit": report.unit.name})
    return redirect("followups:report", pk=report.pk)


@member_required
@require_http_methods(["GET", "POST"])
def report_approve(request, pk):
    """Approval freezes the report for good: a page says so and asks to confirm."""
    report = get_report_for_user(request.user, pk, review=True)
    if report.status != UnitReport.Status.SUBMITTED:
        messages.error(request, _("Only a submitted report can be approved."))
        return redirect("followups:report", pk=report.pk)
    if request.method == "GET":
        return render(request, "followups/report_approve.html", {"report": report, "round": report.round})
    try:
        services.report_approve(report=report, by=request.user)
    except services.TransitionRefused as exc:
        messages.error(request, " ".join(exc.errors))
    else:
        messages.success(request, _("The report from %(unit)s was approved.") % {"unit": report.unit.name})
    return redirect("followups:report", pk=report.pk)


# --- Coverage -------------------------------------------------------------------


COVERAGE_UNITS_PER_PAGE = 15  # unit columns per page of the matrix: its size does not grow with the city
ALL_FOCUS_AREAS = "alla"  # ?fokus=alla: every focus area at once
UNITS_AS_ROWS = "enheter"  # ?rader=enheter: the matrix turned around, units × goals (the same cells)


def _coverage_for_request(request, *, paged: bool):
    """The matrix the query string asks for. On the page (``paged``): the first
    focus area unless another (or all) is chosen, and one page of unit columns;
    the spreadsheet has every goal (unless a focus area is chosen) and every unit."""
    membership = request.membership
    plan = get_chosen_plan(request)
    if plan is None:
        return None, {}
    focus_id, unit_id, group_id = int_param(request, "fokus"), int_param(request, "enhet"), int_param(request, "grupp")
    area = choice_param(request, "omrade", RightsArea.Code.values)
    all_focus = request.GET.get("fokus") == ALL_FOCUS_AREAS
    unit = (
        OrgUnit.objects.filter(municipality=membership.municipality, pk=unit_id).first()
        if unit_id is not None
        else None
    )
    groups = list(UnitGroup.objects.filter(municipality=membership.municipality).order_by("name"))
    group = next((g for g in groups if g.pk == group_id), None)
    unit_ids = set(group.members.values_list("pk", flat=True)) if group else None
    page = max(int_param(request, "sida", min_value=1, max_value=10_000) or 1, 1)
    columns = None
    if paged:
        start = (page - 1) * COVERAGE_UNITS_PER_PAGE
        columns = slice(start, start + COVERAGE_UNITS_PER_PAGE)
    matrix = coverage(
        plan,
        focus_id=focus_id,
        first_focus=paged and not all_focus,
        unit=unit,
        unit_ids=unit_ids,
        rights_area=area or None,
        columns=columns,
    )
    page = matrix.first_unit // COVERAGE_UNITS_PER_PAGE + 1
    context = {
        "focus": matrix.focus,
        "all_focus": all_focus,
        "units_as_rows": request.GET.get("rader") == UNITS_AS_ROWS,
        "unit": unit,
        "groups": groups,
        "group": group,
        "area": area,
        "matrix": matrix,
        "page": page,
    }
    return plan, context


def _coverage_query(plan, context, **changes) -> str:
    """The query string of the matrix as shown (the focus area explicit), with ``changes``."""
    params = {
        "plan": plan.pk,
        "fokus": context["matrix"].focus.pk if context["matrix"].focus else ALL_FOCUS_AREAS,
        "enhet": context["unit"].pk if context["unit"] else "",
        "grupp": context["group"].pk if context["group"] else "",
        "omrade": context["area"],
        "rader": UNITS_AS_ROWS if context["units_as_rows"] else "",
        "sida": context["page"],
    } | changes
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


@member_required
@per_user_page_cache
def coverage_view(request):
    plan, context = _coverage_for_request(request, paged=True)
    if plan is None:
        return render(request, "followups/coverage.html", {"plan": None})
    membership = request.membership
    matrix, page = context["matrix"], context["page"]
    last_page = max((matrix.unit_count - 1) // COVERAGE_UNITS_PER_PAGE + 1, 1)
    context.update(
        {
            "plan": plan,
            "plans": live_plans(membership.municipality).order_by("title"),
            "units": OrgUnit.objects.filter(municipality=membership.municipality).order_by("name"),
            "rights_areas": RightsArea.Code.choices,
            "all_focus_value": ALL_FOCUS_AREAS,
            "filtered": bool(context["unit"] or context["group"] or context["area"]),
            "export_query": _coverage_query(plan, context, sida="", rader=""),
            "goals_as_rows_query": _coverage_query(plan, context, rader=""),
            "units_as_rows_query": _coverage_query(plan, context, rader=UNITS_AS_ROWS),
            "units_as_rows_value": UNITS_AS_ROWS,
            "first_column": matrix.first_unit + 1,
            "last_column": matrix.first_unit + len(matrix.units),
            "previous_query": _coverage_query(plan, context, sida=page - 1) if page > 1 else "",
            "next_query": _coverage_query(plan, context, sida=page + 1) if page < last_page else "",
        }
    )
    return render(request, "followups/coverage.html", context)


@member_required
def coverage_export(request):
    plan, context = _coverage_for_request(request, paged=False)
    if plan is None:
        return redirect("followups:coverage")
    return xlsx_response(export_coverage(context["matrix"]), f"tackning-{slugify(plan.title) or plan.pk}.xlsx")
