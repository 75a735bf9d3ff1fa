from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from documents.forms import AttachmentForm
from documents.registry import locked_reason, may_change, may_view
from documents.selectors import attachments_of
from documents.views import ERRORS_KEY, errors_key

register = template.Library()


@register.inclusion_tag("documents/_attachments.html", takes_context=True)
def attachments(context, obj, heading_level=2):
    """The object's attachments with download links, and for those who may
    change the object the upload form and delete buttons. A refused upload's
    errors (kept in the session by documents.views.upload) are shown once, at
    the file field."""
    request = context["request"]
    user = request.user
    if not may_view(user, obj):
        return {"shown": False}
    can_change = may_change(user, obj)
    form = None
    if can_change:
        form = AttachmentForm(auto_id="id_attachment_%s", max_mb=settings.ATTACHMENT_MAX_MB)
        pending = request.session.get(ERRORS_KEY) or {}
        refused = pending.pop(errors_key(obj), None)
        if refused is not None:
            request.session[ERRORS_KEY] = pending
            form = AttachmentForm(
                {"title": refused["title"]}, {}, auto_id="id_attachment_%s", max_mb=settings.ATTACHMENT_MAX_MB
            )
            form.is_valid()
            form.errors.clear()
            for name, errors in refused["errors"].items():
                form.errors[name if name in form.fields else "file"] = form.error_class(errors)
    listed = attachments_of(obj)
    if can_change:
        for attachment in listed:
            attachment.locked = locked_reason(obj, attachment)
    return {
        "shown": True,
        "obj": obj,
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
        "attachments": listed,
        "can_change": can_change,
        "form": form,
        "heading_level": heading_level,
        "csrf_token": context.get("csrf_token"),
    }
