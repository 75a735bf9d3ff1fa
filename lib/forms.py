from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def normalise_newlines(value):
    """A text with every line break as "\n": a browser sends a text box's line breaks
    as CR LF (HTML's form encoding), an old Mac file as CR."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _textarea_value_from_datadict(self, data, files, name):
    return normalise_newlines(forms.Widget.value_from_datadict(self, data, files, name))


def install_newline_normalisation() -> None:
    """Every text box (``forms.Textarea`` and its subclasses: a model form's TextField,
    the plans', goals', reports' … own widgets) hands its form "\n" line breaks, never
    the browser's CR LF: what a person types is saved, compared and exported the same
    whichever way it came in. Called once from home.apps.HomeConfig.ready(); one place
    rather than a widget every form must remember to use. A single-line input cannot
    hold a line break (the browser drops it); one sent anyway is still refused by the
    single-line validators, as "\n"."""
    if forms.Textarea.value_from_datadict is not _textarea_value_from_datadict:
        forms.Textarea.value_from_datadict = _textarea_value_from_datadict


class DateInput(forms.DateInput):
    """A native date picker; the value is sent as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FastSelect(forms.Select):
    """A select rendered in Python rather than one template per option: for
    forms with hundreds of selects (a unit report). Flat choices only."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(key), mark_safe(" selected") if str(key) in selected else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


# The largest id a BigAutoField holds (SQLite's INTEGER, PostgreSQL's bigint): a
# larger number would crash the query rather than find nothing.
MAX_ID = 2**63 - 1
# Years a page may be asked about: date arithmetic on the year stays in range.
MIN_YEAR, MAX_YEAR = 1900, 2999


def int_param(request, name: str, *, min_value: int = 0, max_value: int = MAX_ID) -> int | None:
    """A whole number from the query string, or None when it is absent or not a
    number in [min_value, max_value] (only the digits 0-9 count): a bad value
    falls back to the page's default, never to an error."""
    value = request.GET.get(name, "")
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(max_value)):
        return None
    number = int(value)
    return number if min_value <= number <= max_value else None


def year_param(request, name: str) -> int | None:
    """A year from the query string, or None (see int_param)."""
    return int_param(request, name, min_value=MIN_YEAR, max_value=MAX_YEAR)


def text_param(request, name: str, *, max_length: int = 100) -> str:
    """Text from the query string without control characters (NUL included, which
    PostgreSQL refuses in a query), stripped and cut to max_length."""
    value = request.GET.get(name, "")
    return "".join(ch for ch in value if ch.isprintable() or ch == " ").strip()[:max_length]


def choice_param(request, name: str, choices, default: str = "") -> str:
    """One of ``choices`` from the query string, else ``default``."""
    value = request.GET.get(name, default)
    return value if value in choices else default


class XlsxUploadForm(forms.Form):
    """An upload of one spreadsheet (.xlsx), refused above settings.XLSX_MAX_BYTES
    before anything reads it. Subclasses give the ``file`` field its label and help."""

    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.XLSX_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)d kB); the limit is %(limit)d kB.")
                % {"size": f.size // 1024, "limit": settings.XLSX_MAX_BYTES // 1024}
            )
        return f
