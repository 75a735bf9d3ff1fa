from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput
from lib.pickers import GOALS, FilterCheckboxSelectMultiple
from organisations.models import Membership, OrgUnit
from plans.models import Plan
from plans.selectors import goal_choices, live_plans

from .access import coder_candidates
from .models import DEFAULT_AGE_GROUPS, DialogueNote, Inventory, Recommendation, Theme
from .selectors import age_key


def _plan_goals(inventory: Inventory):
    return inventory.plan.goals.all() if inventory.plan_id else []


class CoderChoiceField(forms.ModelMultipleChoiceField):
    """Unit contacts, named with the units they act for."""

    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.get_username()
        units = ", ".join(sorted(u.short_name or u.name for u in user.membership.units.all()))
        return f"{name} ({units})" if units else name


class InventoryForm(forms.ModelForm):
    age_groups_text = forms.CharField(
        label=_("Age groups"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, youngest first. Survey age questions and dialogue notes are counted by these."),
    )
    coders = CoderChoiceField(
        label=_("Who may read and code free text"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What respondents wrote in their own words is read only by the coordinators and the unit contacts "
            "named here; they code it and remove names and contact details from it. Readers cannot be named."
        ),
        error_messages={
            "invalid_choice": _("Only unit contacts of the municipality can be named to read free text."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Inventory
        fields = ["name", "unit", "purpose", "plan", "starts_on", "ends_on", "published"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4}), "starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality_id = membership.municipality_id
        units = OrgUnit.objects.filter(municipality_id=membership.municipality_id).order_by("name")
        if not membership.is_coordinator:
            units = units.filter(pk__in=membership.unit_ids)
            self.fields["unit"].required = True
        self.fields["unit"].queryset = units
        plans = Plan.objects.filter(municipality_id=membership.municipality_id)
        self.fields["plan"].queryset = plans.filter(
            Q(pk__in=live_plans(membership.municipality).values("pk")) | Q(pk=self.instance.plan_id)
        )
        groups = self.instance.age_groups if self.instance.pk else None
        self.fields["age_groups_text"].initial = "\n".join(groups or DEFAULT_AGE_GROUPS)
        if membership.is_coordinator:  # only a coordinator names who reads free text
            candidates = coder_candidates(membership.municipality_id).select_related("membership")
            self.fields["coders"].queryset = candidates.prefetch_related("membership__units").order_by(
                "first_name", "last_name", "username"
            )
            if self.instance.pk:
                self.fields["coders"].initial = list(self.instance.coders.values_list("pk", flat=True))
        else:
            del self.fields["coders"]
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Inventory.objects.filter(municipality_id=self.municipality_id, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(gettext("The municipality already has an inventory with this name."))
        return name

    def clean_age_groups_text(self):
        groups = [line.strip() for line in self.cleaned_data["age_groups_text"].splitlines() if line.strip()]
        if len(groups) < 2:
            raise forms.ValidationError(gettext("Give at least two age groups."))
        if len({age_key(g) for g in groups}) != len(groups):
            raise forms.ValidationError(gettext("An age group is given twice."))
        if self.instance.pk and groups != self.instance.age_groups and self._counted():
            raise forms.ValidationError(
                gettext(
                    "The age groups cannot change once dialogue meetings or answers are counted by them; "
                    "make a new inventory for other age groups."
                )
            )
        if any(len(g) > 40 for g in groups):
            raise forms.ValidationError(gettext("An age group's name is at most 40 characters."))
        return groups

    def _counted(self) -> bool:
        inventory = self.instance
        return (
            inventory.notes.exclude(age_counts={}).exists()
            or inventory.surveys.filter(responses__isnull=False).exists()
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", gettext("The end date is before the start date."))
        return data

    def inventory_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["age_groups"] = self.cleaned_data["age_groups_text"]
        return fields

    def chosen_coders(self) -> list | None:
        """The coders chosen, or None when this person may not name them."""
        return list(self.cleaned_data["coders"]) if "coders" in self.fields else None


class ThemeForm(forms.ModelForm):
    goals = forms.TypedMultipleChoiceField(
        label=_("Goals in the plan"),
        coerce=int,
        required=False,
        widget=FilterCheckboxSelectMultiple(nouns=GOALS),
        help_text=_("The goals that answer this need; the results show whether they have activities."),
    )

    class Meta:
        model = Theme
        fields = ["name", "description", "keywords"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "keywords": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, inventory: Inventory, **kwargs):
        super().__init__(*args, **kwargs)
        self.inventory = inventory
        self.goal_objects = {g.pk: g for g in _plan_goals(inventory)}
        self.fields["goals"].choices = goal_choices(self.goal_objects.values())
        if not self.goal_objects:
            self.fields["goals"].help_text = _("Choose the plan the inventory is compared with to link goals.")
        if self.instance.pk:
            self.fields["goals"].initial = [g.pk for g in self.instance.goals.all()]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = self.inventory.themes.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(gettext("The codebook already has a theme with this name."))
        return name

    def theme_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def chosen_goals(self) -> list:
        return [self.goal_objects[pk] for pk in self.cleaned_data["goals"]]


class NoteForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DialogueNote
        fields = ["held_on", "place", "participants", "summary"]
        widgets = {"held_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "place": _("The kind of place only, never an address or anything that points someone out."),
            "summary": _("What was said, about groups and needs; never name or describe individuals."),
        }

    def __init__(self, *args, inventory: Inventory, **kwargs):
        super().__init__(*args, **kwargs)
        self.inventory = inventory
        self.fields["participants"].error_messages["min_value"] = _("The number cannot be negative.")
        counts = self.instance.age_counts if self.instance.pk else {}
        for i, group in enumerate(inventory.age_groups):
            self.fields[f"age_{i}"] = forms.IntegerField(
                label=_("Participants aged %(group)s") % {"group": group},
                min_value=0,
                required=False,
                initial=counts.get(group),
                error_messages={"min_value": _("The number cannot be negative.")},
            )
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def main_fields(self):
        return [self[n] for n in self.Meta.fields if n != "summary"]

    def age_fields(self):
        return [self[f"age_{i}"] for i in range(len(self.inventory.age_groups))]

    def clean(self):
        data = super().clean()
        counts = {
            group: data[f"age_{i}"]
            for i, group in enumerate(self.inventory.age_groups)
            if data.get(f"age_{i}") not in (None, 0)
        }
        total = data.get("participants")
        if total is not None and sum(counts.values()) > total:
            self.add_error(
                "participants",
                gettext("The age groups add up to %(sum)d, more than the %(total)d participants.")
                % {"sum": sum(counts.values()), "total": total},
            )
        self.age_counts = counts
        return data

    def note_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["age_counts"] = self.age_counts
        return fields


class QuoteForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Quote"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    publishable = forms.BooleanField(
        label=_("May be published"),
        required=False,
        help_text=_("Only if it cannot point anyone out."),
    )


class BaseQuoteFormSet(forms.BaseFormSet):
    def quotes(self) -> list[dict]:
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not (data.get("text") or "").strip():
                continue
            out.append({"pk": data.get("pk"), "text": data["text"].strip(), "publishable": data["publishable"]})
        return out


QuoteFormSet = forms.formset_factory(QuoteForm, formset=BaseQuoteFormSet, extra=2, can_delete=True, max_num=50)


def quote_formset(data, note: DialogueNote | None) -> BaseQuoteFormSet:
    initial = [{"pk": q.pk, "text": q.text, "publishable": q.publishable} for q in note.quotes.all()] if note else []
    return QuoteFormSet(data, initial=initial, prefix="citat")


class RecommendationForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    goals = forms.TypedMultipleChoiceField(
        label=_("Goals in the plan"), coerce=int, required=False, widget=FilterCheckboxSelectMultiple(nouns=GOALS)
    )

    class Meta:
        model = Recommendation
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, inventory: Inventory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = inventory.themes.order_by("position", "pk")
        self.goal_objects = {g.pk: g for g in _plan_goals(inventory)}
        self.fields["goals"].choices = goal_choices(self.goal_objects.values())
        if self.instance.pk:
            self.fields["themes"].initial = list(self.instance.themes.all())
            self.fields["goals"].initial = [g.pk for g in self.instance.goals.all()]

    def recommendation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def chosen_goals(self) -> list:
        return [self.goal_objects[pk] for pk in self.cleaned_data["goals"]]


class DraftActivityForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(municipality_id=membership.municipality_id).active().order_by("name")
        if not membership.is_coordinator:
            units = units.filter(pk__in=membership.unit_ids)
        self.fields["owner"].queryset = units


class RedactForm(forms.Form):
    """A passage to remove from a free-text answer, exactly as it is written."""

    passage = forms.CharField(
        label=_("Text to remove"),
        max_length=2000,
        help_text=_(
            "Copy it exactly as it is written, e.g. a name or an address. Every place it occurs is replaced by "
            "“[removed]”; what it said is not kept."
        ),
    )
    visa = forms.CharField(widget=forms.HiddenInput, required=False)
    sida = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.text = text

    def clean_passage(self):
        passage = self.cleaned_data["passage"]
        if passage not in self.text:
            raise forms.ValidationError(
                gettext(
                    "The text to remove does not occur in the answer. Copy it exactly as it is written, "
                    "with the same capital letters."
                )
            )
        return passage

    def back_query(self) -> dict:
        """Where on the coding page to return to."""
        return {k: v for k in ("visa", "sida") if (v := self.cleaned_data.get(k) or "").isalnum()}
