"""Access checks for practice examples. The municipality's staff read its own
examples; a published example is read by the staff of every municipality.
Consultation representatives see none (the views are member_required).

Writing: the coordinator changes and publishes the municipality's examples;
a unit contact may propose one (create) and change it while it is unpublished.
404 for missing, unpublished elsewhere; 403 for readable but not the user's."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from organisations.access import membership_of
from organisations.models import Membership

from .models import PracticeExample


def may_create(membership: Membership) -> bool:
    return membership.is_coordinator or (membership.is_contact and bool(membership.unit_ids))


def may_edit(membership: Membership, example: PracticeExample) -> bool:
    if example.municipality_id != membership.municipality_id:
        return False
    if membership.is_coordinator:
        return True
    return not example.is_published and may_create(membership)


def may_publish(membership: Membership, example: PracticeExample) -> bool:
    return membership.is_coordinator and example.municipality_id == membership.municipality_id


def may_adopt(membership: Membership) -> bool:
    """Anyone who registers activities (coordinators, contacts acting for a unit)."""
    return membership.is_staff_member and membership.may_register_activities


def visible_examples(membership: Membership) -> QuerySet[PracticeExample]:
    return PracticeExample.objects.readable_by(membership.municipality_id)


def get_example_for_user(user, pk, *, write: bool = False, publish: bool = False) -> PracticeExample:
    membership = membership_of(user)
    example = get_object_or_404(
        PracticeExample.objects.readable_by(membership.municipality_id).select_related("municipality"), pk=pk
    )
    if not membership.is_staff_member:
        raise PermissionDenied
    if write and not may_edit(membership, example):
        raise PermissionDenied
    if publish and not may_publish(membership, example):
        raise PermissionDenied
    return example
