"""Access checks for plans and goals: 404 when missing or another
municipality's, 403 when readable but not the user's to change."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from lib.forms import int_param
from organisations.access import membership_of

from .models import Goal, Plan


def get_plan_for_user(user, pk, *, write: bool = False) -> Plan:
    membership = membership_of(user)
    plan = get_object_or_404(
        Plan.objects.select_related("municipality", "replaced_by"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return plan


def get_chosen_plan(request) -> Plan | None:
    """The plan chosen with ?plan= on a page about one plan's work, else the
    municipality's current plan (None if it has no plan)."""
    from .selectors import current_plan

    plan_id = int_param(request, "plan")
    if plan_id is not None:
        return get_plan_for_user(request.user, plan_id)
    return current_plan(request.membership.municipality)


def get_goal_for_user(user, pk, *, write: bool = False) -> Goal:
    membership = membership_of(user)
    goal = get_object_or_404(
        Goal.objects.select_related("plan__municipality", "parent"),
        pk=pk,
        plan__municipality_id=membership.municipality_id,
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return goal
