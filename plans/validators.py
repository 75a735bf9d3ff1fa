"""Validators for the text of plans, levels and goals. The model fields, the
forms and the plan file all run these, so that whatever is saved can be
exported and imported again."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Allowed in free text (descriptions, guidance): line breaks as typed in a text box, and tabs.
TEXT_WHITESPACE = "\n\r\t"


def _forbidden(ch: str) -> bool:
    """Control characters, lone surrogates and the two non-characters: never text."""
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"


def validate_single_line(value: str) -> None:
    """A title, a name or a code: one line, no control characters."""
    if not isinstance(value, str):
        return
    for ch in value:
        if ch in LINE_BREAKS:
            raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")
        if _forbidden(ch):
            raise ValidationError(
                _("The text contains a control character (U+%(code)04X) that cannot be saved; remove it."),
                code="control_character",
                params={"code": ord(ch)},
            )


def validate_text(value: str) -> None:
    """Free text over several lines: line breaks and tabs, but no other control characters."""
    if not isinstance(value, str):
        return
    for ch in value:
        if ch not in TEXT_WHITESPACE and _forbidden(ch):
            raise ValidationError(
                _("The text contains a control character (U+%(code)04X) that cannot be saved; remove it."),
                code="control_character",
                params={"code": ord(ch)},
            )
