"""Each person's choice of e-mail per kind (docs/inbox.md). The per-event e-mails
(a report's reminders, overdue feedback, minutes sent for review, a remiss's
reminders) go through ``immediate_recipients`` so that "never" and the
summaries silence them; imported by those services, so it imports no app code
but inbox.models."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from .models import Frequency, Kind, Preference, default_frequency


def frequencies_of(user) -> dict[str, str]:
    """{kind: frequency} for every kind, the defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind.value: chosen.get(kind.value, default_frequency(kind)) for kind in Kind}


def immediate_recipients(kind: str, emails: Iterable[str]) -> list[str]:
    """``emails`` without the people who chose anything but "immediately" for
    ``kind`` (a summary, or never), in their order, in one query. An address that
    is no account's (a remiss body outside the municipality) is kept."""
    emails = list(emails)
    if not emails:
        return []
    if default_frequency(kind) == Frequency.IMMEDIATELY:
        silenced = Preference.objects.filter(kind=kind, user__email__in=set(emails)).exclude(
            frequency=Frequency.IMMEDIATELY
        )
        quiet = {e.lower() for e in silenced.values_list("user__email", flat=True)}
    else:  # an account without a row has chosen a summary
        chose_now = set(
            Preference.objects.filter(
                kind=kind, frequency=Frequency.IMMEDIATELY, user__email__in=set(emails)
            ).values_list("user__email", flat=True)
        )
        accounts = set(get_user_model().objects.filter(email__in=set(emails)).values_list("email", flat=True))
        quiet = {e.lower() for e in accounts - chose_now}
    return [e for e in emails if e.lower() not in quiet]


def preferences_save(*, user, frequencies: dict[str, str]) -> None:
    """Store the person's choices; a choice equal to the default keeps no row."""
    for kind, frequency in frequencies.items():
        if frequency == default_frequency(kind):
            Preference.objects.filter(user=user, kind=kind).delete()
        else:
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})
