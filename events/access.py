"""Access checks for events. Staff read all their municipality's events; a
consultation representative only public ones. The coordinator manages every
event, a unit contact those their units organise. 404 for missing, another
municipality's or (for a representative) not public; 403 for readable but not
the user's to change."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.access import membership_of
from organisations.models import Membership

from .models import Event


def may_manage(membership: Membership, event: Event) -> bool:
    if membership.is_coordinator:
        return True
    if not membership.is_contact:
        return False
    return any(unit.pk in membership.unit_ids for unit in event.organisers.all())


def visible_events(membership: Membership) -> QuerySet[Event]:
    qs = Event.objects.filter(municipality_id=membership.municipality_id)
    if not membership.is_staff_member:
        qs = qs.filter(is_public=True)
    return qs


def get_event_for_user(user, pk, *, write: bool = False) -> Event:
    membership = membership_of(user)
    event = get_object_or_404(
        Event.objects.select_related("municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    if not membership.is_staff_member and not event.is_public:
        raise Http404
    if write and not may_manage(membership, event):
        raise PermissionDenied
    return event
