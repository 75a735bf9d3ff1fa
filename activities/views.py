import zipfile
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from imports.jobs import request_import
from imports.models import ImportJob
from lib.confirm import confirmation
from lib.formatting import short_date
from lib.forms import choice_param, int_param, text_param
from lib.locking import CONFLICT, StaleEdit, stale_form
from lib.pagecache import per_user_page_cache
from lib.paging import CountedPaginator
from lib.tables import Column, Table
from lib.xlsx import xlsx_response
from organisations.access import member_required
from organisations.models import OrgUnit
from plans.access import get_chosen_plan, get_plan_for_user
from plans.models import StatusSummary
from plans.selectors import live_plans, sort_in_tree_order
from public.swedish_texts import SwedishTextsForm, activity_text_fields, edit_swedish_texts

from . import services
from .access import get_activity_for_user, get_note_for_user
from .forms import ActivityForm, ActivityImportForm, ProgressNoteForm
from .models import Activity
from .selectors import activities_of_plan, plan_counts
from .spreadsheet import export_activities

PAGE_SIZE = 50

# The list's columns: sortable through ?ordning= (lib/tables.py).
ACTIVITY_TABLE = Table(
    Column(gettext_lazy("Reference"), "nummer", ("number",), css="nowrap"),
    Column(gettext_lazy("Activity"), "titel", ("title",)),
    Column(gettext_lazy("Responsible unit"), "enhet", ("owner__short_name", "owner__name")),
    Column(gettext_lazy("Goals")),
    Column(gettext_lazy("Status"), "status", ("status__position", "status__name")),
    Column(gettext_lazy("Period"), "period", ("start_date", "end_date"), nullable=True, descending_first=True),
    default="nummer",
)


@member_required
@per_user_page_cache
def activity_list(request):
    membership = request.membership
    plan = get_chosen_plan(request)
    context = {"plan": plan, "plans": live_plans(membership.municipality).order_by("title")}
    if plan is None:
        return render(request, "activities/activity_list.html", context)
    units = list(OrgUnit.objects.filter(municipality=membership.municipality).order_by("name"))
    unit_id, goal_id = int_param(request, "enhet"), int_param(request, "mal")
    unit = next((u for u in units if u.pk == unit_id), None)
    goals = sort_in_tree_order(list(plan.goals.only("plan", "code", "title")))
    goal = next((g for g in goals if g.pk == goal_id), None)
    summary = choice_param(request, "status", StatusSummary.values)
    search = text_param(request, "q")
    activities = activities_of_plan(plan, unit=unit, goal=goal, summary=summary, search=search)
    counts = plan_counts(plan, unit=unit, goal=goal, search=search)
    total = sum(n for code, _label, n in counts if code == summary or not summary)
    # The rows are written in Python from plain values (activity_list.activity_rows):
    # only the columns shown, and the goals' codes and co-units' names instead of prefetches.
    sort = ACTIVITY_TABLE.sort(request)
    activities = sort.apply(activities.prefetch_related(None).only(*LIST_FIELDS))
    page = CountedPaginator(activities, PAGE_SIZE, count=total).get_page(request.GET.get("sida"))
    page.object_list = _with_goals_and_co_units(list(page.object_list))
    context.update(
        {
            "page": page,
            "units": units,
            "goals": goals,
            "selected_unit": unit,
            "selected_goal": goal,
            "selected_summary": summary,
            "summaries": StatusSummary.choices,
            "search": search,
            "counts": counts,
            "filtered": bool(unit or goal or summary or search),
            "sort": sort,
            "query": sort.page_query,
            "can_create": membership.may_register_activities,
        }
    )
    return render(request, "activities/activity_list.html", context)


# What the list shows of an activity (activity_list.activity_rows).
LIST_FIELDS = (
    "number", "title", "start_date", "end_date", "ongoing", "funding", "funding_ends",
    "municipality__reference_prefix", "municipality__code", "owner__short_name", "owner__name", "status__name",
    "status__summary",
)  # fmt: skip


