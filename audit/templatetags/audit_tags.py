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
}


def _label(model, key: str) -> str:
    if key in EXTRA_LABELS:
        return str(EXTRA_LABELS[key])
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
    return [(_label(model, key), _value(old), _value(new)) for key, (old, new) in event.changes.items()]
