from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from consultations.forms import DateTimeInput
from lib.pickers import ACTIVITIES, GOALS, FilterCheckboxSelectMultiple, own_first
from organisations.models import Membership, OrgUnit
from plans.models import Goal
from plans.selectors import goal_choices, live_plans, own_goal_ids
from public.services import personal_details_problems

from .models import AGE_GROUPS, Event
from .services import EVENT_FIELDS

RELATIONS = ("organisers", "goals", "activities")


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = [
            "title", "kind", "starts_at", "ends_at", "place", "accessibility", "interpretation", "childcare",
            "organisers", "partners", "goals", "activities", "is_public", "description", "participants_total",
        ]  # fmt: skip
        widgets = {
            "organisers": forms.CheckboxSelectMultiple,
            "goals": FilterCheckboxSelectMultiple(nouns=GOALS),
            "activities": FilterCheckboxSelectMultiple(nouns=ACTIVITIES),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "participants_total": _("A count, after the event. Never a list of who came."),
        }
        error_messages = {
            "title": {"required": _("Give the event a title.")},
            "starts_at": {"required": _("Give the time the event starts.")},
            "organisers": {"required": _("Choose at least one organising unit.")},
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = membership.municipality
        self.municipality = municipality
        units = OrgUnit.objects.filter(municipality=municipality).order_by("name")
        if not membership.is_coordinator:
            units = units.filter(pk__in=membership.unit_ids)
        self.fields["organisers"].queryset = units
        goals = Goal.objects.filter(plan__in=live_plans(municipality)).select_related("plan")
        self.fields["goals"].queryset = goals
        # A unit contact's own goals and activities first (lib/pickers.py), filterable.
        own_units = set() if membership.is_coordinator else membership.unit_ids
        self.fields["goals"].choices = own_first(goal_choices(goals), own_goal_ids(goals, own_units), GOALS)
        activities = Activity.objects.filter(municipality=municipality).select_related("municipality")
        self.fields["activities"].queryset = activities
        self.fields["activities"].choices = own_first(
            [(a.pk, f"{a.reference} {a.title}") for a in activities],
            {a.pk for a in activities if a.owner_id in own_units},
            ACTIVITIES,
        )
        self.fields["participants_total"].error_messages["min_value"] = _("The number cannot be negative.")
        if self.instance.pk:  # an edit must say which version it was opened at
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        counts = self.instance.participants if self.instance.pk else {}
        for age, label in AGE_GROUPS:
            self.fields[f"part_{age}"] = forms.IntegerField(
                label=label,
                min_value=0,
                required=False,
                initial=(counts or {}).get(age),
                error_messages={"min_value": _("The number cannot be negative.")},
            )

    def participant_fields(self):
        return [self[f"part_{age}"] for age, _l in AGE_GROUPS]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def kept(self, name: str) -> list:
        """The chosen units (goals, activities), plus current ones the editor
        could not choose (another unit's, a goal of an archived plan): saving
        never drops them."""
        chosen = list(self.cleaned_data[name])
        offered = set(self.fields[name].queryset.values_list("pk", flat=True))
        current = getattr(self.instance, name).all() if self.instance.pk else []
        return chosen + [obj for obj in current if obj.pk not in offered]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("The event ends before it starts."))
        breakdown = {age: data.get(f"part_{age}") for age, _l in AGE_GROUPS}
        breakdown = {age: n for age, n in breakdown.items() if n}
        total = data.get("participants_total")
        counted = sum(breakdown.values())
        if breakdown and total is None:
            data["participants_total"] = counted
        elif total is not None and counted > total:
            self.add_error("participants_total", _("The total is smaller than the numbers by age group."))
        self.participants = breakdown
        # The title and description are the event's public texts in Swedish: no
        # names of staff or of representatives who have not agreed to be named.
        for name in ("title", "description"):
            if found := personal_details_problems(self.instance, self.municipality, {name: data.get(name) or ""}):
                self.add_error(
                    name, _("The text seems to contain personal details: %(found)s.") % {"found": "; ".join(found)}
                )
        return data

    def event_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in EVENT_FIELDS if name in self.cleaned_data}
        fields["participants"] = self.participants
        return fields
