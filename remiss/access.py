"""Who may see and answer a remiss (docs/remiss.md): 404 when missing, another
municipality's, or (for a unit contact) not one of their units' bodies; 403
when readable but not the user's to change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import Body, Comment, Remiss


def get_remiss_for_user(user, pk, *, write: bool = False) -> Remiss:
    """Coordinators: every remiss; readers: every remiss, drafts too, read only; a
    unit contact: a sent (or closed) remiss with a body of one of their units, read only.
    (Representatives never get here: the views are for staff members.)"""
    membership = membership_of(user)
    remiss = get_object_or_404(
        Remiss.objects.select_related("plan", "municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    if membership.is_coordinator:
        return remiss
    if membership.is_contact and (
        remiss.is_draft or not remiss.bodies.filter(unit_id__in=membership.unit_ids).exists()
    ):
        raise Http404
    if write:
        raise PermissionDenied
    return remiss


def get_compilation_for_user(user, pk) -> Remiss:
    """The compilation: the coordinator (who records the handling) and readers; a
    unit contact sees only their own body's answer, not the others'."""
    membership = membership_of(user)
    remiss = get_remiss_for_user(user, pk)
    if membership.is_contact:
        raise PermissionDenied
    return remiss


def get_body_for_user(user, pk, *, write: bool = False) -> Body:
    """A body's answer: the coordinator for every body; a unit contact for their own
    unit's body of a sent remiss (to answer it) or a closed one (to read it);
    readers read."""
    membership = membership_of(user)
    body = get_object_or_404(
        Body.objects.select_related("remiss__plan", "remiss__municipality", "unit"),
        pk=pk,
        remiss__municipality_id=membership.municipality_id,
    )
    if membership.is_coordinator:
        return body
    if membership.is_contact:
        if body.remiss.is_draft or body.unit_id not in membership.unit_ids:
            raise Http404
        if write and not body.remiss.is_sent:
            raise PermissionDenied  # closed: only the coordinator registers a late answer
        return body
    if write:
        raise PermissionDenied
    return body


def get_comment_for_user(user, pk) -> Comment:
    """A comment's handling is the coordinator's to record."""
    membership = membership_of(user)
    comment = get_object_or_404(
        Comment.objects.select_related("answer__body__remiss"),
        pk=pk,
        answer__body__remiss__municipality_id=membership.municipality_id,
    )
    if not membership.is_coordinator:
        raise PermissionDenied
    return comment


def body_for_link(token: str) -> Body:
    """The external organisation's body its personal link names; 404 for any other
    token, a forged one, an internal unit's body, or a remiss not (or no longer) open."""
    pk, _sep, _hash = token.partition("-")
    if not pk.isascii() or not pk.isdigit():
        raise Http404
    body = Body.objects.select_related("remiss__plan", "remiss__municipality").filter(pk=int(pk)).first()
    if body is None or not body.is_external or not body.token_matches(token) or body.remiss.is_draft:
        raise Http404
    return body
