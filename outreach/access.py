"""Access to outreach counts. The municipality's staff read every unit's
months; a unit's contact enters and changes their own units' months, the
coordinator every unit's. Representatives see none of it (member_required).
404 for a unit of another municipality, 403 for a unit the person may read
but not change."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.access import get_unit_for_user, membership_of
from organisations.models import Membership, OrgUnit


def may_enter(membership: Membership, unit: OrgUnit) -> bool:
    return membership.may_edit_unit_work(unit.pk)


def get_outreach_unit_for_user(user, pk, *, write: bool = False) -> OrgUnit:
    membership = membership_of(user)
    if not membership.is_staff_member:
        raise Http404
    unit = get_unit_for_user(user, pk)
    if write and not may_enter(membership, unit):
        raise PermissionDenied
    return unit
