from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput
from organisations.models import Membership, OrgUnit
from plans.models import Plan
from plans.selectors import goal_choices

from .models import Activity, Method, PartnerKind, ProgressNote, TargetGroup


class ActivityForm(forms.ModelForm):
    """An activity's fields. The owner can be one of the user's own units (a
    contact) or any unit (the coordinator); goals are the plan's."""

    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods"), choices=Method.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    partner_kinds = forms.MultipleChoiceField(
        label=_("Kinds of partner"), choices=PartnerKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "title", "description", "goals", "owner", "responsible_role", "mandate", "co_units",
            "partners", "partner_kinds", "target_groups", "methods", "status",
            "start_date", "end_date", "ongoing", "budget", "funding", "funding_ends", "visibility",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "mandate": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "funding_ends": DateInput(),
            "co_units": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
        }
        labels = {"goals": _("Goals the activity serves")}
        help_texts = {
            "goals": _("One or more of the plan's goals."),
            "partners": _("Associations, study associations and other partners, by name."),
            "funding_ends": _("For a state grant or other temporary funding: when it ends."),
            "visibility": _("Public activities are shown on the municipality's public pages."),
        }

    def __init__(self, *args, plan: Plan, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(municipality_id=membership.municipality_id).order_by("name")
        if membership.is_coordinator:
            owners = units.active()
            if self.instance.pk:
                owners = units.filter(pk__in=[*owners.values_list("pk", flat=True), self.instance.owner_id])
        else:
            owners = units.filter(pk__in=membership.unit_ids)
        self.fields["owner"].queryset = owners
        if owners.count() == 1 and not self.instance.pk:
            self.fields["owner"].initial = owners.first()
        self.fields["co_units"].queryset = units.active()
        self.fields["goals"].queryset = plan.goals.order_by("depth", "position", "pk")
        self.fields["status"].queryset = plan.activity_statuses.all()
        self.fields["status"].empty_label = None
        self.fields["budget"].error_messages["min_value"] = _("The budget cannot be negative.")
        if self.instance.pk:  # an edit must say which version it was opened at
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        self.fields["goals"].choices = goal_choices(self.fields["goals"].queryset)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        if data.get("ongoing") and end:
            self.add_error("end_date", _("An ongoing activity has no end date: clear one of them."))
        if data.get("owner") and data["owner"] in (data.get("co_units") or []):
            self.add_error("co_units", _("The responsible unit cannot also be a co-operating unit."))
        if not data.get("goals") and "goals" not in self.errors:
            self.add_error("goals", _("Choose at least one goal the activity serves."))
        return data

    def activity_fields(self) -> dict:
        skip = {"goals", "co_units", "version"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


PRIVACY_HELP = _("Write about the work and about groups; never name or describe individuals.")


class ProgressNoteForm(forms.ModelForm):
    class Meta:
        model = ProgressNote
        fields = ["date", "text"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": PRIVACY_HELP}


class ActivityImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_("In the format of the export: one activity per row. Rows with a reference update that activity."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.XLSX_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)d kB); the limit is %(limit)d kB.")
                % {"size": f.size // 1024, "limit": settings.XLSX_MAX_BYTES // 1024}
            )
        return f
