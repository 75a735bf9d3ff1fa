"""Attachments: upload to an object, delete, download (docs/documents.md)."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib.confirm import confirmation
from organisations.access import member_required, signed_in_member_required

from . import services
from .access import get_attachment_for_user, get_owner_for_user
from .forms import AttachmentForm
from .registry import locked_reason, rules_for
from .validators import CONTENT_TYPES

# The session key under which a refused upload's errors wait for the object's page.
ERRORS_KEY = "documents:errors"


def errors_key(owner) -> str:
    return f"{ContentType.objects.get_for_model(owner).pk}:{owner.pk}"


@member_required
@require_POST
def upload(request, content_type_id, object_id):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    owner = get_owner_for_user(request.user, content_type, object_id, write=True)
    back = rules_for(type(owner)).page_url(owner)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = services.attachment_add(
            obj=owner, by=request.user, upload=form.cleaned_data["file"], checked=form.checked,
            title=form.cleaned_data["title"],
        )  # fmt: skip
        messages.success(request, _("“%(name)s” was attached.") % {"name": attachment.original_name})
        return redirect(f"{back}#attachments")
    # Shown at the form's file field on the object's page (documents.templatetags).
    pending = request.session.get(ERRORS_KEY, {})
    pending[errors_key(owner)] = {
        "title": request.POST.get("title", "")[:200],
        "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
    }
    request.session[ERRORS_KEY] = pending
    messages.error(request, _("The file was not attached: see the reason at the form below."))
    return redirect(f"{back}#attachments")


@member_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    attachment = get_attachment_for_user(request.user, pk, write=True)
    owner = attachment.content_object
    reason = locked_reason(owner, attachment)
    if reason:  # e.g. a sent remiss's generated remissunderlag: what the bodies were sent
        messages.error(request, reason)
        return redirect(f"{rules_for(type(owner)).page_url(owner)}#attachments")
    if request.method == "GET":
        return confirmation(
            request,
            title=_("Remove the document?"),
            subject=attachment.title or attachment.original_name,
            what=_("“%(name)s” is removed from “%(owner)s” and the file is deleted.")
            % {"name": attachment.original_name, "owner": owner},
            consequences=[
                _("Nobody can download it any more, from this page or from an old link."),
                _("The history keeps that it was attached and removed, not the file."),
            ],
            button=_("Yes, remove the document"),
            cancel_url=f"{rules_for(type(owner)).page_url(owner)}#attachments",
            danger=True,
        )
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect(f"{rules_for(type(owner)).page_url(owner)}#attachments")


@signed_in_member_required
def download(request, pk, name):
    """The file, for those who may see its object; never a direct storage URL."""
    attachment = get_attachment_for_user(request.user, pk)
    return attachment_response(attachment)


def attachment_response(attachment):
    """The stored file as a download with the headers every download of an attachment
    has (docs/documents.md); the caller has checked access."""
    try:
        stored = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        stored, as_attachment=True, filename=attachment.original_name, content_type=CONTENT_TYPES[attachment.kind]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser show it anyway, nothing in it runs.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
