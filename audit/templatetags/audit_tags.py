import re

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Labels for audited values that are not model fields.
EXTRA_LABELS = {
    "levels": _("levels"),
    "rights_areas": _("rights areas"),
    "responsible": _("responsible"),
    "members": _("members"),
    "units": _("units"),
    "name": _("name"),
    "email": _("e-mail"),
    "goals": _("goals"),
    "co_units": _("co-operating units"),
    "progress_note": _("progress note"),
    "fields": _("extra questions"),
    "reports": _("unit reports"),
    "activities": _("activities"),
    "activity_statuses": _("activity statuses"),
    "return_comment": _("the coordinator's comment"),
    "attachment": _("attached document"),
    "reminder": _("reminder sent to"),
    "organisations": _("external organisations"),
    "event": _("event"),
    "meeting": _("meeting"),
}


# A public text's change is recorded per language: "plain_summary [en]", "status [sv]"
# (public.services): the translated field, or the text's translation status.
_PER_LANGUAGE = re.compile(r"(?P<field>\w+) \[(?P<tag>[A-Za-z0-9-]+)\]")


def _translated_label(model, key: str) -> str | None:
    """ "Sammanfattning på klarspråk (engelska)" for "plain_summary [en]": the translated
    field's verbose name and the language's name; None if the key is not one of these."""
    from lib.languages import BY_TAG

    match = _PER_LANGUAGE.fullmatch(key)
    meta = getattr(model, "_parler_meta", None) if model is not None else None
    if match is None or meta is None:
        return None
    name = "text_status" if match["field"] == "status" else match["field"]
    try:
        label = str(meta.root_model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return None
    language = BY_TAG.get(match["tag"])
    return f"{label} ({language.name if language else match['tag']})"


def _label(model, key: str) -> str:
    if key in EXTRA_LABELS:
        return str(EXTRA_LABELS[key])
    if (translated := _translated_label(model, key)) is not None:
        return translated
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except (FieldDoesNotExist, AttributeError):  # unknown, or a reverse relation
            pass
    return key


def _value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@register.simple_tag
def audit_changes(event):
    """[(label, old, new)] for an audit event, in display form."""
    model = event.content_type.model_class()
    rows = []
    for key, (old, new) in event.changes.items():
        if _PER_LANGUAGE.fullmatch(key) and key.startswith("status "):
            old, new = _text_status(old), _text_status(new)
        rows.append((_label(model, key), _value(old), _value(new)))
    return rows


def _text_status(value):
    """A public text's translation status as its name ("klar" → "done", translated)."""
    from public.translation import TextStatus

    return str(TextStatus(value).label) if value in TextStatus.values else value
