"""Dates and amounts as a Swedish reader expects them on a page, in an e-mail or in a report.

Machine formats stay ISO (APIs, open data, iCalendar, CSV columns read by programs); these
helpers are for text a person reads. ``short_date(date(2026, 12, 6))`` is "6 dec. 2026" in
Swedish, ``kronor(4500)`` is "4 500 kr" (grouped by a non-breaking space).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy

# Django's own abbreviations are English-cased ("Dec" from the date format "M") or lack the
# full stop ("N" gives "dec"); Swedish writes "6 dec. 2026" but "6 maj 2026" and "6 juni 2026".
MONTHS_SHORT = {
    1: pgettext_lazy("abbreviated month", "Jan."),
    2: pgettext_lazy("abbreviated month", "Feb."),
    3: pgettext_lazy("abbreviated month", "Mar."),
    4: pgettext_lazy("abbreviated month", "Apr."),
    5: pgettext_lazy("abbreviated month", "May"),
    6: pgettext_lazy("abbreviated month", "June"),
    7: pgettext_lazy("abbreviated month", "July"),
    8: pgettext_lazy("abbreviated month", "Aug."),
    9: pgettext_lazy("abbreviated month", "Sept."),
    10: pgettext_lazy("abbreviated month", "Oct."),
    11: pgettext_lazy("abbreviated month", "Nov."),
    12: pgettext_lazy("abbreviated month", "Dec."),
}


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def short_date(value: date | datetime | None) -> str:
    """As "6 dec. 2026" (a datetime on its local date); "" for None."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_SHORT[value.month]} {value.year}"


def short_datetime(value: datetime | None) -> str:
    """As "6 dec. 2026 14:05", in local time; "" for None."""
    if not value:
        return ""
    value = _local(value)
    return f"{short_date(value)} {value:%H:%M}"


def long_date(value: date | datetime | None) -> str:
    """As "6 december 2026" (a datetime on its local date); "" for None."""
    if not value:
        return ""
    value = _local(value)
    if isinstance(value, datetime):
        value = value.date()
    return formats.date_format(value, "j F Y")


def grouped(value: int | float | None) -> str:
    """A number with the language's thousands separator: "4 500" in Swedish (a non-breaking space)."""
    if value is None:
        return ""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def kronor(value: int | float | None) -> str:
    """An amount in Swedish kronor: "4 500 kr"; "" for None."""
    if value is None:
        return ""
    return gettext("%(amount)s SEK") % {"amount": grouped(value)}


def unit_abbr(unit) -> str:
    """An organisation unit's short name ("SN") as HTML, with its full name on hover and for
    screen readers: <abbr title="Socialnämnden">SN</abbr>. The full name alone when there is
    no short name or it is the same."""
    if unit is None:
        return ""
    short, name = unit.short_name, unit.name
    if not short or short == name:
        return format_html("{}", name)
    return format_html('<abbr title="{}">{}</abbr>', name, short)
