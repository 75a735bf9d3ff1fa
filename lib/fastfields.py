"""Form fields rendered in Python, for forms with hundreds of fields (a unit
report): the same markup as Django's widget templates and as
templates/form_field.html, without a template render per widget and per field.

The widgets below override ``render()`` only: BoundField.as_widget() still
builds their attributes (id, required, aria-invalid, aria-describedby for the
help text and the errors), and value_from_datadict(), format_value() and
validation are Django's. ``field_html()`` wraps a bound field as
form_field.html does (label, required marker, help text, errors tied to the
field); a field whose widget is not one of these falls back to the widget's
own template.
"""

from django import forms
from django.utils.choices import normalize_choices
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def attrs_html(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: True gives a bare attribute, False none."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastTextarea(forms.Textarea):
    """As django/forms/widgets/textarea.html (the newline after the start tag included)."""

    rows: int | None = None  # a subclass's default number of rows

    def __init__(self, attrs=None):
        if self.rows is not None:
            attrs = {"rows": self.rows, **(attrs or {})}
        super().__init__(attrs)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        text = escape(value) if value else ""
        return mark_safe(f'<textarea name="{escape(name)}"{attrs_html(final_attrs)}>\n{text}</textarea>')  # noqa: S308  (escaped)


class FastInputMixin:
    """As django/forms/widgets/input.html, for an Input subclass."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        value_attr = f' value="{escape(value)}"' if value is not None else ""
        html = f'<input type="{self.input_type}" name="{escape(name)}"{value_attr}{attrs_html(final_attrs)}>'
        return mark_safe(html)  # noqa: S308  (every value is escaped)


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastHiddenInput(FastInputMixin, forms.HiddenInput):
    pass


def field_html(bf: forms.BoundField, *, required_marker: bool = True) -> SafeString:
    """A bound field as templates/form_field.html renders a text, number, select
    or textarea field: label (with "(required)" when the field is required and
    ``required_marker``), help text and errors with the ids the widget's
    aria-describedby names, then the widget."""
    if bf.is_hidden:
        return bf.as_widget()
    errors = bf.errors
    auto_id = bf.auto_id
    parts = [f'<div class="field{" has-error" if errors else ""}">']
    required = ""
    if required_marker and bf.field.required:
        required_label = conditional_escape(gettext("required"))
        required = f' <span class="required">({required_label})</span>'
    parts.append(f'<label for="{escape(bf.id_for_label)}">{conditional_escape(bf.label)}{required}</label>')
    if bf.help_text:
        parts.append(f'<p class="help" id="{auto_id}_helptext">{conditional_escape(bf.help_text)}</p>')
    if errors:
        messages = "".join(f"<p>{conditional_escape(e)}</p>" for e in errors)
        parts.append(f'<div class="error" id="{auto_id}_error">{messages}</div>')
    parts.append(str(bf))  # as_widget(): id, aria-describedby, aria-invalid, required
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308  (every value is escaped, the widget is safe HTML)


class PreparedChoices(list):
    """(value, label) pairs already in Django's canonical form, given to many
    choice fields of one form (every activity's status): kept as they are
    rather than normalised for each field and again for its widget, and
    escaped once for all of them (labels may be lazy: escaped at first render,
    in the language of the request)."""

    _escaped: list[tuple[str, str, str]] | None = None

    def escaped(self) -> list[tuple[str, str, str]]:
        """[(str(value), escaped value, escaped label)]"""
        if self._escaped is None:
            self._escaped = [(str(v), escape(v), conditional_escape(label)) for v, label in self]
        return self._escaped


class PreparedSelect(forms.Select):
    """A select of flat PreparedChoices, written in Python: the markup of
    lib.forms.FastSelect, without escaping the options again for every field."""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        if isinstance(value, PreparedChoices):
            self._choices = value
        elif isinstance(value, tuple) and not value:  # Select.__init__'s default, before the field gives its choices
            self._choices = PreparedChoices()
        else:
            self._choices = PreparedChoices(normalize_choices(value))

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{ev}"{" selected" if sv in selected else ""}>{label}</option>'
            for sv, ev, label in self._choices.escaped()
        )
        html = f'<select name="{escape(name)}"{attrs_html(final_attrs)}>{options}</select>'
        return mark_safe(html)  # noqa: S308  (values and labels are escaped)


class PreparedChoiceMixin:
    """For a ChoiceField (or TypedChoiceField) given PreparedChoices: shares
    them with its PreparedSelect instead of normalising them twice."""

    widget = PreparedSelect

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        if not isinstance(value, PreparedChoices):
            value = PreparedChoices(normalize_choices(value))
        self._choices = self.widget.choices = value


class PreparedChoiceField(PreparedChoiceMixin, forms.ChoiceField):
    pass


class PreparedTypedChoiceField(PreparedChoiceMixin, forms.TypedChoiceField):
    pass
