"""Small text helpers the chapters share."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone

from reports.document import Paragraph


def long_date(value: date | datetime | None) -> str:
    """As printed in the report, e.g. "31 augusti 2026" (a datetime on its local date)."""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, "j F Y") if value else ""


def iso(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def paragraphs(text: str, *, style: str = "") -> list[Paragraph]:
    """Text written in a form as paragraphs (separated by blank lines)."""
    chunks = [c.strip() for c in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(c, style=style) for c in chunks if c]


def as_of(text: str) -> Paragraph:
    """The moment a chapter's content is from, printed under its heading."""
    return Paragraph(text, style="note")
