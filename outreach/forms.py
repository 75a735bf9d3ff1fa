from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from plans.models import Goal
from plans.selectors import goal_choices, live_plans

from .models import AREA_FIELDS, CHANNEL_FIELDS, COUNT_FIELDS, OutreachRecord

NEGATIVE = _("The number cannot be negative.")


class OutreachMonthForm(forms.ModelForm):
    """A unit's counts for one month. The rule: every contact is counted once
    under its main area of need and once under its channel, so both add up to
    the contacts. Referrals are counted apart (one contact may lead to several)."""

    class Meta:
        model = OutreachRecord
        fields = [*COUNT_FIELDS, "activity", "goals"]
        widgets = {"goals": forms.CheckboxSelectMultiple}
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
        self.fields["goals"].choices = goal_choices(goals)
        activities = Activity.objects.filter(municipality=municipality).select_related("municipality")
        self.fields["activity"].queryset = activities.order_by("number")
        self.fields["activity"].label_from_instance = lambda a: f"{a.reference} {a.title}"

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
                _(
                    "The contacts by area of need add up to %(sum)s, not %(contacts)s: count each contact once, "
                    "under its main area."
                )
                % {"sum": by_area, "contacts": contacts},
            )
        if by_channel != contacts:
            self.add_error(
                None,
                _(
                    "The contacts by channel add up to %(sum)s, not %(contacts)s: count each contact once, "
                    "under the channel it came through."
                )
                % {"sum": by_channel, "contacts": contacts},
            )
        return data

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in COUNT_FIELDS}
