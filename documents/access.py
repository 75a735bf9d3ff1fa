"""The access check for an attachment: the rules of the object it belongs to
(documents/registry.py). 404 for missing, another municipality's, or an
object the person may not see; 403 for one they may see but not change."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import Attachment
from .registry import may_change, may_view, rules_for


def get_attachment_for_user(user, pk, *, write: bool = False) -> Attachment:
    membership = membership_of(user)
    attachment = get_object_or_404(
        Attachment.objects.select_related("municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    owner = attachment.content_object
    if owner is None or not may_view(user, owner):
        raise Http404
    if write and not may_change(user, owner):
        raise PermissionDenied
    return attachment


def get_owner_for_user(user, content_type, object_id, *, write: bool = False):
    """The object a new attachment is for: 404 for a kind that takes none, a
    missing object, another municipality's or one the person may not see."""
    membership = membership_of(user)
    model = content_type.model_class()
    rules = rules_for(model)
    if rules is None:
        raise Http404
    owner = model._default_manager.filter(pk=object_id).first()
    if owner is None or getattr(rules.municipality_of(owner), "pk", None) != membership.municipality_id:
        raise Http404
    if not may_view(user, owner):
        raise Http404
    if write and not may_change(user, owner):
        raise PermissionDenied
    return owner
