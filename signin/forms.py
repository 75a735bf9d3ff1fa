"""allauth's security-key forms with their field labelled in the UI's language
(allauth leaves the label to Django, which would print "Name")."""

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django.utils.translation import gettext_lazy as _


class NamedKeyMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the security key")
        self.fields["name"].help_text = _("So you can tell your keys apart, e.g. “YubiKey at work”.")


class AddKeyForm(NamedKeyMixin, AddWebAuthnForm):
    pass


class EditKeyForm(NamedKeyMixin, EditWebAuthnForm):
    pass
