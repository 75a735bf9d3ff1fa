from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.selectors import history_for
from lib.forms import int_param, year_param
from organisations.access import coordinator_required, member_required
from plans.models import Goal
from plans.selectors import live_plans, sort_in_tree_order

from . import services
from .access import get_body_for_user, get_decision_for_user
from .forms import AnalysisForm, BodyForm, DecisionForm, MeetingForm
from .models import Body, ConsequenceAnalysis
from .selectors import decision_log, decision_years


@member_required
def decision_list(request):
    membership = request.membership
    municipality = membership.municipality
    bodies = list(Body.objects.filter(municipality=municipality))
    body_pk = int_param(request, "organ")
    body = next((b for b in bodies if b.pk == body_pk), None)
    goals = sort_in_tree_order(
        list(Goal.objects.filter(plan__in=live_plans(municipality), decisions__isnull=False).distinct())
    )
    goal_pk = int_param(request, "mal")
    goal = next((g for g in goals if g.pk == goal_pk), None)
    year = year_param(request, "ar")
    context = {
        "decisions": decision_log(municipality, body=body, year=year, goal=goal),
        "bodies": bodies,
        "selected_body": body,
        "years": decision_years(municipality),
        "selected_year": year,
        "goals": goals,
        "selected_goal": goal,
        "can_edit": membership.is_coordinator,
    }
    return render(request, "decisions/decision_list.html", context)


@member_required
def decision_detail(request, pk):
    decision = get_decision_for_user(request.user, pk)
    analysis = ConsequenceAnalysis.objects.filter(decision=decision).first()
    context = {
        "decision": decision,
        "goals": sort_in_tree_order(list(decision.goals.all())),
        "activities": decision.activities.select_related("municipality").order_by("number"),
        "remisses": decision.remisses.all(),
        "consultations": decision.consultations.order_by("-starts_at"),
        "analysis": analysis,
        "analysis_consultations": analysis.consultations.order_by("-starts_at") if analysis else [],
        "can_edit": request.membership.is_coordinator,
        "history": history_for(decision),
    }
    return render(request, "decisions/decision_detail.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def decision_create(request):
    municipality = request.membership.municipality
    initial = {}
    if (body_pk := int_param(request, "organ")) is not None:
        initial["body"] = body_pk
    form = DecisionForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        decision = services.decision_save(
            municipality=municipality, by=request.user, fields=form.decision_fields(), relations=form.relations()
        )
        messages.success(request, _("The decision was recorded."))
        return redirect("decisions:detail", pk=decision.pk)
    return render(request, "decisions/decision_form.html", {"form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk):
    decision = get_decision_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST or None, instance=decision, municipality=decision.municipality)
    if request.method == "POST" and form.is_valid():
        services.decision_save(
            municipality=decision.municipality,
            by=request.user,
            fields=form.decision_fields(),
            relations=form.relations(),
            decision=decision,
        )
        messages.success(request, _("The decision was saved."))
        return redirect("decisions:detail", pk=decision.pk)
    return render(request, "decisions/decision_form.html", {"form": form, "decision": decision})


@coordinator_required
@require_http_methods(["GET", "POST"])
def analysis_edit(request, pk):
    decision = get_decision_for_user(request.user, pk, write=True)
    analysis = ConsequenceAnalysis.objects.filter(decision=decision).first()
    form = AnalysisForm(request.POST or None, instance=analysis, decision=decision)
    if request.method == "POST" and form.is_valid():
        services.analysis_save(
            decision=decision,
            by=request.user,
            fields=form.analysis_fields(),
            consultations=form.cleaned_data["consultations"],
        )
        messages.success(request, _("The consequence analysis was saved."))
        return redirect("decisions:detail", pk=decision.pk)
    return render(request, "decisions/analysis_form.html", {"form": form, "decision": decision})


@member_required
def body_list(request):
    membership = request.membership
    bodies = Body.objects.filter(municipality_id=membership.municipality_id).select_related("unit")
    context = {"bodies": bodies, "can_edit": membership.is_coordinator}
    return render(request, "decisions/body_list.html", context)


@member_required
def body_detail(request, pk):
    body = get_body_for_user(request.user, pk)
    context = {
        "body": body,
        "meetings": body.meetings.all(),
        "decisions": body.decisions.order_by("-decided_on", "-pk")[:50],
        "can_edit": request.membership.is_coordinator,
        "history": history_for(body),
    }
    return render(request, "decisions/body_detail.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def body_create(request):
    municipality = request.membership.municipality
    form = BodyForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        body = services.body_save(municipality=municipality, by=request.user, fields=form.cleaned_data)
        messages.success(request, _("The body was added."))
        return redirect("decisions:body", pk=body.pk)
    return render(request, "decisions/body_form.html", {"form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def body_edit(request, pk):
    body = get_body_for_user(request.user, pk, write=True)
    form = BodyForm(request.POST or None, instance=body, municipality=body.municipality)
    if request.method == "POST" and form.is_valid():
        services.body_save(municipality=body.municipality, by=request.user, fields=form.cleaned_data, body=body)
        messages.success(request, _("The body was saved."))
        return redirect("decisions:body", pk=body.pk)
    return render(request, "decisions/body_form.html", {"form": form, "body": body})


@coordinator_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    body = get_body_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        services.meeting_create(body=body, by=request.user, fields=form.cleaned_data)
        messages.success(request, _("The meeting was added."))
        return redirect("decisions:body", pk=body.pk)
    return render(request, "decisions/meeting_form.html", {"form": form, "body": body})
