"""Adding and deleting attachments, each audited on the object it belongs to.

The file is written to storage only after it has been checked
(documents.validators.check_upload, run by the form), and deleted again when
the row cannot be saved; a deleted attachment's file is removed once the
deletion is committed, so a rolled-back deletion keeps its file.
"""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat

from audit.models import AuditEvent
from audit.services import audit_record

from .models import Attachment, storage_path
from .registry import rules_for
from .validators import CheckedFile

log = logging.getLogger(__name__)


def describe(attachment: Attachment) -> str:
    """How the audit log names an attachment: its title or name, kind and size."""
    label = attachment.original_name
    if attachment.title:
        label = f"{attachment.title} ({attachment.original_name})"
    return f"{label}, {attachment.get_kind_display()}, {filesizeformat(attachment.size)}"


def attachment_add(*, obj: models.Model, by, upload, checked: CheckedFile, title: str = "") -> Attachment:
    """Store the checked file and record it as attached to ``obj``."""
    rules = rules_for(type(obj))
    if rules is None:
        raise ValueError(f"{type(obj).__name__} takes no attachments (documents.registry)")
    municipality = rules.municipality_of(obj)
    attachment = Attachment(
        municipality=municipality,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        original_name=checked.name,
        title=title.strip(),
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        added_by=by,
    )
    upload.seek(0)
    stored = default_storage.save(storage_path(attachment, checked.name), upload)
    attachment.file.name = stored
    try:
        with transaction.atomic():
            attachment.save()
            audit_record(
                municipality=municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=obj,
                changes={"attachment": [None, describe(attachment)]},
            )  # fmt: skip
    except BaseException:
        _delete_file(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    obj = attachment.content_object
    audit_record(
        municipality=attachment.municipality, actor=by, action=AuditEvent.Action.UPDATE, obj=obj,
        changes={"attachment": [describe(attachment), None]},
    )  # fmt: skip
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_file(name))


def attachments_delete_for(*, obj: models.Model) -> int:
    """Delete the attachments of an object being deleted, their files after the commit."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    attachments = Attachment.objects.filter(content_type=content_type, object_id=obj.pk)
    names = list(attachments.values_list("file", flat=True))
    if not names:
        return 0
    attachments.delete()
    transaction.on_commit(lambda: [_delete_file(name) for name in names])
    return len(names)


def _delete_file(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # the sweep of a later deletion, or the operator, removes it
        log.warning("Could not delete the attachment file %s", name)
