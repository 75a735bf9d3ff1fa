from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from lib.forms import DateInput
from lib.pickers import ACTIVITIES, GOALS, FilterCheckboxSelectMultiple, FilterSelectMultiple, own_first
from organisations.models import Membership, OrgUnit
from plans.models import Goal
from plans.selectors import goal_choices, live_plans, own_goal_ids

from .models import AgendaItem, Consultation, Council, CouncilMember, Feedback, MinutesVersion, View

AGE_GROUPS = [("barn_unga", _("children and young people")), ("vuxna", _("adults")), ("aldre", _("elderly"))]
# A table's columns across every age group say both words; a children's row says girls and boys.
GENDERS = [("kvinnor", _("women/girls")), ("man", _("men/boys"))]
GENDERS_BY_AGE = {
    "barn_unga": {"kvinnor": _("girls"), "man": _("boys")},
    "vuxna": {"kvinnor": _("women"), "man": _("men")},
    "aldre": {"kvinnor": _("women"), "man": _("men")},
}


def attendance_text(attendance: dict | None) -> str | None:
    """A breakdown by age group and gender in words, for the history:
    "children and young people: girls 6, boys 7; adults: women 9"."""
    if not attendance:
        return None
    ages = dict(AGE_GROUPS)
    parts = []
    for age, by_gender in attendance.items():
        genders = GENDERS_BY_AGE.get(age, dict(GENDERS))
        counts = ", ".join(f"{genders.get(g, g)} {n}" for g, n in (by_gender or {}).items())
        parts.append(f"{ages.get(age, age)}: {counts}")
    return "; ".join(parts)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ConsultationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    video_link = forms.URLField(label=_("video link"), required=False, assume_scheme="https")
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=Consultation.Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Consultation
        fields = [
            "title", "form", "organisers", "council", "starts_at", "ends_at", "place", "accessibility", "video_link",
            "services", "in_public_calendar", "invited_organisations", "representatives", "influence", "influence_note",
            "attendance_total", "organisations_present", "compensation_paid", "compensation_total", "internal_notes",
        ]  # fmt: skip
        widgets = {
            "organisers": forms.CheckboxSelectMultiple,
            "representatives": forms.CheckboxSelectMultiple,
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "invited_organisations": forms.Textarea(attrs={"rows": 2}),
            "influence_note": forms.Textarea(attrs={"rows": 2}),
            "organisations_present": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "attendance_total": _("A count, after the meeting. Never a list of who came."),
            "representatives": _("They see this consultation, minutes sent to them and the feedback on the views."),
            "internal_notes": _("Seen by staff only, never by representatives or the public."),
            "compensation_total": _("Kept apart from the minutes; never shown to representatives."),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = membership.municipality
        units = OrgUnit.objects.filter(municipality=municipality).order_by("name")
        if not membership.is_coordinator:
            units = units.filter(pk__in=membership.unit_ids)
        self.fields["organisers"].queryset = units
        self.fields["council"].queryset = Council.objects.filter(municipality=municipality)
        self.fields["representatives"].queryset = Membership.objects.filter(
            municipality=municipality, role=Membership.Role.REPRESENTATIVE, user__is_active=True
        ).select_related("user")
        self.fields["representatives"].label_from_instance = lambda m: m.label
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        self.fields["compensation_total"].error_messages["min_value"] = _("The amount cannot be negative.")
        self.fields["attendance_total"].error_messages["min_value"] = _("The number cannot be negative.")
        attendance = self.instance.attendance if self.instance.pk else {}
        for age, age_label in AGE_GROUPS:
            for gender, _gender_label in GENDERS:
                gender_label = GENDERS_BY_AGE[age][gender]
                self.fields[f"att_{age}_{gender}"] = forms.IntegerField(
                    label=f"{age_label}, {gender_label}",
                    min_value=0,
                    required=False,
                    initial=(attendance.get(age) or {}).get(gender),
                    error_messages={"min_value": _("The number cannot be negative.")},
                )

    def kept_organisers(self):
        """The chosen organisers, plus current ones the editor could not choose
        (another unit's, when a contact edits): saving never drops them."""
        chosen = list(self.cleaned_data["organisers"])
        offered = set(self.fields["organisers"].queryset.values_list("pk", flat=True))
        return chosen + [u for u in self.instance.organisers.all() if u.pk not in offered]

    def kept_representatives(self):
        chosen = list(self.cleaned_data["representatives"])
        offered = set(self.fields["representatives"].queryset.values_list("pk", flat=True))
        return chosen + [m for m in self.instance.representatives.all() if m.pk not in offered]

    def attendance_fields(self):
        return [self[f"att_{age}_{gender}"] for age, _l in AGE_GROUPS for gender, _g in GENDERS]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("The meeting ends before it starts."))
        if data.get("compensation_total") is not None and not data.get("compensation_paid"):
            self.add_error("compensation_total", _("Tick “compensation paid” or leave the amount empty."))
        breakdown = {}
        for age, _l in AGE_GROUPS:
            counts = {g: data.get(f"att_{age}_{g}") for g, _x in GENDERS}
            counts = {g: n for g, n in counts.items() if n}
            if counts:
                breakdown[age] = counts
        total = data.get("attendance_total")
        counted = sum(n for counts in breakdown.values() for n in counts.values())
        if breakdown and total is None:
            data["attendance_total"] = counted
        elif total is not None and counted > total:
            self.add_error("attendance_total", _("The total is smaller than the numbers by age group and gender."))
        self.attendance = breakdown
        return data

    def warnings(self) -> list[str]:
        """What is saved but looks wrong: attendance counted for a meeting that has not started."""
        data = self.cleaned_data
        start = data.get("starts_at")
        counted = data.get("attendance_total") is not None or self.attendance
        if start and counted and start > timezone.now():
            return [
                _(
                    "The consultation was saved with attendance figures, but the meeting starts %(date)s, "
                    "after now. Check the date and the figures."
                )
                % {"date": timezone.localtime(start).strftime("%Y-%m-%d %H:%M")}
            ]
        return []


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "question",
            "responsible_unit",
            "decision_body",
            "decision_date",
            "decision_ref",
            "goals",
            "activities",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "decision_date": DateInput(),
            "goals": FilterCheckboxSelectMultiple(nouns=GOALS),
            "activities": FilterSelectMultiple(attrs={"size": 8}, nouns=ACTIVITIES),
        }
        help_texts = {"goals": _("The goals of the plan the question concerns.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = OrgUnit.objects.filter(municipality=municipality).order_by("name")
        self.fields["goals"].queryset = Goal.objects.filter(plan__in=live_plans(municipality))
        self.fields["goals"].error_messages["invalid_choice"] = _("Choose goals of your own municipality's plans.")
        activities = Activity.objects.filter(municipality=municipality).select_related("municipality")
        self.fields["activities"].queryset = activities
        self.fields["activities"].error_messages["invalid_choice"] = _("Choose activities of your own municipality.")
        # The responsible unit's goals and activities first (lib/pickers.py), filterable.
        own_pickers(self, {self.instance.responsible_unit_id} if self.instance.pk else set(), activities)


def own_pickers(form, unit_ids, activities):
    """The goals and activities of the units first in a form's "goals" and "activities"."""
    goals = form.fields["goals"].queryset
    form.fields["goals"].choices = own_first(goal_choices(goals), own_goal_ids(goals, unit_ids), GOALS)
    activities = list(activities.order_by("number"))
    form.fields["activities"].choices = own_first(
        [(a.pk, str(a)) for a in activities], {a.pk for a in activities if a.owner_id in unit_ids}, ACTIVITIES
    )


class ViewForm(forms.ModelForm):
    class Meta:
        model = View
        fields = ["text", "given_by", "representative"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = consultation.representatives.filter(named_consent=True).select_related(
            "user"
        )
        self.fields["representative"].label_from_instance = lambda m: m.user.get_full_name()

    def clean(self):
        data = super().clean()
        named = data.get("given_by") == View.GivenBy.REPRESENTATIVE
        if named and not data.get("representative"):
            self.add_error("representative", _("Choose the representative, who must have agreed to be named."))
        if not named:
            data["representative"] = None
        return data


# Feedback that says the decision took the view into account, wholly or in part.
DECIDED_STATUSES = (Feedback.Status.TAKEN, Feedback.Status.PARTLY)


class FeedbackForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Feedback
        fields = ["status", "reasoning", "decision_ref", "unit", "given_on", "goals", "activities"]
        widgets = {
            "reasoning": forms.Textarea(attrs={"rows": 4}),
            "given_on": DateInput(),
            "goals": FilterCheckboxSelectMultiple(nouns=GOALS),
            "activities": FilterSelectMultiple(attrs={"size": 8}, nouns=ACTIVITIES),
        }
        help_texts = {
            "reasoning": _("How the view affected the decision, or why it did not."),
            "unit": _("Feedback is given by a unit, not a person."),
            "activities": _("The activities that carry the view out, if any."),
        }

    def __init__(self, *args, view: View, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        municipality = membership.municipality
        units = OrgUnit.objects.filter(municipality=municipality).order_by("name")
        if not membership.is_coordinator:
            units = units.filter(pk__in=membership.unit_ids)
        self.fields["unit"].queryset = units
        if not self.instance.pk:
            self.fields["unit"].initial = view.item.responsible_unit_id
        else:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        self.fields["goals"].queryset = Goal.objects.filter(plan__in=live_plans(municipality))
        self.fields["goals"].error_messages["invalid_choice"] = _("Choose goals of your own municipality's plans.")
        activities = Activity.objects.filter(municipality=municipality).select_related("municipality")
        self.fields["activities"].queryset = activities
        self.fields["activities"].error_messages["invalid_choice"] = _("Choose activities of your own municipality.")
        # The giving unit's goals and activities first (lib/pickers.py), filterable.
        own = {self.instance.unit_id} if self.instance.pk else {view.item.responsible_unit_id}
        own_pickers(self, own - {None}, activities)
        self.fields["reasoning"].error_messages["required"] = _(
            "Say how the view affected the decision, or why it did not."
        )

    def clean_reasoning(self):
        text = self.cleaned_data["reasoning"].strip()
        if not text:
            raise forms.ValidationError(self.fields["reasoning"].error_messages["required"])
        return text

    def feedback_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("goals", "activities", "version")}

    def warnings(self) -> list[str]:
        """What is saved but looks wrong: a view said to be taken into account
        in a decision that, by its date, has not been taken yet."""
        decided = self.view.item.decision_date
        if self.cleaned_data.get("status") in DECIDED_STATUSES and decided > timezone.localdate():
            return [
                _(
                    "The feedback was saved, but the decision is dated %(date)s, after today. "
                    "If the decision has not been taken yet, “under preparation” may be the right status."
                )
                % {"date": decided.isoformat()}
            ]
        return []


class MinutesForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MinutesVersion
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "text": _(
                "Write what was said by groups and organisations. Name a representative only if they agreed; "
                "never write personal details."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version


class SendMinutesForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Send for review to"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The representatives who attended."),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = consultation.representatives.select_related("user")
        self.fields["reviewers"].label_from_instance = lambda m: m.label


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}))


class SupersedeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the approved minutes superseded?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The approved version is kept; the new version says why it replaces it."),
    )


class PublishForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have read the minutes and they contain no personal details."),
        error_messages={"required": _("Confirm that you have checked the minutes for personal details.")},
    )


class ViewPublishForm(forms.Form):
    """A view's public wording for the återkoppling page, and the confirmation
    that it holds no personal details (as for minutes). Pre-filled with the
    published wording, or else with the view's text and the feedback's
    reasoning to edit into public wording."""

    said = forms.CharField(
        label=_("What was said (public wording)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As residents will read it: the group's view in plain words, without names or personal details."),
        error_messages={"required": _("Write what was said in public wording.")},
    )
    answer = forms.CharField(
        label=_("What we did (public wording)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "What became of the view, signed by the responding unit, not a person. "
            "Leave empty while the feedback is being prepared."
        ),
    )
    checked = forms.BooleanField(
        label=_("I have read the public wording and it contains no personal details."),
        error_messages={"required": _("Confirm that you have checked the public wording for personal details.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, view: View, row=None, feedback: Feedback | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        if row is not None and (row.said or row.answer):
            self.fields["said"].initial = row.said
            self.fields["answer"].initial = row.answer
        else:
            self.fields["said"].initial = view.text
            self.fields["answer"].initial = feedback.reasoning if feedback is not None else ""
        self.fields["version"].initial = row.text_version if row is not None else 0

    def clean(self):
        """Each text checked on its own for personal details (the rule of
        services.public_wording_problems, which view_publish applies), so the
        message stands at the text that holds them."""
        from .services import personal_details_in, unnamed_people

        data = super().clean()
        names = None
        for name in ("said", "answer"):
            text = (data.get(name) or "").strip()
            if not text:
                continue
            if names is None:
                names = unnamed_people(self.view.item.consultation)
            if found := personal_details_in(text, names=names):
                self.add_error(
                    name,
                    _("The public wording seems to contain personal details: %(found)s. Change it before publishing.")
                    % {"found": "; ".join(found)},
                )
        return data


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "unit", "established_on", "evaluate_by", "description"]
        widgets = {
            "established_on": DateInput(),
            "evaluate_by": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(municipality=municipality).order_by("name")


class CouncilMemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ["organisation", "position", "name", "named_consent", "period_from", "period_to"]
        widgets = {
            "period_from": DateInput(),
            "period_to": DateInput(),
        }

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("named_consent"):
            self.add_error("name", _("Name a member only if they agreed; otherwise leave the name empty."))
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The period ends before it starts."))
        return data


CouncilMemberFormSet = forms.inlineformset_factory(
    Council, CouncilMember, form=CouncilMemberForm, extra=2, can_delete=True
)
