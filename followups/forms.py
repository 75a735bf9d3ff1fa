from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.errorsummary import SummaryItem
from lib.fastfields import (
    FastHiddenInput,
    FastNumberInput,
    FastTextarea,
    PreparedChoiceField,
    PreparedChoices,
    PreparedTypedChoiceField,
)
from lib.forms import DateInput
from plans.models import Plan

from .models import Assessment, ReportEntry, Round, RoundField, UnitReport
from .services import EntryInput, FieldSpec, UpdateInput

EXTRA_FIELD_ROWS = 3


class RoundForm(forms.ModelForm):
    """A new round: name, plan, period, deadline, and up to three extra questions per goal."""

    class Meta:
        model = Round
        fields = ["plan", "name", "period_start", "period_end", "deadline", "instructions"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "deadline": DateInput(),
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = (
            Plan.objects.filter(municipality=municipality).exclude(status=Plan.Status.REPLACED).current_first()
        )
        self.fields["plan"].empty_label = None
        if self.instance.pk:
            del self.fields["plan"]
            return
        for i in range(1, EXTRA_FIELD_ROWS + 1):
            self.fields[f"extra_{i}_label"] = forms.CharField(
                label=_("Extra question %(n)d") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"extra_{i}_kind"] = forms.ChoiceField(
                label=_("Kind of answer to question %(n)d") % {"n": i},
                choices=RoundField.Kind.choices,
                required=False,
            )
            self.fields[f"extra_{i}_choices"] = forms.CharField(
                label=_("Choices for question %(n)d (one per line)") % {"n": i},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def base_fields_bound(self):
        return [self[name] for name in self.Meta.fields if name in self.fields]

    def extra_rows(self):
        return [
            (self[f"extra_{i}_label"], self[f"extra_{i}_kind"], self[f"extra_{i}_choices"])
            for i in range(1, EXTRA_FIELD_ROWS + 1)
            if f"extra_{i}_label" in self.fields
        ]

    def clean(self):
        data = super().clean()
        start, end, deadline = data.get("period_start"), data.get("period_end"), data.get("deadline")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline is before the period starts."))
        plan = data.get("plan") or (self.instance.plan if self.instance.pk else None)
        name = data.get("name")
        if plan and name and Round.objects.filter(plan=plan, name=name).exclude(pk=self.instance.pk).exists():
            self.add_error("name", _("The plan already has a round with this name."))
        for i in range(1, EXTRA_FIELD_ROWS + 1):
            if f"extra_{i}_label" not in self.fields:
                continue
            if data.get(f"extra_{i}_kind") == RoundField.Kind.CHOICE and data.get(f"extra_{i}_label"):
                options = [line for line in (data.get(f"extra_{i}_choices") or "").splitlines() if line.strip()]
                if len(options) < 2:
                    self.add_error(f"extra_{i}_choices", _("A choice needs at least two options, one per line."))
        return data

    def round_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields and name != "plan"}

    def extra_fields(self) -> list[FieldSpec]:
        out = []
        for i in range(1, EXTRA_FIELD_ROWS + 1):
            label = (self.cleaned_data.get(f"extra_{i}_label") or "").strip()
            if label:
                out.append(
                    FieldSpec(
                        label=label,
                        kind=self.cleaned_data.get(f"extra_{i}_kind") or RoundField.Kind.TEXT,
                        choices=self.cleaned_data.get(f"extra_{i}_choices") or "",
                    )
                )
        return out


class _TwoRows(FastTextarea):
    rows = 2


class _ThreeRows(FastTextarea):
    rows = 3


class _ReportBoundField(forms.BoundField):
    """A bound field whose errors, when it has none, are one empty list shared by
    the form's fields: Django's makes a new empty ErrorList at each reading, and
    rendering reads it three times per field (the field, aria-invalid,
    aria-describedby), 2,000 times for a large report."""

    @property
    def errors(self):
        errors = self.form.errors.get(self.name)
        if errors is None:
            errors = self.form.no_errors
        return errors


class ReportForm(forms.Form):
    """The unit report: per goal Resultat, Utmaningar, Bedömning and the round's
    extra questions; per own activity its status and a comment.

    A large unit has hundreds of fields (Socialnämnden of the benchmark city:
    61 goals and 227 activities, 700 fields), so every widget renders in Python
    (lib.fastfields) and is given as a class, not an instance that each field
    would deep-copy; the choices of the selects are made once and shared."""

    summary = forms.CharField(label=_("Overall comment"), required=False, widget=_ThreeRows)
    version = forms.IntegerField(widget=FastHiddenInput)

    bound_field_class = _ReportBoundField

    @cached_property
    def no_errors(self):
        """The empty error list of every field without errors (never changed: errors are added to their own list)."""
        return self.error_class(renderer=self.renderer)

    def __init__(self, *args, report: UnitReport, entries: list[ReportEntry], activities, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.activities = activities
        self.blocking: dict[int, str] = {}  # entry id → why it keeps the report from being submitted
        self.round_fields = list(report.round.fields.all())
        self.fields["summary"].initial = report.summary
        self.fields["version"].initial = report.version
        # Labels translated once for the hundreds of fields that share them, not per use.
        results, challenges, assessment = gettext("Results"), gettext("Challenges"), gettext("Assessment")
        status, comment = gettext("Status"), gettext("Comment")
        assessments = PreparedChoices(Assessment.choices)
        extra_choices = {
            f.pk: PreparedChoices([("", "—"), *[(c, c) for c in f.choice_list()]])
            for f in self.round_fields
            if f.kind == RoundField.Kind.CHOICE
        }
        for e in entries:
            p = f"e{e.pk}"
            self.fields[f"{p}-result"] = forms.CharField(
                label=results, required=False, initial=e.result, widget=_ThreeRows
            )
            self.fields[f"{p}-challenges"] = forms.CharField(
                label=challenges, required=False, initial=e.challenges, widget=_TwoRows
            )
            self.fields[f"{p}-assessment"] = PreparedChoiceField(
                label=assessment, choices=assessments, initial=e.assessment
            )
            for f in self.round_fields:
                self.fields[f"{p}-{f.key}"] = self._extra_field(f, e.extra.get(f.key), extra_choices.get(f.pk))
        # One list of the plan's statuses for every activity's field (not a query each).
        self.statuses = {s.pk: s for s in statuses}
        status_choices = PreparedChoices((s.pk, s.name) for s in self.statuses.values())
        for a, upd in activities:
            p = f"a{a.pk}"
            self.fields[f"{p}-status"] = PreparedTypedChoiceField(
                label=status, choices=status_choices, coerce=int, initial=upd.status_id if upd else a.status_id
            )
            self.fields[f"{p}-comment"] = forms.CharField(
                label=comment, required=False, initial=upd.comment if upd else "", widget=_TwoRows
            )

    @staticmethod
    def _extra_field(f: RoundField, value, choices: PreparedChoices | None):
        if f.kind == RoundField.Kind.NUMBER:
            return forms.DecimalField(
                label=f.label, required=False, initial=value, max_digits=14, decimal_places=2, widget=FastNumberInput
            )
        if f.kind == RoundField.Kind.CHOICE:
            return PreparedChoiceField(label=f.label, required=False, initial=value, choices=choices)
        return forms.CharField(label=f.label, required=False, initial=value, widget=_TwoRows)

    def entry_groups(self):
        """[(entry, [bound fields], what keeps it from being submitted or "")] for the template."""
        out = []
        for e in self.entries:
            p = f"e{e.pk}"
            names = [f"{p}-result", f"{p}-challenges", f"{p}-assessment", *[f"{p}-{f.key}" for f in self.round_fields]]
            out.append((e, [self[n] for n in names], self.blocking.get(e.pk, "")))
        return out

    def blocking_entries(self):
        """[(entry, problem)] of the entries that keep the report from being submitted."""
        return [(e, self.blocking[e.pk]) for e in self.entries if e.pk in self.blocking]

    def blocking_items(self):
        """The error summary's lines for what keeps the report from being submitted,
        each linking to the goal's "Results" field (templates/form_errors.html)."""
        return [SummaryItem(problem, f"#{self[f'e{e.pk}-result'].auto_id}") for e, problem in self.blocking_entries()]

    def error_summary_label(self, name: str) -> str:
        """A field's name in the error summary: the goal's code or the activity's
        title before the field's label ("1.2 Assessment"), as the labels repeat."""
        label = str(self.fields[name].label)
        prefix, _sep, _rest = name.partition("-")
        if prefix.startswith("e"):
            entry = next((e for e in self.entries if f"e{e.pk}" == prefix), None)
            if entry is not None:
                return f"{entry.goal.code} {label}"
        elif prefix.startswith("a"):
            activity = next((a for a, _upd in self.activities if f"a{a.pk}" == prefix), None)
            if activity is not None:
                return f"{activity.title}, {label}"
        return label

    def activity_groups(self):
        return [(a, self[f"a{a.pk}-status"], self[f"a{a.pk}-comment"]) for a, _upd in self.activities]

    def entry_inputs(self) -> list[EntryInput]:
        out = []
        for e in self.entries:
            p = f"e{e.pk}"
            extra = {}
            for f in self.round_fields:
                value = self.cleaned_data.get(f"{p}-{f.key}")
                if value not in (None, ""):
                    extra[f.key] = str(value) if f.kind == RoundField.Kind.NUMBER else value
            out.append(
                EntryInput(
                    entry=e,
                    result=self.cleaned_data[f"{p}-result"].strip(),
                    challenges=self.cleaned_data[f"{p}-challenges"].strip(),
                    assessment=self.cleaned_data[f"{p}-assessment"],
                    extra=extra,
                )
            )
        return out

    def update_inputs(self) -> list[UpdateInput]:
        return [
            UpdateInput(
                activity=a,
                status=self.statuses[self.cleaned_data[f"a{a.pk}-status"]],
                comment=self.cleaned_data[f"a{a.pk}-comment"].strip(),
            )
            for a, _upd in self.activities
        ]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the unit complete?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The unit's contacts see this comment on the report."),
    )
