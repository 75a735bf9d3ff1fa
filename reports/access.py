"""Access to council reports and their builds: 404 when missing or another
municipality's; only the coordinator writes reports and starts builds."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import Build, CouncilReport


def get_council_report_for_user(user, pk, *, write: bool = False) -> CouncilReport:
    membership = membership_of(user)
    report = get_object_or_404(
        CouncilReport.objects.select_related("plan", "municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return report


def get_build_for_user(user, pk) -> Build:
    membership = membership_of(user)
    return get_object_or_404(
        Build.objects.select_related("report"), pk=pk, report__municipality_id=membership.municipality_id
    )