def _with_goals_and_co_units(activities: list[Activity]) -> list[Activity]:
    """Sets ``goal_codes`` (in tree order) and ``co_unit_names`` (short and full names, by short name)
    on each activity, from plain values: two queries, as the prefetches they replace."""
    ids = [a.pk for a in activities]
    goals: dict[int, list[str]] = {}
    for activity_id, code in (
        Activity.goals.through.objects.filter(activity_id__in=ids)
        .order_by("goal__depth", "goal__position", "goal_id")
        .values_list("activity_id", "goal__code")
    ):
        goals.setdefault(activity_id, []).append(code)
    co_units: dict[int, list[str]] = {}
    for activity_id, name, full_name in (
        Activity.co_units.through.objects.filter(activity_id__in=ids)
        .order_by("orgunit__short_name", "orgunit_id")
        .values_list("activity_id", "orgunit__short_name", "orgunit__name")
    ):
        co_units.setdefault(activity_id, []).append(SimpleNamespace(short_name=name, name=full_name))
    for a in activities:
        a.goal_codes = goals.get(a.pk, [])
        a.co_unit_names = co_units.get(a.pk, [])
    return activities


def _detail(request, activity, note_form, status=200):
    can_edit = request.membership.may_edit_unit_work(activity.owner_id)
    context = {
        "activity": activity,
        "goals": sort_in_tree_order(list(activity.goals.select_related("plan"))),
        "notes": activity.notes.select_related("author"),
        "note_form": note_form,
        "can_edit": can_edit,
        "text_form": SwedishTextsForm(obj=activity, fields=activity_text_fields) if can_edit else None,
        "history": history_for(activity),
        "events": activity.events.order_by("-starts_at", "pk"),
    }
    return render(request, "activities/activity_detail.html", context, status=status)


@member_required
def activity_detail(request, pk):
    return _detail(request, get_activity_for_user(request.user, pk), ProgressNoteForm())


@member_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    membership = request.membership
    if not membership.may_register_activities:
        raise PermissionDenied
    plan = get_chosen_plan(request)
    if plan is None:
        messages.error(request, _("There is no plan yet to register activities under."))
        return redirect("activities:list")
    initial = {}
    goal_id = int_param(request, "mal")
    if goal_id:
        initial["goals"] = [goal_id]
    form = ActivityForm(request.POST or None, plan=plan, membership=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        activity = services.activity_create(
            plan=plan,
            by=request.user,
            fields=form.activity_fields(),
            goals=form.cleaned_data["goals"],
            co_units=form.cleaned_data["co_units"],
        )
        messages.success(request, _("The activity %(ref)s was registered.") % {"ref": activity.reference})
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "plan": plan})


