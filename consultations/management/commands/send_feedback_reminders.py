"""Remind the coordinators and the responsible unit's contacts of views whose
feedback is overdue. The worker runs this daily (worker/schedule.py); running it
again never sends the same reminder twice."""

from consultations.services import send_feedback_reminders
from outbox.commands import ReminderCommand


class Command(ReminderCommand):
    help = "E-mail about views raised in consultations whose feedback is overdue; once per view."

    def queue_reminders(self, today):
        return send_feedback_reminders(today=today)
