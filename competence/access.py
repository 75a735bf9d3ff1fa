"""Access checks for trainings, occasions and headcounts: 404 when missing or
another municipality's, 403 when readable but not the user's to change.

Staff (coordinators, unit contacts, readers) read everything. The coordinator
keeps the list of trainings and staff groups and registers occasions and
headcounts for every unit; a unit contact registers occasions and headcounts
for their own units."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from indicators.models import Indicator
from organisations.access import membership_of
from organisations.models import Membership, OrgUnit

from .models import Training, TrainingOccasion


def may_register(membership: Membership) -> bool:
    """Coordinators, and contacts who act for at least one unit."""
    return membership.is_coordinator or (membership.is_contact and bool(membership.unit_ids))


def may_manage_occasion(membership: Membership, occasion: TrainingOccasion) -> bool:
    """The coordinator; a contact when every unit counted on it is one of theirs."""
    if membership.is_coordinator:
        return True
    if not membership.is_contact:
        return False
    units = {row.unit_id for row in occasion.rows.all()}
    return bool(units) and units <= membership.unit_ids


def _member(user) -> Membership:
    membership = membership_of(user)
    if not membership.is_staff_member:
        raise PermissionDenied
    return membership


def get_training_for_user(user, pk, *, write: bool = False, register: bool = False) -> Training:
    """``write``: change the training (coordinator); ``register``: add an occasion to it."""
    membership = _member(user)
    training = get_object_or_404(
        Training.objects.select_related("municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    if register and not may_register(membership):
        raise PermissionDenied
    return training


def get_occasion_for_user(user, pk, *, write: bool = False) -> TrainingOccasion:
    membership = _member(user)
    occasion = get_object_or_404(
        TrainingOccasion.objects.select_related("training__municipality"),
        pk=pk,
        training__municipality_id=membership.municipality_id,
    )
    if write and not may_manage_occasion(membership, occasion):
        raise PermissionDenied
    return occasion


def get_headcount_unit_for_user(user, pk, *, write: bool = False) -> OrgUnit:
    """A unit whose headcounts are entered: by its contacts and the coordinator."""
    membership = _member(user)
    unit = get_object_or_404(
        OrgUnit.objects.select_related("municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    if write and not membership.may_edit_unit_work(unit.pk):
        raise PermissionDenied
    return unit


def get_share_indicator_for_user(user, pk) -> Indicator:
    """A computed indicator whose settings the coordinator changes."""
    membership = _member(user)
    indicator = get_object_or_404(
        Indicator.objects.select_related("municipality"),
        pk=pk,
        municipality_id=membership.municipality_id,
        source_kind=Indicator.Source.COMPUTED_TRAINING,
    )
    if not membership.is_coordinator:
        raise PermissionDenied
    return indicator