@member_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = get_activity_for_user(request.user, pk, write=True)
    form = ActivityForm(request.POST or None, instance=activity, plan=activity.plan, membership=request.membership)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                by=request.user,
                fields=form.activity_fields(),
                goals=form.cleaned_data["goals"],
                co_units=form.cleaned_data["co_units"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit:
            current = Activity.objects.get(pk=activity.pk).version
            form = stale_form(
                lambda data: ActivityForm(data, instance=activity, plan=activity.plan, membership=request.membership),
                request.POST,
                current,
            )
            status = CONFLICT
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("activities:detail", pk=activity.pk)
    context = {"form": form, "plan": activity.plan, "activity": activity}
    return render(request, "activities/activity_form.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    activity = get_activity_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.activity_delete(activity=activity, by=request.user)
        messages.success(request, _("The activity %(ref)s was deleted.") % {"ref": activity.reference})
        return redirect("activities:list")
    notes = activity.notes.count()
    return confirmation(
        request,
        title=_("Delete the activity?"),
        subject=f"{activity.reference} {activity.title}",
        what=_("The activity is deleted from the plan and from the lists of activities."),
        consequences=[
            ngettext(
                "Its %(count)d progress note is deleted too.", "Its %(count)d progress notes are deleted too.", notes
            )
            % {"count": notes}
            if notes
            else "",
            _("It disappears from the public site.") if activity.visibility == Activity.Visibility.PUBLIC else "",
            _("Approved follow-up reports keep what they said about it, and the history of the changes is kept."),
        ],
        button=_("Yes, delete the activity"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        danger=True,
    )


@member_required
@require_POST
def note_add(request, pk):
    activity = get_activity_for_user(request.user, pk, write=True)
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        services.note_add(activity=activity, by=request.user, **form.cleaned_data)
        messages.success(request, _("The progress note was added."))
        return redirect("activities:detail", pk=activity.pk)
    return _detail(request, activity, form, status=400)


@member_required
@require_http_methods(["GET", "POST"])
def public_texts(request, pk):
    """The activity's public title and description in Swedish (those who may edit the activity)."""
    activity = get_activity_for_user(request.user, pk, write=True)
    activity = Activity.objects.select_related("municipality").prefetch_related("translations").get(pk=activity.pk)
    back = reverse("activities:detail", args=[activity.pk])
    return edit_swedish_texts(
        request,
        obj=activity,
        municipality=activity.municipality,
        fields=activity_text_fields,
        template="public/staff/swedish_texts.html",
        context={"heading": _("Public text"), "name": str(activity), "back_url": back},
        done_url=back,
    )


@member_required
@require_POST
def note_public(request, pk):
    """Show a progress note on the public site, or stop showing it (``public`` = 1 or 0)."""
    note = get_note_for_user(request.user, pk, write=True)
    public = request.POST.get("public") == "1"
    services.note_set_public(note=note, by=request.user, public=public)
    if public:
        messages.success(request, _("The progress note is shown on the public site when the activity is public."))
    else:
        messages.success(request, _("The progress note is no longer shown on the public site."))
    return redirect(reverse("activities:detail", args=[note.activity_id]) + "#notes")


@member_required
@require_http_methods(["GET", "POST"])
def note_delete(request, pk):
    note = get_note_for_user(request.user, pk, write=True)
    if request.method == "GET":
        return confirmation(
            request,
            title=_("Delete the progress note?"),
            subject=f"{note.activity.reference} {note.activity.title}",
            what=_("The progress note of %(date)s is deleted: “%(text)s”")
            % {"date": short_date(note.date), "text": Truncator(note.text).chars(200)},
            consequences=[
                _("It disappears from the public site.") if note.public else "",
                _("The history of the activity keeps what the note said."),
            ],
            button=_("Yes, delete the note"),
            cancel_url=reverse("activities:detail", args=[note.activity_id]) + "#notes",
            danger=True,
        )
    services.note_delete(note=note, by=request.user)
    messages.success(request, _("The progress note was deleted."))
    return redirect("activities:detail", pk=note.activity_id)


@member_required
def activity_export(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk)
    activities = list(activities_of_plan(plan))
    return xlsx_response(export_activities(plan, activities), f"aktiviteter-{slugify(plan.title) or plan.pk}.xlsx")


@member_required
@require_http_methods(["GET", "POST"])
def activity_import(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk)
    membership = request.membership
    if not membership.may_register_activities:
        raise PermissionDenied
    form = ActivityImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        # Only what is cheap here (size, a zip file at all): reading and checking every row
        # takes seconds for a large plan, so the worker does it with the saving (imports.jobs).
        upload = form.cleaned_data["file"]
        if not zipfile.is_zipfile(upload):
            errors = [_("The file could not be read as an Excel file (.xlsx).")]
        else:
            job = request_import(
                kind=ImportJob.Kind.ACTIVITIES,
                municipality=plan.municipality,
                by=request.user,
                upload=upload,
                plan=plan,
            )
            return redirect("imports:job", pk=job.pk)
    status = 400 if errors or form.errors else 200
    context = {"form": form, "plan": plan, "errors": errors}
    return render(request, "activities/activity_import.html", context, status=status)
