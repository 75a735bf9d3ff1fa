from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput
from lib.pickers import GOALS, FilterCheckboxSelectMultiple
from organisations.models import OrgUnit
from plans.models import Goal, Plan
from plans.selectors import sort_in_tree_order

from .formatting import format_number
from .models import GenderTerms, Indicator, Measurement, Track
from .services import BaselineSpec, TargetSpec

YES_NO = [("yes", _("yes")), ("no", _("no"))]

END_BEFORE_START = _("The end of the period is before its start.")
NEGATIVE = _("The value cannot be negative for this indicator.")
# %(female)s, %(male)s: "kvinnor" and "män", or "flickor" and "pojkar" (Indicator.gender_terms).
BOTH_OR_NEITHER = _("Give both %(female)s and %(male)s, or neither.")
NOT_THE_SUM = _("The total must be the sum of %(female)s and %(male)s (%(sum)s); leave it empty to have it computed.")
VALUE_REQUIRED = _("Give the value.")
OTHER_MUNICIPALITY_GOAL = _("Choose goals from your own municipality's plans.")
STARTS_TOO_EARLY = _("The indicator is measured from %(date)s; a measurement cannot be for an earlier period.")
ENDS_TOO_LATE = _("The indicator is measured until %(date)s; a measurement cannot be for a later period.")


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _from_bool(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def clean_split_value(
    form: forms.Form,
    data: dict,
    *,
    total: str,
    women: str,
    men: str,
    indicator: Indicator,
) -> Decimal | None:
    """Check a value, or with the indicator's gender split women, men and their
    total; returns the total (computed from women and men when left empty). Errors
    go on the field, in the indicator's words (women and men, or girls and boys)."""
    words = {"female": indicator.female_label.lower(), "male": indicator.male_label.lower()}
    values = {name: data.get(name) for name in (total, women, men)}
    for name, value in values.items():
        if value is not None and value < 0 and not indicator.allow_negative:
            form.add_error(name, NEGATIVE)
    result = values[total]
    if indicator.gender_split:
        w, m = values[women], values[men]
        if (w is None) != (m is None):
            form.add_error(women if w is None else men, BOTH_OR_NEITHER % words)
        elif w is not None and m is not None:
            if result is None:
                result = w + m
            elif result != w + m:
                form.add_error(total, NOT_THE_SUM % {**words, "sum": format_number(w + m)})
    return result


# --- Indicator ----------------------------------------------------------------------


class TargetForm(forms.Form):
    date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())
    value = forms.DecimalField(label=_("Target value"), required=False, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", VALUE_REQUIRED)
        if data.get("value") is not None and not data.get("date") and "date" not in self.errors:
            self.add_error("date", _("Give the date the target is to be reached by."))
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("date")) and self.cleaned_data.get("value") is not None


class BaseTargetFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: set[date] = set()
        for form in self.forms:
            when = form.cleaned_data.get("date")
            if when in seen:
                form.add_error("date", _("Another target has the same date."))
            if when:
                seen.add(when)


TargetFormSet = forms.formset_factory(TargetForm, formset=BaseTargetFormSet, extra=2, max_num=20, validate_max=True)


