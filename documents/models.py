"""A file attached to an object (a consultation, a plan, …): see docs/documents.md.

The file lives in Django's storage under a random name that says nothing
(never the uploader's name for it); the name it had is kept, cleaned, for the
download. Files are only ever sent by documents.views.download, which checks
that the person may see the object the file belongs to (documents/registry.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def storage_path(attachment: Attachment, filename: str) -> str:
    """Random, under the municipality's folder, with the extension of the kind
    the content was found to be (never anything from the uploaded name)."""
    return f"attachments/{attachment.municipality_id}/{uuid.uuid4().hex}.{attachment.kind}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", _("Word (DOCX)")
        XLSX = "xlsx", _("Excel (XLSX)")
        ODT = "odt", _("OpenDocument text (ODT)")
        ODS = "ods", _("OpenDocument spreadsheet (ODS)")
        PNG = "png", _("PNG image")
        JPEG = "jpeg", _("JPEG image")

    municipality = models.ForeignKey("organisations.Municipality", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=storage_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "pk"]
        # An object's attachments, listed on its page (documents.selectors.attachments_of).
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_object")]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def download_name(self) -> str:
        return self.original_name
