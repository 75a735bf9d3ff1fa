"""Access checks for needs inventories: the municipality's staff read them;
the coordinator and the contacts of the inventory's unit change them. A
published inventory's results are public (suppressed); nothing else is."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import DialogueNote, Inventory, Recommendation, Theme


def may_change(membership, inventory: Inventory) -> bool:
    if membership.is_coordinator:
        return True
    return inventory.unit_id is not None and membership.may_edit_unit_work(inventory.unit_id)


def get_inventory_for_user(user, pk, *, write: bool = False) -> Inventory:
    membership = membership_of(user)
    inventory = get_object_or_404(
        Inventory.objects.select_related("municipality", "unit", "plan"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if not membership.is_staff_member or (write and not may_change(membership, inventory)):
        raise PermissionDenied
    return inventory


def _child(model, user, pk, write):
    obj = get_object_or_404(
        model.objects.select_related("inventory"), pk=pk, inventory__municipality_id=membership_of(user).municipality_id
    )
    obj.inventory = get_inventory_for_user(user, obj.inventory_id, write=write)
    return obj


def get_theme_for_user(user, pk, *, write: bool = False) -> Theme:
    return _child(Theme, user, pk, write)


def get_note_for_user(user, pk, *, write: bool = False) -> DialogueNote:
    return _child(DialogueNote, user, pk, write)


def get_recommendation_for_user(user, pk, *, write: bool = False) -> Recommendation:
    return _child(Recommendation, user, pk, write)