class IndicatorForm(forms.ModelForm):
    """The indicator, its baseline (nollmätning) and its targets (a formset held by the form)."""

    baseline_date = forms.DateField(
        label=_("Baseline date"),
        required=False,
        widget=DateInput(),
        help_text=_("When the starting point was measured. Leave empty if there is no baseline yet."),
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline value (total)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("For a quantitative indicator."),
    )
    baseline_women = forms.DecimalField(label=_("Baseline: women"), required=False, max_digits=14, decimal_places=2)
    baseline_men = forms.DecimalField(label=_("Baseline: men"), required=False, max_digits=14, decimal_places=2)
    baseline_answer = forms.ChoiceField(
        label=_("Baseline answer"),
        choices=[("", "—"), *YES_NO],
        required=False,
        help_text=_("For a yes or no indicator."),
    )
    baseline_source = forms.CharField(label=_("Source of the baseline"), required=False, max_length=300)
    baseline_note = forms.CharField(
        label=_("Note on the baseline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a text assessment: the starting point in words."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "name", "kind", "definition", "unit", "direction", "allow_negative", "gender_split", "gender_terms",
            "source_kind", "source_detail", "kolada_id", "responsible_unit", "goals", "valid_from", "valid_to",
            "public",
        ]  # fmt: skip
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 4}),
            "goals": FilterCheckboxSelectMultiple(nouns=GOALS),  # grouped by plan, filterable
            "valid_from": DateInput(),
            "valid_to": DateInput(),
        }

    BASELINE_FIELDS = (
        "baseline_date", "baseline_value", "baseline_women", "baseline_men",
        "baseline_answer", "baseline_source", "baseline_note",
    )  # fmt: skip

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        instance = self.instance
        instance.municipality = municipality
        current_unit = instance.responsible_unit_id if instance.pk else None
        self.fields["responsible_unit"].queryset = OrgUnit.objects.filter(municipality=municipality).filter(
            Q(pk__in=OrgUnit.objects.active().values("pk")) | Q(pk=current_unit)
        )
        linked = list(instance.goals.values_list("pk", flat=True)) if instance.pk else []
        goals = self.fields["goals"]
        goals.queryset = Goal.objects.filter(plan__municipality=municipality).filter(
            ~Q(plan__status=Plan.Status.REPLACED) | Q(pk__in=linked)
        )
        goals.error_messages["invalid_choice"] = OTHER_MUNICIPALITY_GOAL
        goals.help_text = _("The goals in the municipality's plans that the indicator follows up.")
        by_plan: dict[str, list[tuple[int, str]]] = {}
        for goal in sort_in_tree_order(list(goals.queryset.select_related("plan"))):
            by_plan.setdefault(goal.plan.title, []).append((goal.pk, f"{goal.code} {goal.title[:100]}"))
        goals.choices = list(by_plan.items())

        # The baseline's split in the indicator's words (as saved: a new indicator's are women and men).
        self.fields["baseline_women"].label = _("Baseline: %(part)s") % {"part": instance.female_label.lower()}
        self.fields["baseline_men"].label = _("Baseline: %(part)s") % {"part": instance.male_label.lower()}
        if instance.pk:
            self.fields["version"].required = True
            self.initial.setdefault("version", instance.version)
            baseline = instance.baseline_or_none
            if baseline is not None:
                self.initial.update(
                    baseline_date=baseline.date,
                    baseline_value=baseline.value,
                    baseline_women=baseline.women,
                    baseline_men=baseline.men,
                    baseline_answer=_from_bool(baseline.value_bool),
                    baseline_source=baseline.source,
                    baseline_note=baseline.note,
                )
            initial_targets = [{"date": t.date, "value": t.value, "note": t.note} for t in instance.targets.all()]
        else:
            initial_targets = []
        # Posted rows are read as they are: comparing them with the initial targets
        # would skip unchanged rows, which then look empty and get removed.
        self.targets = TargetFormSet(
            self.data if self.is_bound else None, prefix="targets", initial=None if self.is_bound else initial_targets
        )

    # The template shows the indicator's fields, then the baseline's, then the targets.
    def indicator_fields(self):
        return [self[name] for name in self.Meta.fields]

    def baseline_fields(self):
        return [self[name] for name in self.BASELINE_FIELDS]

    def is_valid(self) -> bool:
        valid = super().is_valid()  # clean() below also validates the targets
        return valid and self.targets.is_valid()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Indicator.objects.filter(municipality=self.municipality, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another indicator already has this name."))
        return name

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of the period is before its start."))
        kind = data.get("kind")
        allow_negative = data.get("allow_negative", False)
        if self.instance.pk:
            self._check_against_measurements(data)
        self.baseline_spec = self._clean_baseline(data)
        self.target_specs = self._clean_targets(kind, allow_negative)
        return data

    def _check_against_measurements(self, data) -> None:
        """An edit must not leave existing measurements inconsistent with the indicator."""
        measurements = Measurement.objects.filter(indicator=self.instance)
        if data.get("kind") and data["kind"] != self.instance.kind and measurements.exists():
            self.add_error("kind", _("The kind cannot be changed once the indicator has measurements."))
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and measurements.filter(Q(period_start__lt=start) | Q(period_end__lt=start)).exists():
            self.add_error("valid_from", _("There are measurements before this date; change or remove them first."))
        if end and measurements.filter(period_end__gt=end).exists():
            self.add_error("valid_to", _("There are measurements after this date; change or remove them first."))
        if (
            not data.get("allow_negative")
            and self.instance.allow_negative
            and measurements.filter(Q(value__lt=0) | Q(women__lt=0) | Q(men__lt=0)).exists()
        ):
            self.add_error("allow_negative", _("There are negative measurements; change or remove them first."))

    def _clean_baseline(self, data) -> BaselineSpec | None:
        when = data.get("baseline_date")
        given = [name for name in self.BASELINE_FIELDS[1:] if data.get(name) not in (None, "")]
        if not when:
            if given:
                self.add_error("baseline_date", _("Give the date of the baseline, or leave the baseline empty."))
            return None
        kind = data.get("kind")
        spec = {"date": when, "source": data.get("baseline_source", ""), "note": data.get("baseline_note", "")}
        if kind == Indicator.Kind.NUMBER:
            total = clean_split_value(
                self,
                data,
                total="baseline_value",
                women="baseline_women",
                men="baseline_men",
                # The indicator as posted (it may not be saved yet).
                indicator=Indicator(
                    gender_split=data.get("gender_split", False),
                    allow_negative=data.get("allow_negative", False),
                    gender_terms=data.get("gender_terms") or GenderTerms.ADULTS,
                ),
            )
            if total is None:
                self.add_error("baseline_value", VALUE_REQUIRED)
            spec["value"] = total
            if data.get("gender_split"):
                spec["women"], spec["men"] = data.get("baseline_women"), data.get("baseline_men")
        elif kind == Indicator.Kind.YES_NO:
            answer = _yes_no(data.get("baseline_answer", ""))
            if answer is None:
                self.add_error("baseline_answer", _("Choose yes or no."))
            spec["value_bool"] = answer
        elif kind == Indicator.Kind.TEXT and not spec["note"]:
            self.add_error("baseline_note", _("Describe the starting point."))
        return BaselineSpec(**spec)

    def _clean_targets(self, kind, allow_negative) -> list[TargetSpec]:
        if not self.targets.is_valid():
            return []
        baseline_date = self.cleaned_data.get("baseline_date")
        specs = []
        for form in self.targets.forms:
            if not form.is_filled:
                continue
            value, when = form.cleaned_data["value"], form.cleaned_data["date"]
            if kind != Indicator.Kind.NUMBER:
                form.add_error("value", _("Only a quantitative indicator has target values."))
            elif value < 0 and not allow_negative:
                form.add_error("value", NEGATIVE)
            if baseline_date and when <= baseline_date:
                form.add_error("date", _("A target's date must be after the baseline's date."))
            specs.append(TargetSpec(date=when, value=value, note=form.cleaned_data.get("note", "")))
        return specs

    def indicator_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "goals"}


