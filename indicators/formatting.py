"""Numbers as people read them: no trailing zeros, the active language's
decimal comma and thousands separator."""

from decimal import Decimal

from django.utils import formats


def format_number(value: Decimal | int | float | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return formats.number_format(value.normalize(), use_l10n=True, force_grouping=True)
