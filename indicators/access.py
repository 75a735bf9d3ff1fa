"""Access checks for indicators and measurements: 404 when missing or another
municipality's, 403 when readable but not the user's to change.

The coordinator changes everything. A unit contact enters, corrects and
removes the measurements of the indicators their unit is responsible for.
Readers read."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.access import membership_of
from organisations.models import Membership

from .models import Indicator, Measurement


def may_measure(membership: Membership, indicator: Indicator) -> bool:
    """Whether the member may enter measurements for the indicator: nobody,
    when they are computed (competence.services writes them)."""
    if indicator.source_kind == Indicator.Source.COMPUTED_TRAINING:
        return False
    return membership.may_edit_unit_work(indicator.responsible_unit_id)


def get_indicator_for_user(user, pk, *, write: bool = False, measure: bool = False) -> Indicator:
    """``write``: change the indicator itself (coordinator); ``measure``: enter
    its measurements (coordinator or a contact of its responsible unit)."""
    membership = membership_of(user)
    indicator = get_object_or_404(
        Indicator.objects.select_related("municipality", "responsible_unit", "baseline", "track_override_by"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    if measure and not may_measure(membership, indicator):
        raise PermissionDenied
    return indicator


def get_measurement_for_user(user, pk, *, write: bool = False) -> Measurement:
    """``write``: correct or remove the measurement (as for entering one)."""
    membership = membership_of(user)
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__municipality", "indicator__responsible_unit"),
        pk=pk,
        indicator__municipality_id=membership.municipality_id,
    )
    if write and not may_measure(membership, measurement.indicator):
        raise PermissionDenied
    return measurement
