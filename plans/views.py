from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from followups.selectors import goal_history
from imports.jobs import request_import
from imports.models import ImportJob
from lib.forms import choice_param, int_param
from lib.pagecache import per_user_page_cache
from lib.tables import Column, Table
from lib.xlsx import xlsx_response
from organisations.access import coordinator_required, member_required
from organisations.models import OrgUnit
from public.swedish_texts import SwedishTextsForm, edit_swedish_texts, plain_summary_fields

from . import services, versions
from .access import get_goal_for_user, get_plan_for_user
from .forms import (
    ActivityStatusFormSet,
    AdoptForm,
    ContactUnitsForm,
    GoalForm,
    PlanForm,
    PlanImportForm,
    ReferenceFormSet,
    SupportFormSet,
)
from .models import Goal, Plan, RightsArea
from .planfile import PlanFileInvalid, dump_plan, parse_plan_file
from .selectors import (
    RESPONSIBILITIES,
    goal_descendants,
    handing_over,
    live_plans,
    plan_chain,
    plan_tree,
    plans_like,
    related_goals,
)
from .selectors import plan_steering as steering_of
from .spreadsheet import plan_workbook

ACTIVITIES_PAGE_SIZE = 50  # the goal page's list of activities
# Its columns (lib/tables.py), sorted through ?ordning= (by responsible unit by default).
GOAL_ACTIVITY_TABLE = Table(
    Column(gettext_lazy("Reference"), "nummer", ("number",), css="nowrap"),
    Column(gettext_lazy("Activity"), "titel", ("title",)),
    Column(gettext_lazy("Responsible unit"), "enhet", ("owner__name", "number")),
    Column(gettext_lazy("Status"), "status", ("status__position", "status__name")),
    default="enhet",
)


PLANS_PAGE_SIZE = 50
# The plan list's columns (lib/tables.py): current plans first unless ?ordning= says otherwise
# (PlanQuerySet.current_first, whose status order the status column sorts by).
PLAN_TABLE = Table(
    Column(gettext_lazy("Title"), "titel", ("title",)),
    Column(gettext_lazy("Kind"), "typ", ("kind",)),
    Column(gettext_lazy("Status"), "status", ("_status_order",)),
    Column(
        pgettext_lazy("how long a plan is valid", "Period"),
        "period",
        ("valid_from", "valid_to"),
        nullable=True,
        descending_first=True,
    ),
    Column(gettext_lazy("Adopted"), "antagen", ("adopted_on",), nullable=True, descending_first=True),
    default=None,
)


@member_required
def plan_list(request):
    sort = PLAN_TABLE.sort(request)
    plans = sort.apply(
        Plan.objects.filter(municipality=request.membership.municipality).select_related("replaced_by").current_first()
    )
    page = Paginator(plans, PLANS_PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "plans/plan_list.html", {"plans": page, "page": page, "sort": sort})


