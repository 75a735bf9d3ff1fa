from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from activities.models import TargetGroup
from organisations.models import Membership, OrgUnit
from plans.models import Goal, GoalKind, RightsArea
from plans.selectors import goal_choices, live_plans

from .models import PracticeExample
from .services import EXAMPLE_FIELDS


class ExampleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Labels standing alone: capitalised, as the list's filters show them.
    goal_kinds = forms.MultipleChoiceField(
        label=_("Kind of goal"),
        choices=[(code, capfirst(label)) for code, label in GoalKind.choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of goal the example helps to reach."),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=[(code, capfirst(label)) for code, label in TargetGroup.choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PracticeExample
        fields = [
            "title", "organisation", "period", "rights_areas", "goal_kinds", "target_groups", "summary",
            "prerequisites", "tips", "results", "contact", "sources",
        ]  # fmt: skip
        widgets = {
            "rights_areas": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 6}),
            "prerequisites": forms.Textarea(attrs={"rows": 6}),
            "tips": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("Give the example a title.")},
            "organisation": {"required": _("Say which municipality or organisation did the work.")},
            "summary": {"required": _("Describe what was done.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rights_areas"].queryset = RightsArea.objects.order_by("position")
        self.fields["rights_areas"].label_from_instance = lambda area: capfirst(area.name)
        if self.instance.pk:  # an edit must say which version it was opened at
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def example_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EXAMPLE_FIELDS if name in self.cleaned_data}


class AdoptForm(forms.Form):
    """Where the example is taken up: goals of one of the adopter's live plans and a
    responsible unit they may write for."""

    goals = forms.TypedMultipleChoiceField(
        label=_("Goals the activity serves"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Goals of one plan."),
        error_messages={"required": _("Choose at least one goal.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=OrgUnit.objects.none(),
        error_messages={"required": _("Choose the unit responsible for the activity.")},
    )

    again = forms.BooleanField(
        label=_("Take up the example once more"),
        required=False,
        help_text=_("Your municipality has already made an activity of the example. Tick to make another one."),
    )

    def __init__(self, *args, membership: Membership, taken_up: bool = False, **kwargs):
        """``taken_up``: the adopter's municipality already made an activity of the
        example; a second one must then be asked for (``again``), else no field."""
        super().__init__(*args, **kwargs)
        if taken_up:
            self.fields["again"].required = True
            self.fields["again"].error_messages["required"] = _(
                "Your municipality has already taken up the example. Tick “Take up the example once more” "
                "to make another activity of it."
            )
        else:
            del self.fields["again"]
        goals = Goal.objects.filter(plan__in=live_plans(membership.municipality)).select_related("plan")
        self.goal_objects = {g.pk: g for g in goals}
        # Grouped by plan: the plan is chosen with its goals.
        by_plan: dict[str, list] = {}
        for pk, label in goal_choices(self.goal_objects.values()):
            by_plan.setdefault(self.goal_objects[pk].plan.title, []).append((pk, label))
        self.fields["goals"].choices = list(by_plan.items())
        units = OrgUnit.objects.filter(municipality=membership.municipality).active().order_by("name")
        if not membership.is_coordinator:
            units = units.filter(pk__in=membership.unit_ids)
        self.fields["owner"].queryset = units

    def clean_goals(self):
        goals = [self.goal_objects[pk] for pk in self.cleaned_data["goals"]]
        if len({g.plan_id for g in goals}) > 1:
            raise forms.ValidationError(_("Choose goals of one plan: an activity belongs to one plan."))
        return goals
