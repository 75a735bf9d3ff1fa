"""Remind unit contacts of open follow-up reports: before the deadline and after
it. Run daily (cron or a systemd timer); running it twice sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from followups.services import send_followup_reminders


class Command(BaseCommand):
    help = "E-mail unit contacts about follow-up reports due soon or late; never the same reminder twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD); for testing")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: not a date: {options['date']}") from exc
        sent = send_followup_reminders(today=today)
        self.stdout.write(f"{sent} e-mail(s) sent.")
