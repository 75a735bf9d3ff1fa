import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lib import images
from lib.forms import DateInput
from plans.validators import validate_single_line

from .models import Membership, Municipality, OrgUnit, UnitGroup


def _short_name_taken(municipality, short_name: str, *, unit=None, group=None) -> bool:
    """Short names identify units and groups in plan files, so they are unique across both."""
    units = OrgUnit.objects.filter(municipality=municipality, short_name__iexact=short_name)
    groups = UnitGroup.objects.filter(municipality=municipality, short_name__iexact=short_name)
    if unit is not None:
        units = units.exclude(pk=unit.pk)
    if group is not None:
        groups = groups.exclude(pk=group.pk)
    return units.exists() or groups.exists()


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["kind", "name", "short_name", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_short_name(self):
        short_name = self.cleaned_data["short_name"].strip()
        if _short_name_taken(self.municipality, short_name, unit=self.instance if self.instance.pk else None):
            raise forms.ValidationError(_("Another unit or group already has this short name."))
        return short_name

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = OrgUnit.objects.filter(municipality=self.municipality, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another unit already has this name."))
        return name

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of the validity period is before its start."))
        return data


class UnitGroupForm(forms.ModelForm):
    class Meta:
        model = UnitGroup
        fields = ["name", "short_name", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["members"].queryset = OrgUnit.objects.filter(municipality=municipality).order_by("name")

    def clean_short_name(self):
        short_name = self.cleaned_data["short_name"].strip()
        if _short_name_taken(self.municipality, short_name, group=self.instance if self.instance.pk else None):
            raise forms.ValidationError(_("Another unit or group already has this short name."))
        return short_name


class MemberForm(forms.Form):
    """A person and their role. New people choose their password through an e-mailed link."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units (for a unit contact)"),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    organisation = forms.CharField(
        label=_("Organisation (for a consultation representative)"), max_length=200, required=False
    )
    named_consent = forms.BooleanField(
        label=_("Agrees to be named in views and minutes"),
        required=False,
        help_text=_("Without consent a representative appears only by their organisation."),
    )
    active = forms.BooleanField(label=_("Can sign in"), required=False, initial=True)

    def __init__(self, *args, municipality, member: Membership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["units"].queryset = OrgUnit.objects.filter(municipality=municipality).order_by("name")
        if member is None:
            del self.fields["active"]
        else:
            del self.fields["username"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if sign_in_name_taken(username):
            raise forms.ValidationError(_("The username is taken."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        users = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        if self.member is not None:
            users = users.exclude(pk=self.member.user_id)
        if users.exists():
            raise forms.ValidationError(_("Another person already has this e-mail address."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("role") == Membership.Role.CONTACT and not data.get("units"):
            self.add_error("units", _("Choose the units the contact person acts for."))
        if data.get("role") == Membership.Role.REPRESENTATIVE and not data.get("organisation", "").strip():
            self.add_error("organisation", _("Say which organisation or council the representative speaks for."))
        return data


class MunicipalitySettingsForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = [
            "reference_prefix", "feedback_days", "suppression_k", "org_number", "logo", "open_consultation_figures",
        ]  # fmt: skip
        widgets = {"logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg"})}

    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    # Longer than the stored ten digits: a hyphen or spaces as typed are taken away (clean_org_number).
    org_number = forms.CharField(
        label=capfirst(Municipality._meta.get_field("org_number").verbose_name),
        help_text=Municipality._meta.get_field("org_number").help_text,
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    LOGO_MAX_BYTES = 1_000_000

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload
            if logo.size > self.LOGO_MAX_BYTES:
                raise forms.ValidationError(_("The logo is larger than 1 MB."))
            if getattr(logo, "image", None) is None or logo.image.format not in ("PNG", "JPEG"):
                raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
            width, height = logo.image.size  # from the header: Django's check decodes no pixels
            if not images.within_limits(width, height):
                raise forms.ValidationError(
                    _(
                        "The logo is %(width)d × %(height)d pixels; at most %(side)d × %(side)d "
                        "and %(megapixels)d megapixels are accepted. Make it smaller and upload it again."
                    )
                    % {
                        "width": width,
                        "height": height,
                        "side": images.MAX_SIDE,
                        "megapixels": images.MAX_PIXELS // 1_000_000,
                    }
                )
        return logo

    def clean(self):
        data = super().clean()
        remove = data.pop("remove_logo", False)
        if remove:
            data["logo"] = ""
        return data

    def clean_reference_prefix(self):
        prefix = self.cleaned_data["reference_prefix"].strip().upper()
        if prefix and not re.fullmatch(r"[A-ZÅÄÖ0-9]{1,10}", prefix):
            raise forms.ValidationError(_("Use letters A–Ö and digits only, at most ten."))
        return prefix

    def clean_suppression_k(self):
        k = self.cleaned_data["suppression_k"]
        if k < 3:
            raise forms.ValidationError(_("Never below 3: smaller counts could point out people."))
        return k

    def clean_feedback_days(self):
        days = self.cleaned_data["feedback_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError(_("Between 1 and 365 days."))
        return days

    def clean_org_number(self):
        return clean_org_number(self.cleaned_data["org_number"])


def clean_org_number(value: str) -> str:
    """A Swedish organisation number as ten digits (212000-0142 → 2120000142),
    its last digit checked (the Luhn check digit), or empty."""
    number = re.sub(r"[\s-]", "", value or "")
    if not number:
        return ""
    if not re.fullmatch(r"[0-9]{10}", number):
        raise forms.ValidationError(_("An organisation number is ten digits, e.g. 212000-0142."))
    total = 0
    for position, digit in enumerate(number[:9]):
        product = int(digit) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    if (10 - total % 10) % 10 != int(number[9]):
        raise forms.ValidationError(_("This is not a valid organisation number: check the digits."))
    return number


def sign_in_name_taken(username: str) -> bool:
    """Whether a new account's username would mean someone else at sign-in, which
    takes a username in any case or an e-mail address (organisations.backends): an
    existing username, or another person's e-mail address."""
    return get_user_model().objects.filter(Q(username__iexact=username) | Q(email__iexact=username)).exists()


def clean_municipality_code(value: str, *, exclude_pk: int | None = None) -> str:
    """A kommunkod: four digits (0180), not already used by another municipality."""
    code = (value or "").strip()
    if not re.fullmatch(r"[0-9]{4}", code):
        raise forms.ValidationError(_("A municipality code is four digits, e.g. 0180."))
    existing = Municipality.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise forms.ValidationError(
            _("There is already a municipality with code %(code)s: %(name)s.") % {"code": code, "name": existing.name}
        )
    return code


class NewMunicipalityForm(forms.Form):
    """A new municipality and its first coordinator (``manage.py create_municipality``)."""

    code = forms.CharField(label=_("municipality code"))  # checked by clean_code, with its own message
    # Names head pages, reports and e-mails (subject lines): one line, no control characters.
    name = forms.CharField(label=_("name"), max_length=200, validators=[validate_single_line])
    email = forms.EmailField(label=_("E-mail"))
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False, validators=[validate_single_line]
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False, validators=[validate_single_line])

    def clean_code(self):
        return clean_municipality_code(self.cleaned_data["code"])

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Municipality.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("There is already a municipality with this name."))
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise forms.ValidationError(_("Another person already has this e-mail address."))
        return email

    def clean(self):
        data = super().clean()
        if "email" in data:
            # Signing in takes the username or the e-mail address; by default they are the same.
            data["username"] = (data.get("username") or "").strip() or data["email"].lower()
            User = get_user_model()
            try:
                User._meta.get_field("username").run_validators(data["username"])
            except forms.ValidationError as exc:
                self.add_error("username" if self.data.get("username") else "email", exc)
            else:
                if sign_in_name_taken(data["username"]):
                    self.add_error("username" if self.data.get("username") else "email", _("The username is taken."))
        return data
