"""The shape every reminder command shares: queue the day's reminders, send
what is due, and say what happened."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import OutgoingMail
from .services import deliver_due


class ReminderCommand(BaseCommand):
    """Subclasses set ``help`` and implement ``queue_reminders(today)``, which
    returns how many e-mails it queued (recorded with their "reminded" markers)."""

    def queue_reminders(self, today: date | None) -> int:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD); for testing")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("--date: not a date: %(value)s") % {"value": options["date"]}) from exc
        queued = self.queue_reminders(today)
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
