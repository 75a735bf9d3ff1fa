"""Access checks for needs inventories: the municipality's staff read them;
the coordinator and the contacts of the inventory's unit change them. A
published inventory's results are public (suppressed); nothing else is.

What respondents wrote in their own words (free-text answers and "other"
texts) is read only by the coordinators and the unit contacts the inventory
names as its coders (``Inventory.coders``): they code it and remove personal
details from it. Readers, representatives and other contacts never see it."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.access import membership_of
from organisations.models import Membership
from surveys.models import Answer

from .models import DialogueNote, Inventory, Recommendation, Theme
from .selectors import TEXT_ANSWERS


def may_change(membership, inventory: Inventory) -> bool:
    if membership.is_coordinator:
        return True
    return inventory.unit_id is not None and membership.may_edit_unit_work(inventory.unit_id)


def may_be_coder(membership) -> bool:
    """A unit contact of any unit may be named to read free text; a reader only
    reads results, and a coordinator reads it anyway."""
    return membership.is_contact


def coder_candidates(municipality_id: int):
    """The people an inventory may name as coders: the municipality's active unit contacts."""
    return get_user_model().objects.filter(
        is_active=True, membership__municipality_id=municipality_id, membership__role=Membership.Role.CONTACT
    )


def may_read_free_text(membership, inventory: Inventory) -> bool:
    """The coordinators, and the unit contacts named as the inventory's coders."""
    if membership.is_coordinator:
        return True
    return may_be_coder(membership) and inventory.coders.filter(pk=membership.user_id).exists()


def get_inventory_for_user(user, pk, *, write: bool = False, free_text: bool = False) -> Inventory:
    """``free_text``: for pages that show what respondents wrote (may_read_free_text)."""
    membership = membership_of(user)
    inventory = get_object_or_404(
        Inventory.objects.select_related("municipality", "unit", "plan"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if not membership.is_staff_member or (write and not may_change(membership, inventory)):
        raise PermissionDenied
    if free_text and not may_read_free_text(membership, inventory):
        raise PermissionDenied
    return inventory


def get_answer_for_user(user, pk) -> Answer:
    """A free-text answer (or one with an "other" text) of an inventory of the
    user's municipality, for those who may read its free text; 404 for any
    other answer, 403 for staff who may not read it."""
    membership = membership_of(user)
    answer = get_object_or_404(
        Answer.objects.filter(TEXT_ANSWERS).select_related("response__survey", "question"),
        pk=pk,
        response__survey__inventory__municipality_id=membership.municipality_id,
    )
    answer.inventory = get_inventory_for_user(user, answer.response.survey.inventory_id, free_text=True)
    return answer


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
