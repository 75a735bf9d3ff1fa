from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EVENT_MAIL_KINDS, Frequency, Kind

HELP = {
    Kind.REPORT_TO_WRITE: _("“Immediately”: the reminder a week before the deadline and the one after it."),
    Kind.REPORT_RETURNED: _("“Immediately”: the reminders about the round's deadline."),
    Kind.FEEDBACK_OVERDUE: _("“Immediately”: one e-mail when a view's feedback becomes overdue."),
    Kind.MINUTES_TO_REVIEW: _("“Immediately”: the e-mail sent with the minutes for review."),
    Kind.REMISS_ANSWER: _("“Immediately”: the reminders before and after the remiss's deadline."),
}


class PreferencesForm(forms.Form):
    """One choice per kind that can wait for the person. "Immediately" is offered
    only where the kind has an e-mail of its own."""

    def __init__(self, *args, kinds: list[str], initial_frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            choices = [
                (value, label)
                for value, label in Frequency.choices
                if value != Frequency.IMMEDIATELY or kind in EVENT_MAIL_KINDS
            ]
            initial = initial_frequencies[kind]
            if initial not in dict(choices):
                initial = Frequency.DAILY
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect,
                help_text=HELP.get(kind, ""),
            )

    def frequencies(self) -> dict[str, str]:
        return dict(self.cleaned_data)
