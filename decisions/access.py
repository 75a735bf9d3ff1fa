"""Access to the decision log: the municipality's staff read it, the
coordinator keeps it. 404 for missing or another municipality's (and for a
representative), 403 for staff who may read but not change."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import Body, Decision, Meeting


def _staff(user):
    membership = membership_of(user)
    if not membership.is_staff_member:
        raise Http404
    return membership


def get_decision_for_user(user, pk, *, write: bool = False) -> Decision:
    membership = _staff(user)
    decision = get_object_or_404(
        Decision.objects.select_related("body", "meeting", "municipality"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return decision


def get_body_for_user(user, pk, *, write: bool = False) -> Body:
    membership = _staff(user)
    body = get_object_or_404(Body.objects.select_related("unit"), pk=pk, municipality_id=membership.municipality_id)
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return body


def get_meeting_for_user(user, pk, *, write: bool = False) -> Meeting:
    """A meeting of one of the municipality's bodies (it has no page: its body's shows it)."""
    membership = _staff(user)
    meeting = get_object_or_404(
        Meeting.objects.select_related("body__municipality"), pk=pk, body__municipality_id=membership.municipality_id
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return meeting
