"""Access checks for activities: 404 when missing or another municipality's,
403 when readable but not the user's to change (a unit contact changes only
their own units' activities; the coordinator all)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import Activity, ProgressNote


def get_activity_for_user(user, pk, *, write: bool = False) -> Activity:
    membership = membership_of(user)
    activity = get_object_or_404(
        Activity.objects.select_related("municipality", "plan", "owner", "status"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if write and not membership.may_edit_unit_work(activity.owner_id):
        raise PermissionDenied
    return activity


def get_note_for_user(user, pk, *, write: bool = False) -> ProgressNote:
    membership = membership_of(user)
    note = get_object_or_404(
        ProgressNote.objects.select_related("activity__municipality", "activity__owner"),
        pk=pk,
        activity__municipality_id=membership.municipality_id,
    )
    if write and not membership.may_edit_unit_work(note.activity.owner_id):
        raise PermissionDenied
    return note
