"""Reading a page's forms exactly as a browser submits them: every successful
control (checked boxes, selected options, textareas with CR LF line breaks,
hidden fields as rendered, the clicked submit button only), nothing added.
Used by the form walk (tests/test_forms_walk.py) and by tests that post a
form as the browser sends it."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve
from lxml import html as lxml_html


@dataclass
class Submission:
    page: str  # URL the form was read from
    action: str  # URL it posts to
    name: str  # URL name of the action, with "|button" when the clicked button has a name
    data: dict = field(default_factory=dict)


TEXT_LIKE = {"text", "search", "tel", "password"}
BUTTON_TYPES = {"submit", "image"}
NEVER_SUBMITTED = {"button", "reset"}


def _disabled(element) -> bool:
    """Disabled itself, or inside a disabled fieldset (except its first legend)."""
    if element.get("disabled") is not None:
        return True
    child = element
    for ancestor in element.iterancestors():
        if ancestor.tag == "fieldset" and ancestor.get("disabled") is not None:
            legends = [c for c in ancestor if c.tag == "legend"]
            if not (legends and child is legends[0]):
                return True
        child = ancestor
    return False


def _input_value(element) -> str:
    """The value after the browser's value sanitisation for the input's type."""
    kind = (element.get("type") or "text").lower()
    value = element.get("value") or ""
    if kind in TEXT_LIKE:
        return value.replace("\r", "").replace("\n", "")
    if kind in ("email", "url"):
        return value.replace("\r", "").replace("\n", "").strip()
    if kind == "number":
        return value if re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", value) else ""
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return ""
        return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else ""
    if kind == "datetime-local":
        value = value.replace(" ", "T")
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return ""
        return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?", value) else ""
    return value


def _textarea_value(element) -> str:
    """The HTML parser drops one newline right after <textarea>; a submitted
    textarea's line breaks are CR LF."""
    text = element.text_content()
    if text.startswith("\r\n"):
        text = text[2:]
    elif text.startswith("\n"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _select_values(element) -> list[str]:
    options = [o for o in element.iter("option")]
    chosen = [o for o in options if o.get("selected") is not None and not _disabled(o)]
    multiple = element.get("multiple") is not None
    size = int(element.get("size") or (4 if multiple else 1))
    if not chosen and not multiple and size == 1:
        enabled = [o for o in options if not _disabled(o)]
        chosen = enabled[:1]
    elif not multiple:
        chosen = chosen[-1:]
    return [o.get("value") if o.get("value") is not None else o.text_content() for o in chosen]


def _controls(document, form):
    """The form's controls in tree order: its descendants without another form
    owner, and elements elsewhere that name it with form="…"."""
    form_id = form.get("id")
    for element in document.iter("input", "select", "textarea", "button"):
        owner = element.get("form")
        if owner is not None:
            if form_id and owner == form_id:
                yield element
            continue
        if next(element.iterancestors("form"), None) is form:  # the nearest form owns it
            yield element


def _submitters(controls) -> list:
    found = []
    for element in controls:
        kind = (element.get("type") or ("submit" if element.tag == "button" else "text")).lower()
        if element.tag in ("button", "input") and kind in BUTTON_TYPES and not _disabled(element):
            found.append(element)
    return found


def _entries(controls, submitter) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for element in controls:
        if _disabled(element) or any(a.tag == "datalist" for a in element.iterancestors()):
            continue
        name = element.get("name")
        tag = element.tag
        kind = (element.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag == "button" or (tag == "input" and kind in BUTTON_TYPES | NEVER_SUBMITTED):
            if element is submitter and name:
                add(name, element.get("value") or "")
            continue
        if not name:
            continue
        if tag == "input":
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    add(name, element.get("value") if element.get("value") is not None else "on")
            elif kind == "file":
                continue  # no file chosen: Django reads an empty file part as no file
            else:
                add(name, _input_value(element))
        elif tag == "select":
            for value in _select_values(element):
                add(name, value)
        elif tag == "textarea":
            add(name, _textarea_value(element))
    return data


def action_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def submissions(page_url: str, content: bytes) -> list[Submission]:
    """Every POST form on the page, once per submit button (a form without one
    is submitted by pressing Enter)."""
    document = lxml_html.document_fromstring(content)
    found = []
    for form in document.iter("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urljoin(page_url, form.get("action") or page_url)
        name = action_name(action) or f"?{action}"
        controls = list(_controls(document, form))
        for submitter in _submitters(controls) or [None]:
            label = name
            if submitter is not None and submitter.get("name"):
                label = f"{name}|{submitter.get('name')}"
            found.append(Submission(page_url, action, label, _entries(controls, submitter)))
    return found
