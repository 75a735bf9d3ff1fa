from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from lib.pickers import GOALS, FilterCheckboxSelectMultiple
from organisations.models import Membership, OrgUnit
from plans.models import Goal, RightsArea
from plans.selectors import goal_choices, live_plans

from .models import ShareIndicator, StaffGroup, Training, TrainingOccasion
from .services import TRAINING_FIELDS, Row

NOT_NEGATIVE = {"min_value": _("The number cannot be negative.")}
MISSING = {
    "unit": _("Choose the unit, or leave the whole line empty."),
    "staff_group": _("Choose the staff group, or leave the whole line empty."),
    "participants": _("Give the number of participants, or leave the whole line empty."),
}


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "kind", "provider", "material", "rights_areas", "goals", "description"]
        widgets = {
            "rights_areas": forms.CheckboxSelectMultiple,
            "goals": FilterCheckboxSelectMultiple(nouns=GOALS),
            "material": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"title": {"required": _("Give the training a title.")}}
        labels = {"goals": _("Goals the training contributes to")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["rights_areas"].queryset = RightsArea.objects.order_by("position")
        goals = Goal.objects.filter(plan__in=live_plans(municipality)).select_related("plan")
        self.fields["goals"].queryset = goals
        self.fields["goals"].choices = goal_choices(goals)

    def training_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in TRAINING_FIELDS}


class OccasionForm(forms.ModelForm):
    class Meta:
        model = TrainingOccasion
        fields = ["date", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"date": {"required": _("Give the date of the occasion.")}}


class RowForm(forms.Form):
    """Participants of one unit's staff group: counts only."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    staff_group = forms.ModelChoiceField(label=_("Staff group"), queryset=StaffGroup.objects.none(), required=False)
    participants = forms.IntegerField(
        label=_("Participants"), min_value=0, max_value=100000, required=False, error_messages=NOT_NEGATIVE
    )

    def __init__(self, *args, units, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["staff_group"].queryset = groups

    ROW_FIELDS = ("unit", "staff_group", "participants")

    def clean(self):
        """A line is all three or empty: the error goes on each missing field
        (the error summary links to it and names the line)."""
        data = super().clean()
        if any(name in self.errors for name in self.ROW_FIELDS):
            return data
        missing = [name for name in self.ROW_FIELDS if data.get(name) in (None, "")]
        if missing and len(missing) < len(self.ROW_FIELDS):
            for name in missing:
                self.add_error(name, MISSING[name])
        return data


class BaseRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            unit, group = form.cleaned_data.get("unit"), form.cleaned_data.get("staff_group")
            if unit and group:
                if (unit.pk, group.pk) in seen:
                    # On the line's field, so that the error summary links to it and names the line.
                    form.add_error("staff_group", _("Each unit and staff group can be given once."))
                    continue
                seen.add((unit.pk, group.pk))
        if not seen and self.forms:
            self.forms[0].add_error("unit", _("Give the participants of at least one unit and staff group."))
        elif not seen:
            raise ValidationError(_("Give the participants of at least one unit and staff group."))

    def rows(self) -> list[Row]:
        return [
            Row(f.cleaned_data["unit"], f.cleaned_data["staff_group"], f.cleaned_data["participants"])
            for f in self.forms
            if f.cleaned_data.get("unit")
        ]


RowFormSet = formset_factory(RowForm, formset=BaseRowFormSet, extra=4, max_num=200, validate_max=True)


def row_formset(data, *, membership: Membership, occasion: TrainingOccasion | None = None):
    """The rows a member may write: the coordinator every unit, a contact their
    own. On an edit, the rows of units the member may not change are kept aside."""
    municipality = membership.municipality
    units = OrgUnit.objects.filter(municipality=municipality).order_by("name")
    if not membership.is_coordinator:
        units = units.filter(pk__in=membership.unit_ids)
    groups = StaffGroup.objects.filter(municipality=municipality).order_by("position", "name")
    initial = []
    if occasion is not None:
        initial = [
            {"unit": r.unit_id, "staff_group": r.staff_group_id, "participants": r.participants}
            for r in occasion.rows.all()
            if membership.may_edit_unit_work(r.unit_id)
        ]
    return RowFormSet(data, initial=initial, prefix="rader", form_kwargs={"units": units, "groups": groups})


class HeadcountForm(forms.Form):
    """A unit's headcount per staff group for a year; empty: not known."""

    def __init__(self, *args, groups, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            self.fields[f"group_{group.pk}"] = forms.IntegerField(
                label=group.name,
                min_value=0,
                max_value=1000000,
                required=False,
                initial=current.get(group.pk),
                error_messages=NOT_NEGATIVE,
            )

    def numbers(self) -> dict:
        return {group: self.cleaned_data[f"group_{group.pk}"] for group in self.groups}


class StaffGroupsForm(forms.Form):
    """The municipality's staff groups: rename them, add new ones on the empty lines."""

    NEW = 3

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            self.fields[f"group_{group.pk}"] = forms.CharField(
                label=_("Staff group"), max_length=100, initial=group.name,
                error_messages={"required": _("A staff group needs a name.")},
            )  # fmt: skip
        for n in range(1, self.NEW + 1):
            self.fields[f"new_{n}"] = forms.CharField(label=_("New staff group"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        names = [(data.get(name) or "").strip().casefold() for name in self.fields]
        names = [n for n in names if n]
        if len(names) != len(set(names)):
            raise ValidationError(_("Each staff group needs a name of its own."))
        return data

    def entries(self) -> list:
        entries = [(group, self.cleaned_data[f"group_{group.pk}"].strip()) for group in self.groups]
        for n in range(1, self.NEW + 1):
            if name := (self.cleaned_data.get(f"new_{n}") or "").strip():
                entries.append((None, name))
        return entries


class ShareSettingsForm(forms.ModelForm):
    class Meta:
        model = ShareIndicator
        fields = ["years", "staff_group", "unit"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].widget.attrs.update(min=1, max=10)
        self.fields["staff_group"].queryset = StaffGroup.objects.filter(municipality=municipality)
        self.fields["unit"].queryset = OrgUnit.objects.filter(municipality=municipality).order_by("name")

    def clean_years(self):
        years = self.cleaned_data["years"]
        if not 1 <= years <= 10:
            raise ValidationError(_("Count between 1 and 10 years."))
        return years
