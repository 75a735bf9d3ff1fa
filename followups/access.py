"""Access checks for rounds and unit reports: 404 when missing or another
municipality's, 403 when readable but not the user's to change. A unit's
report is written by the unit's contacts (and the coordinator); only the
coordinator opens rounds, returns and approves."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import Round, UnitReport


def get_round_for_user(user, pk, *, write: bool = False) -> Round:
    membership = membership_of(user)
    rnd = get_object_or_404(
        Round.objects.select_related("plan", "municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return rnd


def get_report_for_user(user, pk, *, write: bool = False, review: bool = False) -> UnitReport:
    """``write``: the unit's own writer; ``review``: the coordinator (return, approve)."""
    membership = membership_of(user)
    report = get_object_or_404(
        UnitReport.objects.select_related("round__plan", "round__municipality", "unit"),
        pk=pk,
        round__municipality_id=membership.municipality_id,
    )
    if write and not membership.may_edit_unit_work(report.unit_id):
        raise PermissionDenied
    if review and not membership.is_coordinator:
        raise PermissionDenied
    return report
