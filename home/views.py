from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render

from consultations.selectors import representative_home
from lib.pagecache import per_user_page_cache
from organisations.models import OrgUnit
from plans.models import Plan
from plans.selectors import current_plan, goals_for_units, sort_in_tree_order

from .dashboard import contact_dashboard, coordinator_dashboard


@per_user_page_cache
def start(request):
    """The start page, by role: the coordinator's overview, a unit contact's
    goals ("mina mål"), a reader's way into the plans."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = request.membership
    if not membership:
        raise PermissionDenied
    municipality = membership.municipality
    if membership.is_representative:
        context = {"rep": representative_home(membership)}
        return render(request, "home/representative_start.html", context)
    plans = (
        Plan.objects.filter(municipality=municipality)
        .exclude(status=Plan.Status.REPLACED)
        .annotate(goal_count=Count("goals"))
        .current_first()
    )
    plan = current_plan(municipality)
    context = {"plans": plans, "current_plan": plan}
    if membership.is_contact:
        units = list(membership.units.order_by("name"))
        context["my_units"] = units
        context["my_goals"] = sort_in_tree_order(goals_for_units(units, municipality))
        context["mine"] = contact_dashboard(units)
    if membership.is_coordinator or membership.role == membership.Role.READER:
        context["board"] = coordinator_dashboard(municipality, plan)
    if membership.is_coordinator:
        context["unit_count"] = OrgUnit.objects.filter(municipality=municipality).active().count()
        # The units the current plan says must have a contact person (docs/plan-versions.md,
        # "Steering"); a plan that names none: every active committee and company board.
        required = OrgUnit.objects.filter(municipality=municipality).active()
        named = plan is not None and plan.contact_units.exists()
        if named:
            required = required.filter(plans_requiring_contact=plan)
        else:
            required = required.exclude(kind__in=[OrgUnit.Kind.RAD, OrgUnit.Kind.FORVALTNING])
        context["contact_units_named_by_plan"] = named
        context["units_without_contact"] = required.exclude(contacts__role="contact").order_by("name")
    return render(request, "home/start.html", context)