# --- Measurement --------------------------------------------------------------------


class MeasurementForm(forms.ModelForm):
    """A measurement of the given indicator; the fields depend on its kind."""

    value_bool = forms.ChoiceField(label=_("Answer"), choices=[("", "—"), *YES_NO])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measurement
        fields = ["period_start", "period_end", "value", "women", "men", "value_bool", "value_text", "note"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "value_text": forms.Textarea(attrs={"rows": 5}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "period_start": _("Leave empty for a measurement taken on one day."),
            "period_end": _("The last day of the period, or the day of the measurement."),
        }

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.instance.indicator = indicator
        fields = self.fields
        if indicator.kind == Indicator.Kind.NUMBER:
            del fields["value_bool"], fields["value_text"]
            fields["value"].required = not indicator.gender_split
            unit = f" ({indicator.unit})" if indicator.unit else ""
            if indicator.gender_split:
                fields["value"].label = _("Total") + unit
                fields["value"].help_text = _("Leave empty to have it computed from %(female)s and %(male)s.") % {
                    "female": indicator.female_label.lower(),
                    "male": indicator.male_label.lower(),
                }
                fields["women"].label = indicator.female_label + unit
                fields["men"].label = indicator.male_label + unit
            else:
                fields["value"].label = _("Value") + unit
                del fields["women"], fields["men"]
        else:
            del fields["value"], fields["women"], fields["men"]
            if indicator.kind == Indicator.Kind.YES_NO:
                del fields["value_text"]
                if self.instance.pk:
                    self.initial["value_bool"] = _from_bool(self.instance.value_bool)
            else:
                del fields["value_bool"]
                fields["value_text"].required = True
        if self.instance.pk:
            fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)

    def clean(self):
        data = super().clean()
        indicator = self.indicator
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", END_BEFORE_START)
        first = start or end
        if first and indicator.valid_from and first < indicator.valid_from:
            self.add_error(
                "period_start" if start else "period_end",
                STARTS_TOO_EARLY % {"date": f"{indicator.valid_from:%Y-%m-%d}"},
            )
        if end and indicator.valid_to and end > indicator.valid_to:
            self.add_error("period_end", ENDS_TOO_LATE % {"date": f"{indicator.valid_to:%Y-%m-%d}"})
        if end and "period_end" not in self.errors:
            clash = Measurement.objects.filter(indicator=indicator, period_end=end)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "period_end",
                    _("There is already a measurement for the period ending %(date)s.") % {"date": f"{end:%Y-%m-%d}"},
                )
        if indicator.kind == Indicator.Kind.NUMBER:
            total = clean_split_value(
                self,
                data,
                total="value",
                women="women",
                men="men",
                indicator=indicator,
            )
            if total is None and not any(self.has_error(name) for name in ("value", "women", "men")):
                self.add_error("value", VALUE_REQUIRED)
            data["value"] = total
        return data

    def _post_clean(self):
        # The yes/no answer is a choice in the form and a boolean on the model.
        if "value_bool" in self.cleaned_data:
            self.cleaned_data["value_bool"] = _yes_no(self.cleaned_data["value_bool"])
        super()._post_clean()

    def measurement_values(self) -> dict:
        data = self.cleaned_data
        return {
            "period_start": data.get("period_start"),
            "period_end": data["period_end"],
            "value": data.get("value"),
            "women": data.get("women"),
            "men": data.get("men"),
            "value_bool": data.get("value_bool"),
            "value_text": data.get("value_text", ""),
            "note": data.get("note", ""),
        }


# --- Assessment ---------------------------------------------------------------------


class AssessmentForm(forms.Form):
    track = forms.ChoiceField(
        label=_("Your assessment"),
        choices=[("", _("None: the computed label applies")), *Track.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the assessment differs from the computed one, e.g. what the numbers do not show."),
    )

    def clean(self):
        data = super().clean()
        if data.get("track") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the assessment."))
        return data
