"""Remind the coordinators and the responsible unit's contacts of views whose
feedback is overdue. Run daily; running it again never sends the same reminder twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.services import send_feedback_reminders
from outbox.models import OutgoingMail
from outbox.services import deliver_due


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
                raise CommandError(_("--date: not a date: %(value)s") % {"value": options["date"]}) from exc
        queued = send_feedback_reminders(today=today)
        # Each reminder's mails go out when its transaction commits; this also sends
        # any that failed then (and earlier ones due for a retry). See send_mail_outbox.
        deliver_due()
        self.stdout.write(ngettext("%(n)d e-mail queued.", "%(n)d e-mails queued.", queued) % {"n": queued})
        waiting = OutgoingMail.objects.filter(status=OutgoingMail.Status.WAITING).count()
        if waiting:
            self.stdout.write(
                ngettext(
                    "%(n)d e-mail in the outbox waits for a retry (send_mail_outbox).",
                    "%(n)d e-mails in the outbox wait for a retry (send_mail_outbox).",
                    waiting,
                )
                % {"n": waiting}
            )
