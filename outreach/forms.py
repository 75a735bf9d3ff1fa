from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from lib.pickers import ACTIVITIES, GOALS, FilterCheckboxSelectMultiple, FilterSelect, own_first
from plans.models import Goal
from plans.selectors import goal_choices, live_plans, own_goal_ids

from .models import (
    AREA_FIELDS,
    AREAS_DO_NOT_ADD_UP,
    CHANNEL_FIELDS,
    CHANNELS_DO_NOT_ADD_UP,
    COUNT_FIELDS,
    OutreachRecord,
)

NEGATIVE = _("The number cannot be negative.")


class OutreachMonthForm(forms.ModelForm):
    """A unit's counts for one month. The rule: every contact is counted once
    under its main area of need and once under its channel, so both add up to
    the contacts. Referrals are counted apart (one contact may lead to several)."""

    class Meta:
        model = OutreachRecord
        fields = [*COUNT_FIELDS, "activity", "goals"]
        widgets = {
            "goals": FilterCheckboxSelectMultiple(nouns=GOALS),
            "activity": FilterSelect(nouns=ACTIVITIES),
        }
        help_texts = {
            "contacts": _("Contacts made this month, counted once each. Numbers only, never who."),
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = unit.municipality
        for name in COUNT_FIELDS:
            field = self.fields[name]
            field.required = False
            field.min_value = 0
            field.error_messages["min_value"] = NEGATIVE
            field.widget.attrs.update({"min": "0", "inputmode": "numeric"})
        goals = Goal.objects.filter(plan__in=live_plans(municipality)).select_related("plan")
        self.fields["goals"].queryset = goals
        # The unit's own goals and activities first (lib/pickers.py), filterable.
        self.fields["goals"].choices = own_first(goal_choices(goals), own_goal_ids(goals, [unit.pk]), GOALS)
        activities = Activity.objects.filter(municipality=municipality).select_related("municipality")
        activities = activities.order_by("number")
        self.fields["activity"].queryset = activities
        self.fields["activity"].choices = [
            ("", self.fields["activity"].empty_label),
            *own_first(
                [(a.pk, f"{a.reference} {a.title}") for a in activities],
                {a.pk for a in activities if a.owner_id == unit.pk},
                ACTIVITIES,
            ),
        ]

    def area_fields(self):
        return [self[name] for name in AREA_FIELDS]

    def channel_fields(self):
        return [self[name] for name in CHANNEL_FIELDS]

    def clean(self):
        data = super().clean()
        for name in COUNT_FIELDS:
            if name not in self.errors and data.get(name) is None:
                data[name] = 0
        if any(name in self.errors for name in COUNT_FIELDS):
            return data
        contacts = data["contacts"]
        by_area = sum(data[name] for name in AREA_FIELDS)
        by_channel = sum(data[name] for name in CHANNEL_FIELDS)
        if by_area != contacts:
            self.add_error(
                None,
                ValidationError(
                    _(
                        "The contacts by area of need add up to %(sum)s, not %(contacts)s: count each contact once, "
                        "under its main area."
                    ),
                    code=AREAS_DO_NOT_ADD_UP,
                    params={"sum": by_area, "contacts": contacts},
                ),
            )
        if by_channel != contacts:
            self.add_error(
                None,
                ValidationError(
                    _(
                        "The contacts by channel add up to %(sum)s, not %(contacts)s: count each contact once, "
                        "under the channel it came through."
                    ),
                    code=CHANNELS_DO_NOT_ADD_UP,
                    params={"sum": by_channel, "contacts": contacts},
                ),
            )
        return data

    def _update_errors(self, errors):
        """The model's constraints (validated again after clean()) say the sums are
        wrong without the numbers: leave out an error whose code clean() reported."""
        reported = {error.code for error in self.errors.as_data().get(NON_FIELD_ERRORS, [])}
        if reported and hasattr(errors, "error_dict"):
            kept = [e for e in errors.error_dict.get(NON_FIELD_ERRORS, []) if e.code not in reported]
            error_dict = {**errors.error_dict, NON_FIELD_ERRORS: kept}
            error_dict = {field: errs for field, errs in error_dict.items() if errs}
            if not error_dict:
                return
            errors = ValidationError(error_dict)
        super()._update_errors(errors)

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in COUNT_FIELDS}
