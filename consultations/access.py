"""Access checks for consultations. Staff see their municipality's
consultations; a consultation representative only those they are invited to,
and never the internal parts. A consultation is run by the coordinator and the
contacts of its organising units; a view is answered by the coordinator and
the contacts of the item's responsible unit. 404 for missing or not yours,
403 for yours to read but not to change."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.access import membership_of
from organisations.models import Membership

from .models import AgendaItem, Consultation, Council, MinutesVersion, View


def may_run(membership: Membership, consultation: Consultation) -> bool:
    if membership.is_coordinator:
        return True
    if not membership.is_contact:
        return False
    return any(unit.pk in membership.unit_ids for unit in consultation.organisers.all())


def is_invited(membership: Membership, consultation: Consultation) -> bool:
    return consultation.representatives.filter(pk=membership.pk).exists()


def get_consultation_for_user(user, pk, *, write: bool = False) -> Consultation:
    membership = membership_of(user)
    consultation = get_object_or_404(
        Consultation.objects.select_related("municipality", "council"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if membership.is_representative:
        if not is_invited(membership, consultation):
            raise Http404
        if write:
            raise PermissionDenied
    elif write and not may_run(membership, consultation):
        raise PermissionDenied
    return consultation


def get_item_for_user(user, pk, *, write: bool = False) -> AgendaItem:
    membership = membership_of(user)
    item = get_object_or_404(
        AgendaItem.objects.select_related("consultation__municipality", "responsible_unit"),
        pk=pk,
        consultation__municipality_id=membership.municipality_id,
    )
    get_consultation_for_user(user, item.consultation_id, write=write)
    return item


def get_view_for_user(user, pk, *, write: bool = False, answer: bool = False) -> View:
    """``write``: change the view itself (who runs the consultation); ``answer``:
    give feedback (the coordinator, or the responsible unit's contacts)."""
    membership = membership_of(user)
    view = get_object_or_404(
        View.objects.select_related("item__consultation__municipality", "item__responsible_unit"),
        pk=pk,
        item__consultation__municipality_id=membership.municipality_id,
    )
    get_consultation_for_user(user, view.item.consultation_id, write=write)
    if answer and (membership.is_representative or not membership.may_edit_unit_work(view.item.responsible_unit_id)):
        raise PermissionDenied
    return view


def visible_minutes_q(membership: Membership):
    """The minutes a person may read: staff all; a representative those sent
    to them for review (from then on) and published ones."""
    if membership.is_staff_member:
        return Q()
    return Q(status=MinutesVersion.Status.PUBLISHED) | (
        Q(reviewers=membership) & ~Q(status=MinutesVersion.Status.DRAFT)
    )


def get_minutes_for_user(user, pk, *, write: bool = False) -> MinutesVersion:
    membership = membership_of(user)
    qs = MinutesVersion.objects.select_related("consultation__municipality").filter(
        visible_minutes_q(membership), consultation__municipality_id=membership.municipality_id
    )
    minutes = get_object_or_404(qs.distinct(), pk=pk)
    get_consultation_for_user(user, minutes.consultation_id, write=write)
    return minutes


def get_council_for_user(user, pk, *, write: bool = False) -> Council:
    membership = membership_of(user)
    if membership.is_representative:
        raise PermissionDenied
    council = get_object_or_404(Council, pk=pk, municipality_id=membership.municipality_id)
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return council
