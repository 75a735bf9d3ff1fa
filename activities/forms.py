from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput, XlsxUploadForm
from lib.pickers import GOALS, FilterCheckboxSelectMultiple, own_first
from organisations.models import Membership, OrgUnit
from plans.models import Plan
from plans.selectors import goal_choices, own_goal_ids

from .models import Activity, Method, PartnerKind, ProgressNote, TargetGroup


class UnitRules:
    """Which units an activity may name, for the form and the spreadsheet import
    alike: the coordinator chooses any active unit as responsible, a contact one
    of their own units; co-operating units are active units. An existing activity
    may keep the units it has (the coordinator's choice of owner included)."""

    def __init__(self, membership: Membership):
        units = OrgUnit.objects.filter(municipality_id=membership.municipality_id)
        self.coordinator = membership.is_coordinator
        self.active_ids = set(units.active().values_list("pk", flat=True))
        self.own_ids = set() if self.coordinator else set(membership.unit_ids)

    def owner_ids(self, activity: Activity | None = None) -> set[int]:
        if not self.coordinator:
            return self.own_ids
        return self.active_ids | ({activity.owner_id} if activity is not None and activity.pk else set())

    def co_unit_ids(self, activity: Activity | None = None) -> set[int]:
        kept = {u.pk for u in activity.co_units.all()} if activity is not None and activity.pk else set()
        return self.active_ids | kept


# The messages of a field's own rules that the form words itself, by (field, code);
# the import uses them too (see activity_field_errors).
FIELD_MESSAGES = {
    ("budget", "min_value"): _("The budget cannot be negative."),
    ("goals", "required"): _("Choose at least one goal the activity serves."),
}


def activity_field_errors(fields: dict) -> dict[str, list[str]]:
    """The model's rules for each of ``fields`` (an activity's values by field
    name: length, range, choices), as the form's fields apply them, without the
    database. For the import; the form gets them from its model fields."""
    skip = [f.name for f in Activity._meta.fields if f.name not in fields or f.is_relation]
    try:
        Activity(**{k: v for k, v in fields.items() if k not in ("owner", "status")}).clean_fields(exclude=skip)
    except ValidationError as exc:
        return {name: [_field_message(name, e) for e in errors] for name, errors in exc.error_dict.items()}
    return {}


def _field_message(name: str, error: ValidationError) -> str:
    code = "required" if error.code == "blank" else error.code  # an empty field, in the form's words
    if (name, code) in FIELD_MESSAGES:
        return str(FIELD_MESSAGES[name, code])
    if code == "required":
        return str(forms.Field.default_error_messages["required"])
    return next(iter(error))


def activity_rule_errors(*, fields: dict, goals, co_units) -> list[tuple[str, str]]:
    """The rules across an activity's fields, for the form and the import alike:
    (field name, message) pairs."""
    errors = []
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        errors.append(("end_date", _("The end date is before the start date.")))
    if fields.get("ongoing") and end:
        errors.append(("end_date", _("An ongoing activity has no end date: clear one of them.")))
    owner = fields.get("owner")
    if owner and owner in (co_units or []):
        errors.append(("co_units", _("The responsible unit cannot also be a co-operating unit.")))
    if not goals:
        errors.append(("goals", _("Choose at least one goal the activity serves.")))
    return errors


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
            "goals": FilterCheckboxSelectMultiple,
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
        rules = UnitRules(membership)
        owner_ids = rules.owner_ids(self.instance)
        owners = units.filter(pk__in=owner_ids)
        self.fields["owner"].queryset = owners
        if len(owner_ids) == 1 and not self.instance.pk:
            self.fields["owner"].initial = owners.first()
        self.fields["co_units"].queryset = units.filter(pk__in=rules.co_unit_ids(self.instance))
        self.fields["goals"].queryset = plan.goals.order_by("depth", "position", "pk")
        self.fields["status"].queryset = plan.activity_statuses.all()
        self.fields["status"].empty_label = None
        for (name, code), message in FIELD_MESSAGES.items():
            self.fields[name].error_messages[code] = message
        if self.instance.pk:  # an edit must say which version it was opened at
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        # The goals the unit answers for first (the activity's owner; a unit contact's own units), filterable.
        own_units = [self.instance.owner_id] if self.instance.pk else ([] if membership.is_coordinator else owner_ids)
        own = own_goal_ids(self.fields["goals"].queryset, own_units)
        self.fields["goals"].choices = own_first(goal_choices(self.fields["goals"].queryset), own, GOALS)

    def clean(self):
        data = super().clean()
        for name, message in activity_rule_errors(fields=data, goals=data.get("goals"), co_units=data.get("co_units")):
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def activity_fields(self) -> dict:
        skip = {"goals", "co_units", "version"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


PRIVACY_HELP = _("Write about the work and about groups; never name or describe individuals.")


class ProgressNoteForm(forms.ModelForm):
    class Meta:
        model = ProgressNote
        fields = ["date", "text", "public"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": PRIVACY_HELP}
        labels = {"public": _("Show on the public site")}


class ActivityImportForm(XlsxUploadForm):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_("In the format of the export: one activity per row. Rows with a reference update that activity."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
