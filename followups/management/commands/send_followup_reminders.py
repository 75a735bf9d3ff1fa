"""Remind unit contacts of open follow-up reports: before the deadline and after
it. The worker runs this daily (worker/schedule.py); running it twice sends
nothing twice."""

from followups.services import send_followup_reminders
from outbox.commands import ReminderCommand


class Command(ReminderCommand):
    help = "E-mail unit contacts about follow-up reports due soon or late; never the same reminder twice."

    def queue_reminders(self, today):
        return send_followup_reminders(today=today)
