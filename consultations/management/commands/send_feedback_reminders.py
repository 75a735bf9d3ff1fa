"""Remind the coordinators and the responsible unit's contacts of views whose
feedback is overdue. Run daily; running it again never sends the same reminder twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from consultations.services import send_feedback_reminders


class Command(BaseCommand):
    help = "E-mail about views raised in consultations whose feedback is overdue; once per view."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD); for testing")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: not a date: {options['date']}") from exc
        sent = send_feedback_reminders(today=today)
        self.stdout.write(f"{sent} e-mail(s) sent.")
