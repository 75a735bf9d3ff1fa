from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from consultations.models import Consultation
from lib.formatting import short_date
from lib.forms import DateInput
from lib.pickers import ACTIVITIES, GOALS, FilterCheckboxSelectMultiple, Nouns
from organisations.models import Municipality, OrgUnit
from plans.models import Goal
from plans.selectors import goal_choices, live_plans
from remiss.models import Remiss

from .models import Body, ConsequenceAnalysis, Decision, Meeting
from .services import ANALYSIS_FIELDS, DECISION_FIELDS, DECISION_RELATIONS

CONSULTATIONS = Nouns(
    own=_("The unit's consultations"),
    other=_("Other consultations"),
    filter_label=_("Filter the consultations"),
    count=_("{shown} of {total} consultations shown"),
)


def consultation_label(consultation: Consultation) -> str:
    return f"{short_date(consultation.starts_at)} {consultation.title}"


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "unit", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": _("Give the body a name.")}}

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["unit"].queryset = OrgUnit.objects.filter(municipality=municipality).order_by("name")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Body.objects.filter(municipality=self.municipality, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The municipality already has a body with this name."))
        return name


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"held_on": {"required": _("Give the date of the meeting.")}}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if Meeting.objects.filter(body=self.body, held_on=held_on).exists():
            raise forms.ValidationError(_("The body already has a meeting on this day."))
        return held_on


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [*DECISION_FIELDS, *DECISION_RELATIONS]
        widgets = {
            "decided_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 5}),
            # Long lists (all the live plans' goals, every activity, every samråd): filterable
            # (lib/pickers.py). The log is the coordinator's, who has no own unit to put first.
            "goals": FilterCheckboxSelectMultiple(nouns=GOALS),
            "activities": FilterCheckboxSelectMultiple(nouns=ACTIVITIES),
            "remisses": forms.CheckboxSelectMultiple,
            "consultations": FilterCheckboxSelectMultiple(nouns=CONSULTATIONS),
        }
        error_messages = {
            "title": {"required": _("Give the decision a title.")},
            "decided_on": {"required": _("Give the date of the decision.")},
            "body": {"required": _("Choose the body that decided.")},
        }

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(municipality=municipality)
        meetings = Meeting.objects.filter(body__municipality=municipality).select_related("body")
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.body.name} {short_date(m.held_on)}"
        goals = Goal.objects.filter(plan__in=live_plans(municipality)).select_related("plan")
        self.fields["goals"].queryset = goals
        self.fields["goals"].choices = goal_choices(goals)
        activities = Activity.objects.filter(municipality=municipality).select_related("municipality")
        self.fields["activities"].queryset = activities.order_by("number")
        self.fields["activities"].label_from_instance = lambda a: f"{a.reference} {a.title}"
        self.fields["remisses"].queryset = Remiss.objects.filter(municipality=municipality)
        self.fields["consultations"].queryset = Consultation.objects.filter(municipality=municipality).order_by(
            "-starts_at"
        )
        self.fields["consultations"].label_from_instance = consultation_label

    def clean(self):
        data = super().clean()
        body, meeting = data.get("body"), data.get("meeting")
        if meeting and body and meeting.body_id != body.pk:
            self.add_error("meeting", _("The meeting is another body's: choose one of %(body)s's.") % {"body": body})
        return data

    def decision_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in DECISION_FIELDS}

    def relations(self) -> dict:
        return {name: self.cleaned_data[name] for name in DECISION_RELATIONS}


class AnalysisForm(forms.ModelForm):
    class Meta:
        model = ConsequenceAnalysis
        fields = [*ANALYSIS_FIELDS, "consultations"]
        widgets = {
            "effects": forms.Textarea(attrs={"rows": 4}),
            "minority_rights": forms.Textarea(attrs={"rows": 4}),
            "children_rights": forms.Textarea(attrs={"rows": 3}),
            "no_consultation_reason": forms.Textarea(attrs={"rows": 2}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
            "consultations": FilterCheckboxSelectMultiple(nouns=CONSULTATIONS),
        }
        error_messages = {
            "effects": {"required": _("Describe how the decision affects the minority.")},
            "conclusion": {"required": _("Write the conclusion of the analysis.")},
        }

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultations"].queryset = Consultation.objects.filter(
            municipality_id=decision.municipality_id
        ).order_by("-starts_at")
        self.fields["consultations"].label_from_instance = consultation_label
        if not self.instance.pk:
            # The samråd linked to the decision are the likely ones.
            self.initial.setdefault("consultations", list(decision.consultations.values_list("pk", flat=True)))
            self.initial.setdefault("consultation_held", decision.consultations.exists())

    def clean(self):
        data = super().clean()
        if data.get("consultation_held") and not data.get("consultations"):
            self.add_error("consultations", _("Choose the consultations (samråd) held on the decision."))
        held = data.get("consultation_held")
        if held is False and not (data.get("no_consultation_reason") or "").strip():
            self.add_error("no_consultation_reason", _("Say why the minority was not consulted."))
        return data

    def analysis_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ANALYSIS_FIELDS}
