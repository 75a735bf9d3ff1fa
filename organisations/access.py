"""Access checks for organisation objects.

Every object taken from a URL goes through one of these: 404 when it is
missing or belongs to another municipality, 403 when it is the user's to
read but not to change.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, OrgUnit, UnitGroup


def signed_in_member_required(view):
    """The view needs a signed-in user with a membership in a municipality, of any
    role, consultation representatives included; the view checks the rest."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.membership:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def member_required(view):
    """The view is for the municipality's own people (coordinators, unit contacts,
    readers): internal work that consultation representatives do not see."""

    @wraps(view)
    @signed_in_member_required
    def wrapper(request, *args, **kwargs):
        if not request.membership.is_staff_member:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view):
    """The view is for the municipality's coordinators only."""

    @wraps(view)
    @member_required
    def wrapper(request, *args, **kwargs):
        if not request.membership.is_coordinator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def membership_of(user) -> Membership:
    membership = getattr(user, "membership", None)
    if membership is None:
        raise Http404
    return membership


def get_unit_for_user(user, pk, *, write: bool = False) -> OrgUnit:
    membership = membership_of(user)
    unit = get_object_or_404(OrgUnit, pk=pk, municipality_id=membership.municipality_id)
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return unit


def get_group_for_user(user, pk, *, write: bool = False) -> UnitGroup:
    membership = membership_of(user)
    group = get_object_or_404(UnitGroup, pk=pk, municipality_id=membership.municipality_id)
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return group


def get_member_for_user(user, pk, *, write: bool = False) -> Membership:
    """People are managed by coordinators; others may not see the register."""
    membership = membership_of(user)
    member = get_object_or_404(
        Membership.objects.select_related("user"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if not membership.is_coordinator:
        raise PermissionDenied
    return member