@member_required
@per_user_page_cache
def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk)
    municipality = request.membership.municipality
    units = list(OrgUnit.objects.filter(municipality=municipality).order_by("name"))
    unit = None
    unit_id = int_param(request, "enhet")
    if unit_id is not None:
        unit = next((u for u in units if u.pk == unit_id), None)
    area = choice_param(request, "omrade", RightsArea.Code.values)
    tree = plan_tree(plan, unit=unit, rights_area=area or None)
    chain = plan_chain(plan)
    context = {
        "plan": plan,
        "tree": tree,
        "units": units,
        "selected_unit": unit,
        "rights_areas": RightsArea.Code.choices,
        "selected_area": area,
        "filtered": bool(unit or area),
        "history": history_for(plan),
        "can_edit": request.membership.is_coordinator,
        "summary_form": _summary_form(plan) if request.membership.is_coordinator else None,
        "chain": chain,
        "adopt_form": AdoptForm(plan=plan) if request.membership.is_coordinator else None,
        "adoption_blocked": services.adoption_refusal(plan, chain) if request.membership.is_coordinator else None,
        "steering": steering_of(plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _summary_form(obj) -> SwedishTextsForm:
    """The plain-summary form on a plan's or goal's page (coordinators)."""
    return SwedishTextsForm(obj=obj, fields=plain_summary_fields)


@member_required
@require_http_methods(["GET", "POST"])
def plan_summary(request, pk):
    """The plan's plain-language summary in Swedish, for the public site (coordinators)."""
    plan = get_plan_for_user(request.user, pk, write=True)
    plan = Plan.objects.prefetch_related("translations").get(pk=plan.pk)
    back = reverse("plans:detail", args=[plan.pk])
    return edit_swedish_texts(
        request,
        obj=plan,
        municipality=plan.municipality,
        fields=plain_summary_fields,
        template="public/staff/swedish_texts.html",
        context={"heading": _("Plain-language summary (public)"), "name": plan.title, "back_url": back},
        done_url=back,
    )


@member_required
@require_http_methods(["GET", "POST"])
def goal_summary(request, pk):
    """The goal's plain-language summary in Swedish, for the public site (coordinators)."""
    goal = get_goal_for_user(request.user, pk, write=True)
    goal = Goal.objects.select_related("plan__municipality").prefetch_related("translations").get(pk=goal.pk)
    back = reverse("plans:goal", args=[goal.pk])
    return edit_swedish_texts(
        request,
        obj=goal,
        municipality=goal.plan.municipality,
        fields=plain_summary_fields,
        template="public/staff/swedish_texts.html",
        context={
            "heading": _("Plain-language summary (public)"),
            "name": f"{goal.code} {goal.title}".strip(),
            "back_url": back,
        },
        done_url=back,
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    municipality = request.membership.municipality
    form = PlanForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            municipality=municipality, by=request.user, fields=form.plan_fields(), levels=form.levels
        )
        messages.success(request, _("The plan was created. Now add its goals."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = get_plan_for_user(request.user, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan, municipality=plan.municipality)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=plan, by=request.user, fields=form.plan_fields(), levels=form.levels)
        messages.success(request, _("The plan was saved."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@member_required
@require_http_methods(["GET", "POST"])
def plan_delete(request, pk):
    plan = get_plan_for_user(request.user, pk, write=True)
    # The current plan is the coordinator's explicit choice: with other plans that could be
    # current, deleting it would leave the municipality's pages without a plan.
    must_choose = plan.is_current and live_plans(plan.municipality).exclude(pk=plan.pk).exists()
    if request.method == "POST":
        if must_choose:
            messages.error(request, _("Make another plan the current plan first, then delete this one."))
            return redirect("plans:detail", pk=plan.pk)
        if plan.next_versions.exists():
            messages.error(request, _("A later version was made from this version: delete that one first."))
            return redirect("plans:detail", pk=plan.pk)
        try:
            services.plan_delete(plan=plan, by=request.user)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "The plan has been followed up in rounds or sent on remiss and cannot be deleted. "
                    "Mark it as replaced instead."
                ),
            )
            return redirect("plans:detail", pk=plan.pk)
        messages.success(request, _("The plan “%(title)s” was deleted.") % {"title": plan.title})
        return redirect("plans:list")
    context = {"plan": plan, "goal_count": plan.goals.count(), "must_choose": must_choose}
    return render(request, "plans/plan_confirm_delete.html", context)


@member_required
def plan_export(request, pk):
    plan = get_plan_for_user(request.user, pk, write=True)
    response = HttpResponse(dump_plan(plan), content_type="application/yaml; charset=utf-8")
    filename = f"{slugify(plan.title) or 'plan'}.plan.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required
def plan_xlsx(request, pk):
    """The plan's goals as a spreadsheet, for anyone who may read the plan."""
    plan = get_plan_for_user(request.user, pk)
    return xlsx_response(plan_workbook(plan), f"{slugify(plan.title) or 'plan'}.xlsx")


@coordinator_required
@require_http_methods(["GET", "POST"])
def plan_import(request):
    municipality = request.membership.municipality
    form = PlanImportForm(request.POST or None, request.FILES or None)
    errors = []
    existing = None
    if request.method == "POST" and form.is_valid():
        # A plan file is small and read in milliseconds: its line errors, and the question
        # whether a plan with the same title and period should get a second copy, come at
        # once. Saving it runs in the worker (imports.jobs), which reads the file again.
        upload = form.cleaned_data["file"]
        try:
            spec = parse_plan_file(upload.read(settings.PLAN_FILE_MAX_BYTES + 1), municipality)
        except PlanFileInvalid as exc:
            errors = exc.errors
        else:
            like = plans_like(municipality, title=spec.title, valid_from=spec.valid_from, valid_to=spec.valid_to)
            if like is not None and not form.as_new:
                existing = like
                form.add_as_new()
            else:
                job = request_import(
                    kind=ImportJob.Kind.PLAN,
                    municipality=municipality,
                    by=request.user,
                    upload=upload,
                    as_new=form.as_new,
                )
                return redirect("imports:job", pk=job.pk)
    status = 400 if errors or existing else 200
    context = {"form": form, "errors": errors, "existing": existing}
    return render(request, "plans/plan_import.html", context, status=status)


@member_required
@require_POST
def plan_make_current(request, pk):
    """Make the plan the municipality's current plan (coordinators)."""
    plan = get_plan_for_user(request.user, pk, write=True)
    if plan.status == Plan.Status.REPLACED:
        messages.error(request, _("A replaced plan cannot be the current plan."))
        return redirect("plans:detail", pk=plan.pk)
    services.plan_make_current(plan=plan, by=request.user)
    messages.success(request, _("“%(title)s” is now the current plan.") % {"title": plan.title})
    return redirect("plans:detail", pk=plan.pk)


# --- Goals ----------------------------------------------------------------------


@member_required
@per_user_page_cache
def goal_detail(request, pk):
    goal = get_goal_for_user(request.user, pk)
    goal = (
        Goal.objects.select_related("plan__municipality", "parent")
        .prefetch_related("rights_areas", RESPONSIBILITIES, "responsibilities__group__members")
        .get(pk=goal.pk)
    )
    levels = {level.depth: level for level in goal.plan.levels.all()}
    children = goal.children.order_by("position", "pk")
    activity_sort = GOAL_ACTIVITY_TABLE.sort(request, anchor="goal-activities")
    context = {
        "goal": goal,
        "plan": goal.plan,
        "level": levels.get(goal.depth),
        "child_level": levels.get(goal.depth + 1),
        "children": children,
        "ancestors": _ancestors(goal),
        "history": history_for(goal),
        "can_edit": request.membership.is_coordinator,
        # Paged: a goal served by every unit can have a thousand activities.
        "activities": Paginator(
            activity_sort.apply(goal.activities.select_related("municipality", "owner", "status")),
            ACTIVITIES_PAGE_SIZE,
        ).get_page(request.GET.get("sida")),
        "activity_sort": activity_sort,
        "events": goal.events.order_by("-starts_at", "pk"),
        "summary_form": _summary_form(goal) if request.membership.is_coordinator else None,
        "goal_history": goal_history(goal, page=int_param(request, "omgangar", min_value=1) or 1),
        "related_goals": related_goals(goal),
    }
    return render(request, "plans/goal_detail.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def plan_statuses(request, pk):
    """The plan's own activity statuses, each mapped to a fixed summary."""
    plan = get_plan_for_user(request.user, pk, write=True)
    formset = ActivityStatusFormSet(request.POST or None, instance=plan, prefix="s")
    if request.method == "POST" and formset.is_valid():
        services.statuses_save(plan=plan, by=request.user, formset=formset)
        messages.success(request, _("The statuses were saved."))
        return redirect("plans:detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/plan_statuses.html", {"plan": plan, "formset": formset}, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def plan_steering(request, pk):
    """The plan's steering: which units must have a contact person, who supports whom, and
    the other steering documents it refers to."""
    plan = get_plan_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    contacts = ContactUnitsForm(data, plan=plan)
    kwargs = {"municipality": plan.municipality}
    support = SupportFormSet(data, instance=plan, prefix="st", form_kwargs=kwargs)
    references = ReferenceFormSet(data, instance=plan, prefix="ref", form_kwargs={"plan": plan})
    if request.method == "POST" and contacts.is_valid() & support.is_valid() & references.is_valid():
        services.steering_save(
            plan=plan,
            by=request.user,
            contact_units=contacts.cleaned_data["contact_units"],
            support_formset=support,
            reference_formset=references,
        )
        messages.success(request, _("The plan's steering was saved."))
        return redirect(reverse("plans:detail", args=[plan.pk]) + "#steering")
    context = {"plan": plan, "contacts": contacts, "support": support, "references": references}
    return render(request, "plans/plan_steering.html", context, status=400 if request.method == "POST" else 200)


def _ancestors(goal: Goal) -> list[Goal]:
    chain = []
    parent_id = goal.parent_id
    by_id = {g.pk: g for g in Goal.objects.filter(plan_id=goal.plan_id, depth__lt=goal.depth)}
    while parent_id:
        parent = by_id[parent_id]
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


@member_required
@require_http_methods(["GET", "POST"])
def goal_create(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk, write=True)
    initial = {}
    parent_id = int_param(request, "under")
    if parent_id is not None:
        parent = get_object_or_404(Goal, pk=parent_id, plan=plan)
        initial["parent"] = parent
        level = plan.levels.filter(depth=parent.depth + 1).first()
        if level:
            initial["kind"] = level.goal_kind
    else:
        level = plan.levels.filter(depth=1).first()
        if level:
            initial["kind"] = level.goal_kind
    form = GoalForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        goal = services.goal_create(
            plan=plan,
            parent=form.cleaned_data.get("parent"),
            by=request.user,
            fields=form.goal_fields(),
            rights_areas=[a.pk for a in form.cleaned_data["rights_areas"]],
            responsible=form.responsible(),
            related_goals=form.cleaned_data["related_goals"],
        )
        messages.success(request, _("The goal %(code)s was added.") % {"code": goal.code})
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/goal_form.html", {"form": form, "plan": plan})


@member_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = get_goal_for_user(request.user, pk, write=True)
    form = GoalForm(request.POST or None, instance=goal, plan=goal.plan)
    if request.method == "POST" and form.is_valid():
        services.goal_update(
            goal=goal,
            by=request.user,
            fields=form.goal_fields(),
            rights_areas=[a.pk for a in form.cleaned_data["rights_areas"]],
            responsible=form.responsible(),
            related_goals=form.cleaned_data["related_goals"],
        )
        messages.success(request, _("The goal %(code)s was saved.") % {"code": goal.code})
        return redirect("plans:goal", pk=goal.pk)
    return render(request, "plans/goal_form.html", {"form": form, "plan": goal.plan, "goal": goal})


@member_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, pk):
    goal = get_goal_for_user(request.user, pk, write=True)
    if request.method == "POST":
        plan_pk = goal.plan_id
        try:
            services.goal_delete(goal=goal, by=request.user)
        except ProtectedError:
            messages.error(
                request,
                _("The goal, or a goal under it, has been reported on in a follow-up round and cannot be deleted."),
            )
            return redirect("plans:goal", pk=goal.pk)
        messages.success(request, _("The goal %(code)s was deleted.") % {"code": goal.code})
        return redirect("plans:detail", pk=plan_pk)
    descendants = goal_descendants(goal)
    return render(request, "plans/goal_confirm_delete.html", {"goal": goal, "descendants": descendants})


# --- Versions (docs/plan-versions.md) ---------------------------------------------------


def _version_of_chain(request, plan: Plan, pk: int) -> Plan:
    """Another version of the same plan, or 404 (a plan outside the chain is not a version)."""
    other = get_plan_for_user(request.user, pk)
    if other.pk not in {p.pk for p in plan_chain(plan)}:
        raise Http404
    return other


@member_required
@require_POST
def plan_new_version(request, pk):
    """Start a new version of the plan: a draft copy (coordinators)."""
    plan = get_plan_for_user(request.user, pk, write=True)
    try:
        copy = services.plan_new_version(plan=plan, by=request.user)
    except services.NewVersionRefused as exc:
        messages.error(request, str(exc))
        return redirect("plans:detail", pk=exc.newest.pk)
    messages.success(
        request,
        _("Version %(version)d was created as a draft copy of version %(previous)d.")
        % {"version": copy.version, "previous": plan.version},
    )
    return redirect("plans:detail", pk=copy.pk)


@member_required
@require_http_methods(["GET", "POST"])
def plan_adopt(request, pk):
    """Record the council's decision adopting this version (coordinators)."""
    plan = get_plan_for_user(request.user, pk, write=True)
    form = AdoptForm(request.POST or None, plan=plan)
    chain = plan_chain(plan)
    # Said before the form, which is then not offered: why adoption would be refused
    # whatever is typed in it (the service refuses with the same words).
    blocked = services.adoption_refusal(plan, chain)
    refused = None
    if request.method == "POST" and form.is_valid() and blocked is None:
        data = form.cleaned_data
        try:
            result = services.plan_adopt(
                plan=plan,
                by=request.user,
                adopted_by=data["adopted_by"],
                adopted_on=data["adopted_on"],
                paragraph=data["paragraph"],
                dnr=data["dnr"],
            )
        except services.AdoptionRefused as exc:
            refused = str(exc)
        else:
            messages.success(request, _("Version %(version)d is adopted.") % {"version": plan.version})
            if result.carried_from is not None:
                messages.info(
                    request,
                    ngettext(
                        "%(moved)d activity was carried over from version %(old)d.",
                        "%(moved)d activities were carried over from version %(old)d.",
                        result.moved,
                    )
                    % {"moved": result.moved, "old": result.carried_from.version},
                )
            if result.left_behind:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d activity stays with version %(old)d: none of its goals is in this version.",
                        "%(count)d activities stay with version %(old)d: none of their goals is in this version.",
                        result.left_behind,
                    )
                    % {"count": result.left_behind, "old": result.carried_from.version},
                )
            return redirect("plans:detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "plan": plan,
        "form": form,
        "blocked": blocked,
        "refused": refused,
        "giving": handing_over(plan, chain),
        "chain": chain,
        # Page errors without an invalid form (the title's "Fel: ").
        "page_has_errors": request.method == "POST" and (blocked or refused) is not None,
    }
    return render(request, "plans/plan_adopt.html", context, status=status)


@member_required
def plan_compare_choose(request, pk):
    """Choose two versions of the plan to compare (a GET form; its answer redirects)."""
    plan = get_plan_for_user(request.user, pk)
    chain = plan_chain(plan)
    ids = {p.pk for p in chain}
    old_pk, new_pk = int_param(request, "fran"), int_param(request, "till")
    if old_pk in ids and new_pk in ids:
        return redirect("plans:compare", pk=old_pk, other_pk=new_pk)
    return render(request, "plans/plan_compare_choose.html", {"plan": plan, "chain": chain})


def _comparison(request, pk, other_pk):
    """The two versions and their comparison, each change with ``causes``: the remiss
    comments on the earlier version linked to it (``comparison.plan_causes`` for the
    plan's own texts; docs/remiss.md)."""
    from remiss.selectors import causes_of_changes

    old = get_plan_for_user(request.user, pk)
    new = _version_of_chain(request, old, other_pk)
    comparison = versions.compare(versions.snapshot(old), versions.snapshot(new))
    causes = causes_of_changes(old, new, request.membership)
    for change in comparison.changed_goals:
        change.causes = causes.get(f"goal:{change.goal.identity}", [])
    comparison.plan_causes = causes.get("plan", [])
    return old, new, comparison


@member_required
def plan_compare_docx(request, pk, other_pk):
    """The comparison as Word: a two-column table per changed item."""
    from reports.render import DOCX_CONTENT_TYPE, render_docx

    from .versions_document import comparison_document

    old, new, comparison = _comparison(request, pk, other_pk)
    rendered = render_docx(comparison_document(old, new, comparison))
    response = HttpResponse(rendered.data, content_type=DOCX_CONTENT_TYPE)
    name = f"jamforelse-{slugify(new.title)[:50] or 'plan'}-v{old.version}-v{new.version}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required
def plan_compare_tracked_docx(request, pk, other_pk):
    """The comparison as Word with tracked changes: the later version's text with the
    changes as Word revisions, to accept or reject in Word (plans/versions_tracked.py)."""
    from reports.render import DOCX_CONTENT_TYPE

    from .versions_tracked import tracked_changes_docx

    old = get_plan_for_user(request.user, pk)
    new = _version_of_chain(request, old, other_pk)
    response = HttpResponse(tracked_changes_docx(old, new), content_type=DOCX_CONTENT_TYPE)
    name = f"jamforelse-{slugify(new.title)[:50] or 'plan'}-v{old.version}-v{new.version}-sparade-andringar.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required
def plan_compare(request, pk, other_pk):
    """What changed from one version of the plan to another, word by word."""
    old, new, comparison = _comparison(request, pk, other_pk)
    context = {"old": old, "new": new, "plan": new, "comparison": comparison, "chain": plan_chain(new)}
    return render(request, "plans/plan_compare.html", context)
