import time

from django import forms
from django.core import signing
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from inventories.models import Inventory
from lib.forms import DateInput
from organisations.models import Membership, OrgUnit

from .languages import (
    NOTE,
    NOTE_TEXT,
    PRIVACY,
    PRIVACY_TEXT,
    Shown,
    missing_texts,
    needs_note_text,
    needs_privacy_text,
    privacy_notice,
    ui_language,
)
from .models import DEFAULT_AGE_GROUPS, LANGUAGES, Question, Survey

OTHER = "__annat__"
MIN_FILL_SECONDS = 4
MAX_TEXT = 2000
FORM_STAMP_SALT = "surveys.form-rendered"
# How long a rendered form can be sent. The stamp is the public form's token instead of
# Django's CSRF cookie (surveys.views.answer); it holds the moment the page was made, for
# this survey, and is never stored: nothing in it can tell respondents apart.
STAMP_MAX_AGE = 24 * 3600


# --- Answering ---------------------------------------------------------------------


class _MarkedOptions:
    """Choices whose built-in “Other” is in the page's language, not the
    question's: its label is marked with its language (``lang``)."""

    option_template_name = "surveys/public_choice_option.html"

    def __init__(self, *args, option_language: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_language = option_language or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["lang"] = self.option_language.get(str(value), "")
        return option


class MarkedRadioSelect(_MarkedOptions, forms.RadioSelect):
    pass


class MarkedCheckboxSelectMultiple(_MarkedOptions, forms.CheckboxSelectMultiple):
    pass


class AnswerForm(forms.Form):
    """The public questionnaire in one language. Every question is shown (a
    condition is written beside it, no script needed); the answer to a question
    whose condition is not met is ignored, and it is never required."""

    # A field people do not see (hidden by the stylesheet, skipped by screen
    # readers and the keyboard); robots fill it in.
    webbplats = forms.CharField(required=False, label=_("Leave this field empty"))
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, survey: Survey, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey, self.language = survey, language
        self.questions = list(survey.questions.order_by("position", "pk"))
        self.fields["webbplats"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["stamp"].initial = self.new_stamp()
        numbers = {q.pk: n for n, q in enumerate(self.questions, start=1)}
        labels = {q.pk: dict(q.option_labels(self.language)) for q in self.questions}
        # By every free-text answer: no names or contact details (tied to it as its description).
        self.privacy = self.privacy_notice()
        for q in self.questions:
            self.fields[f"q{q.pk}"] = self._field(q)
            if q.kind == Question.Kind.TEXT:
                self.fields[f"q{q.pk}"].help_text = self.privacy.text
            if q.allow_other and q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                self.fields[f"q{q.pk}_other"] = forms.CharField(
                    label=_("Other, namely"), required=False, max_length=200, help_text=self.privacy.text
                )
            q.number = numbers[q.pk]
            # The language the question is shown in: its own, or Swedish where it has no text in the language.
            q.text_language = language if (q.texts.get(language) or "").strip() else "sv"
            q.condition_number = numbers.get(q.show_if_id)
            # The answer the condition asks for, as the respondent sees it (an option's label, or a number).
            q.condition_label = labels.get(q.show_if_id, {}).get(q.show_if_value, q.show_if_value)

    def privacy_notice(self) -> Shown:
        """In the respondent's language (surveys.languages)."""
        return privacy_notice(self.survey, self.language)

    def _field(self, q: Question) -> forms.Field:
        label = f"{q.text(self.language)}"
        options = q.option_labels(self.language)
        if q.allow_other:
            options = [*options, (OTHER, str(_("Other")))]
        page_language = translation.get_language() or "sv"
        # "Other" is a word of the page (Swedish or English), marked so where the question is in another language.
        marked = {OTHER: page_language} if q.allow_other and page_language != self.language else {}
        if q.kind == Question.Kind.SINGLE or q.kind == Question.Kind.AGE:
            widget = MarkedRadioSelect(option_language=marked)
            return forms.ChoiceField(label=label, choices=options, required=False, widget=widget)
        if q.kind == Question.Kind.MULTIPLE:
            widget = MarkedCheckboxSelectMultiple(option_language=marked)
            return forms.MultipleChoiceField(label=label, choices=options, required=False, widget=widget)
        if q.kind == Question.Kind.SCALE:
            choices = [(str(n), str(n)) for n in range(q.scale_min, q.scale_max + 1)]
            return forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, required=False, widget=forms.RadioSelect
            )
        return forms.CharField(
            label=label, required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
        )

    def question_rows(self):
        """[(question, field, other field or None)] for the template."""
        return [(q, self[f"q{q.pk}"], self[f"q{q.pk}_other"] if f"q{q.pk}_other" in self.fields else None)
                for q in self.questions]  # fmt: skip

    @property
    def _stamp_salt(self) -> str:
        return f"{FORM_STAMP_SALT}:{self.survey.pk}"  # a stamp of one survey is worth nothing on another

    def new_stamp(self, *, filled: bool = False) -> str:
        """A signed stamp for the form; ``filled``: for a form shown again already filled in by a person."""
        return signing.dumps(time.time() - (MIN_FILL_SECONDS if filled else 0), salt=self._stamp_salt)

    def stamp_expired(self) -> bool:
        """The stamp is genuine but older than STAMP_MAX_AGE: a page left open, not a robot."""
        try:
            signing.loads(self.data.get("stamp", ""), salt=self._stamp_salt, max_age=STAMP_MAX_AGE)
        except signing.SignatureExpired:
            return True
        except (signing.BadSignature, TypeError, ValueError):
            return False
        return False

    def is_robot(self) -> bool:
        """Filled the invisible field, sent no genuine stamp, or answered faster than a person can."""
        if self.data.get("webbplats"):
            return True
        try:
            rendered = signing.loads(self.data.get("stamp", ""), salt=self._stamp_salt, max_age=STAMP_MAX_AGE)
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - float(rendered) < MIN_FILL_SECONDS

    def clean(self):
        data = super().clean()
        given = {}
        for q in self.questions:
            value = data.get(f"q{q.pk}")
            if q.show_if_id and not _condition_met(q, given):
                continue
            empty = value in (None, "", [])
            if empty:
                if q.required:
                    self.add_error(f"q{q.pk}", _("Please answer this question."))
                continue
            if isinstance(value, list):
                # An option sent twice is chosen once: it counts once.
                value = list(dict.fromkeys(value))
            chose_other = value == OTHER or (isinstance(value, list) and OTHER in value)
            # The "other" text is kept only with the "other" option chosen.
            other = (data.get(f"q{q.pk}_other") or "").strip() if chose_other else ""
            if chose_other and not other:
                self.add_error(f"q{q.pk}_other", _("Write what you mean by “other”."))
            if isinstance(value, str):
                value = value.strip()
            given[q.pk] = {"value": value, "other": other} if other else {"value": value}
        self.answers = given
        return data


def _condition_met(q: Question, given: dict) -> bool:
    answer = given.get(q.show_if_id)
    if answer is None:
        return False
    value = answer["value"]
    if isinstance(value, list):
        return q.show_if_value in value
    return str(value) == q.show_if_value


class StaffEntryForm(AnswerForm):
    """A paper or interview answer typed in by staff: the same questions, no identity."""

    source = forms.ChoiceField(
        label=_("How was it answered?"),
        choices=[("papper", _("paper form")), ("intervju", _("interview"))],
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput())

    def is_robot(self) -> bool:
        return False

    def privacy_notice(self) -> Shown:
        """For the staff member typing in: in the page's language."""
        return privacy_notice(self.survey, ui_language(translation.get_language() or "sv"))


# --- Building ------------------------------------------------------------------------


class SurveyForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Swedish is always included. Texts in other languages are entered by translators."),
    )

    class Meta:
        model = Survey
        fields = ["name", "inventory", "unit", "languages", "opens_on", "closes_on", "date_detail", "results_published"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}
        help_texts = {
            "date_detail": _("No time of day is ever kept; choose the week to keep even less."),
            "inventory": _("The needs inventory whose themes and results the answers count in."),
            "results_published": _("Shows the results at the survey's link after it closes, with small counts hidden."),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(municipality_id=membership.municipality_id).order_by("name")
        if not membership.is_coordinator:
            units = units.filter(pk__in=membership.unit_ids)
            self.fields["unit"].required = True
        self.fields["unit"].queryset = units
        self.fields["unit"].help_text = _("The unit behind the survey; empty for the whole municipality.")
        inventories = Inventory.objects.filter(municipality_id=membership.municipality_id)
        if not membership.is_coordinator:  # the contact's own units' inventories (and the survey's own)
            inventories = inventories.filter(Q(unit_id__in=membership.unit_ids) | Q(pk=self.instance.inventory_id))
        self.fields["inventory"].queryset = inventories
        langs = self.data.getlist("languages") if self.is_bound else (self.instance.languages or ["sv"])
        self.fields["languages"].initial = langs
        self.offered = {"sv", *langs}
        with translation.override("sv"):  # what the translator translates
            swedish = {PRIVACY: str(PRIVACY_TEXT), NOTE: str(NOTE_TEXT)}
        for code, name in LANGUAGES:
            current = (self.instance.texts or {}).get(code, {}) if self.instance.pk else {}
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=code == "sv",
                max_length=200,
                initial=current.get("title", ""),
            )
            self.fields[f"intro_{code}"] = forms.CharField(
                label=_("Introduction (%(language)s)") % {"language": name},
                required=code == "sv",
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=current.get("intro", ""),
                help_text=_(
                    "Say what the survey is for, that taking part is voluntary, that answers are anonymous, "
                    "and how the results will be used and published."
                )
                if code == "sv"
                else _("Optional: without it, the Swedish introduction is shown, with the note that it is in Swedish."),
            )
            if needs_privacy_text(code):
                self.fields[f"{PRIVACY}_{code}"] = forms.CharField(
                    label=_("Note not to write names or contact details (%(language)s)") % {"language": name},
                    required=False,
                    max_length=300,
                    initial=current.get(PRIVACY, ""),
                    help_text=_("Shown by every free-text answer. In Swedish: “%(text)s”") % {"text": swedish[PRIVACY]},
                )
            if needs_note_text(code):
                self.fields[f"{NOTE}_{code}"] = forms.CharField(
                    label=_("Note that a text is shown in Swedish (%(language)s)") % {"language": name},
                    required=False,
                    max_length=200,
                    initial=current.get(NOTE, ""),
                    help_text=_(
                        "The buttons and instructions of the page are in Swedish: this note says so at the top, "
                        "and beside any text not written in this language. In Swedish: “%(text)s”"
                    )
                    % {"text": swedish[NOTE]},
                )

    def main_fields(self):
        return [self[n] for n in self.Meta.fields]

    def language_fields(self):
        """[(code, name, offered, [fields])]: the texts of each language the survey can offer."""
        keys = ("title", "intro", PRIVACY, NOTE)
        return [
            (
                code,
                name,
                code in self.offered,
                [self[f"{key}_{code}"] for key in keys if f"{key}_{code}" in self.fields],
            )
            for code, name in LANGUAGES
        ]

    def clean(self):
        data = super().clean()
        langs = ["sv", *[lang for lang in data.get("languages", []) if lang != "sv"]]
        data["languages"] = langs
        if self.instance.pk and self.instance.status == Survey.Status.OPEN:
            # An open survey offers only languages with every text written (surveys.languages).
            for missing in missing_texts(self.instance, languages=langs, texts=self._texts(data)):
                self.add_error(
                    "languages",
                    _("The survey is open: %(language)s cannot be offered, it lacks %(missing)s.")
                    % {"language": missing.name, "missing": ", ".join(missing.items)},
                )
        start, end = data.get("opens_on"), data.get("closes_on")
        if start and end and end < start:
            self.add_error("closes_on", _("The survey closes before it opens."))
        if data.get("inventory") and data.get("results_published"):
            self.add_error(
                "results_published",
                _("A survey in a needs inventory is published with the inventory's results; publish the inventory."),
            )
        return data

    @staticmethod
    def _texts(data: dict) -> dict:
        """{language: {key: text}} of the languages offered; texts not written are left out."""
        texts = {}
        for code in data.get("languages") or []:
            written = {key: (data.get(f"{key}_{code}") or "").strip() for key in ("title", "intro", PRIVACY, NOTE)}
            texts[code] = {key: text for key, text in written.items() if text or key in ("title", "intro")}
        return texts

    def survey_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields["texts"] = self._texts(data)
        return fields


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    allow_other = forms.BooleanField(label=_("Offer “other” with a text"), required=False)
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5)
    show_if = forms.ModelChoiceField(
        label=_("Show only if the question"), queryset=Question.objects.none(), required=False
    )
    show_if_value = forms.CharField(label=_("has the answer (option value or number)"), required=False, max_length=40)

    def __init__(self, *args, survey: Survey, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey, self.question = survey, question
        others = survey.questions.order_by("position", "pk")
        if question:
            others = others.exclude(pk=question.pk)
        self.fields["show_if"].queryset = others
        self.fields["show_if"].label_from_instance = lambda q: q.text("sv")
        for code in survey.languages:
            name = dict(LANGUAGES)[code]
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name},
                required=code == "sv",
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=question.texts.get(code, "") if question else "",
            )
            self.fields[f"options_{code}"] = forms.CharField(
                label=_("Options (%(language)s), one per line") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial="\n".join(o["texts"].get(code, "") for o in question.options) if question else "",
                help_text=_("For choices and age groups. Every language lists the options in the same order.")
                if code == "sv"
                else "",
            )
        if question:
            for name in ("kind", "required", "allow_other", "scale_min", "scale_max", "show_if", "show_if_value"):
                self.fields[name].initial = getattr(question, name)
        elif not self.is_bound:
            self.fields["options_sv"].initial = ""

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options: list[dict] = []
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.AGE):
            lines = {code: [line.strip() for line in (data.get(f"options_{code}") or "").splitlines() if line.strip()]
                     for code in self.survey.languages}  # fmt: skip
            if kind == Question.Kind.AGE and not lines["sv"]:
                lines["sv"] = list(DEFAULT_AGE_GROUPS)
            if len(lines["sv"]) < 2:
                self.add_error("options_sv", _("Give at least two options, one per line."))
            for code, labels in lines.items():
                if labels and len(labels) != len(lines["sv"]):
                    self.add_error(f"options_{code}", _("List as many options as in Swedish, in the same order."))
            old = self.question.options if self.question else []
            for i in range(len(lines["sv"])):
                value = old[i]["value"] if i < len(old) else f"o{i + 1}"
                texts = {code: labels[i] for code, labels in lines.items() if i < len(labels)}
                options.append({"value": value, "texts": texts})
        if kind == Question.Kind.SCALE:
            lo, hi = data.get("scale_min"), data.get("scale_max")
            if lo is not None and hi is not None and not (hi > lo and hi - lo <= 10):
                self.add_error("scale_max", _("The scale must go up, by at most ten steps."))
        if data.get("show_if") and not data.get("show_if_value"):
            self.add_error("show_if_value", _("Say which answer shows the question."))
        data["options"] = options
        return data

    def question_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "required": data["required"],
            "allow_other": data["allow_other"] and data["kind"] in (Question.Kind.SINGLE, Question.Kind.MULTIPLE),
            "scale_min": data.get("scale_min") or 1,
            "scale_max": data.get("scale_max") or 5,
            "show_if": data.get("show_if"),
            "show_if_value": data.get("show_if_value", ""),
            "texts": {
                code: data.get(f"text_{code}", "").strip() for code in self.survey.languages if data.get(f"text_{code}")
            },
            "options": data["options"],
        }
