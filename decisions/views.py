from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from audit.selectors import history_for
from lib.confirm import confirmation
from lib.formatting import short_date
from lib.forms import int_param, year_param
from organisations.access import coordinator_required, member_required
from plans.models import Goal
from plans.selectors import live_plans, sort_in_tree_order

from . import services
from .access import get_body_for_user, get_decision_for_user, get_meeting_for_user
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
        "meetings": body.meetings.annotate(decision_count=Count("decisions")),
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


# --- Deleting what was entered by mistake (docs/confirmations.md) ---------------------


@coordinator_required
@require_http_methods(["GET", "POST"])
def decision_delete(request, pk):
    decision = get_decision_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.decision_delete(decision=decision, by=request.user)
        messages.success(request, _("The decision “%(title)s” was deleted.") % {"title": decision.title})
        return redirect("decisions:list")
    analysis = ConsequenceAnalysis.objects.filter(decision=decision).exists()
    files = [a.original_name for a in services.decision_attachments(decision)]
    links = sum(getattr(decision, name).count() for name in services.DECISION_RELATIONS)
    return confirmation(
        request,
        title=_("Delete the decision?"),
        subject=f"{decision.reference} {decision.title}",
        what=_("The decision is deleted from the decision log. Delete a decision only if it was recorded by mistake."),
        consequences=[
            ngettext(
                "Its %(count)d link to a goal, activity, remiss or consultation goes; those stay as they are.",
                "Its %(count)d links to goals, activities, remisses and consultations go; those stay as they are.",
                links,
            )
            % {"count": links}
            if links
            else "",
            _("Its consequence analysis is deleted too.") if analysis else "",
            ngettext(
                "Its attached file is deleted too: %(names)s.",
                "Its %(count)d attached files are deleted too: %(names)s.",
                len(files),
            )
            % {"count": len(files), "names": ", ".join(files)}
            if files
            else "",
            _("The history keeps what the decision said."),
        ],
        button=_("Yes, delete the decision"),
        danger=True,
        cancel_url=reverse("decisions:detail", args=[decision.pk]),
        breadcrumbs=[
            (_("Decisions"), reverse("decisions:list")),
            (decision.title, reverse("decisions:detail", args=[decision.pk])),
        ],
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    body = meeting.body
    if request.method == "POST":
        try:
            services.meeting_delete(meeting=meeting, by=request.user)
        except services.NotAllowedNow as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The meeting was deleted."))
        return redirect("decisions:body", pk=body.pk)
    if reason := services.meeting_in_use(meeting):
        messages.error(request, reason)
        return redirect("decisions:body", pk=body.pk)
    return confirmation(
        request,
        title=_("Delete the meeting?"),
        subject=f"{body.name} {short_date(meeting.held_on)}",
        what=_("The meeting is deleted from the body's list of meetings. No decision is linked to it."),
        consequences=[_("The history keeps the date and notes of the meeting.")],
        button=_("Yes, delete the meeting"),
        danger=True,
        cancel_url=reverse("decisions:body", args=[body.pk]),
        breadcrumbs=[
            (_("Bodies and meetings"), reverse("decisions:bodies")),
            (body.name, reverse("decisions:body", args=[body.pk])),
        ],
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def body_delete(request, pk):
    body = get_body_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.body_delete(body=body, by=request.user)
        except services.NotAllowedNow as exc:
            messages.error(request, str(exc))
            return redirect("decisions:body", pk=body.pk)
        messages.success(request, _("The body “%(name)s” was deleted.") % {"name": body.name})
        return redirect("decisions:bodies")
    if reason := services.body_in_use(body):
        messages.error(request, reason)
        return redirect("decisions:body", pk=body.pk)
    return confirmation(
        request,
        title=_("Delete the body?"),
        subject=body.name,
        what=_("The body is deleted from the list of bodies. It has no meetings or decisions."),
        consequences=[_("The history keeps what was recorded about the body.")],
        button=_("Yes, delete the body"),
        danger=True,
        cancel_url=reverse("decisions:body", args=[body.pk]),
        breadcrumbs=[
            (_("Bodies and meetings"), reverse("decisions:bodies")),
            (body.name, reverse("decisions:body", args=[body.pk])),
        ],
    )
