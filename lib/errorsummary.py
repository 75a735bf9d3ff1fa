"""The error summary above a form (templates/form_errors.html), as GOV.UK and
Designsystemet have it: one line per error, each linking to the field that has
it, errors that belong to no field as text, and errors in hidden fields (which
the person can neither see nor correct) as a request to reload the page.

``summary_items(form, formset, ...)`` takes forms and formsets (None is
skipped) and gives the lines. A field's link goes to the id its widget
renders: the input itself, the first box of a radio or checkbox group, the
prefixed id of a formset's field; the Python-written report fields
(lib.fastfields) render the same ``auto_id``. A form may name its fields in the
summary by a method ``error_summary_label(name) -> str`` (the unit report: the
goal's number before "Assessment").

``has_errors(context)`` tells base.html whether the page shows a form with
errors (or says so with ``page_has_errors``), for the "Error: " before the title.
"""

from dataclasses import dataclass

from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext


@dataclass(frozen=True)
class SummaryItem:
    text: str
    href: str = ""  # "#id_title"; empty for an error that belongs to no field


def field_anchor(bf: forms.BoundField) -> str:
    """The id of the element the summary's link moves to: the field's own input,
    or the first input of a group of radio buttons or checkboxes."""
    anchor = bf.id_for_label
    if not anchor and bf.auto_id:
        subwidgets = bf.subwidgets
        anchor = subwidgets[0].id_for_label if subwidgets else bf.auto_id
    return anchor or ""


def _form_items(form, *, row: int | None = None) -> tuple[list[SummaryItem], list[SummaryItem]]:
    items, hidden = [], []
    if not form.is_bound:
        return items, hidden
    label_for = getattr(form, "error_summary_label", None)
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            items.extend(SummaryItem(str(e)) for e in errors)
            continue
        bf = form[name]
        if bf.is_hidden:
            hidden.append(
                SummaryItem(
                    gettext(
                        "Part of the form was missing or had been changed (%(name)s). "
                        "Reload the page and make your changes again."
                    )
                    % {"name": name}
                )
            )
            continue
        label = label_for(name) if label_for else str(bf.label or name)
        if row is not None:
            label = gettext("%(label)s, row %(number)s") % {"label": label, "number": row}
        anchor = field_anchor(bf)
        for error in errors:
            items.append(SummaryItem(f"{label}: {error}", f"#{anchor}" if anchor else ""))
    return items, hidden


def summary_items(*forms_and_formsets) -> list[SummaryItem]:
    """The summary's lines for these forms and formsets, the hidden fields' last."""
    items, hidden = [], []
    for obj in forms_and_formsets:
        if obj is None or obj == "":
            continue
        if isinstance(obj, BaseFormSet):
            if not obj.is_bound:
                continue
            items.extend(SummaryItem(str(e)) for e in obj.non_form_errors())
            for i, form in enumerate(obj.forms, start=1):
                more, more_hidden = _form_items(form, row=i)
                items.extend(more)
                hidden.extend(more_hidden)
        elif isinstance(obj, forms.BaseForm):
            more, more_hidden = _form_items(obj)
            items.extend(more)
            hidden.extend(more_hidden)
    # A hidden field's message once, however many rows share it.
    seen = set()
    unique_hidden = [h for h in hidden if not (h.text in seen or seen.add(h.text))]
    return items + unique_hidden


def _has_errors(obj) -> bool:
    # type(), not isinstance(): isinstance() would evaluate a lazy value (the CSRF token).
    kind = type(obj)
    if issubclass(kind, BaseFormSet):
        return obj.is_bound and obj.total_error_count() > 0
    if issubclass(kind, forms.BaseForm):
        return obj.is_bound and bool(obj.errors)
    return False


def has_errors(context) -> bool:
    """Whether the page shows a bound form (or formset) with errors, or its view
    says it shows errors (``page_has_errors``): for the title's "Error: "."""
    flat = context.flatten() if hasattr(context, "flatten") else dict(context)
    if flat.get("page_has_errors"):
        return True
    return any(_has_errors(value) for value in flat.values())
