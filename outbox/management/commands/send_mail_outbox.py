"""Deliver the e-mails that are due (new ones whose first attempt failed or was
never made, and retries), remove old sent and failed ones, and report mails a
dead process left half-sent. The worker delivers what is due every minute and
cleans up daily (worker/schedule.py); this command does it by hand."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outbox import services
from outbox.models import OutgoingMail


class Command(BaseCommand):
    help = (
        "Send the queued e-mails that are due, retry failed ones, delete old ones, and report e-mails that "
        "may or may not have gone out."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--requeue", nargs="+", type=int, metavar="ID", default=[],
            help="send these failed or stuck e-mails again (after checking that a stuck one did not go out)",
        )  # fmt: skip
        parser.add_argument(
            "--mark-sent", nargs="+", type=int, metavar="ID", default=[],
            help="record these failed or stuck e-mails as sent (after checking that they went out)",
        )  # fmt: skip

    def handle(self, *args, **options):
        named = [*options["mark_sent"], *options["requeue"]]
        if named:
            may = services.choosable(named)
            for pk in dict.fromkeys(named):
                if pk not in may:
                    self.stderr.write(
                        _(
                            "E-mail #%(id)d was left as it is: there is no such e-mail, or it has neither failed "
                            "nor been stuck in sending for %(minutes)d minutes."
                        )
                        % {"id": pk, "minutes": services.STUCK_AFTER.total_seconds() // 60}
                    )
        if options["mark_sent"]:
            marked = services.mark_sent(options["mark_sent"])
            self.stdout.write(
                ngettext("%(n)d e-mail recorded as sent.", "%(n)d e-mails recorded as sent.", marked) % {"n": marked}
            )
        if options["requeue"]:
            requeued = services.requeue(options["requeue"])
            self.stdout.write(
                ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", requeued) % {"n": requeued}
            )
        outcome = services.deliver_due()
        removed = services.cleanup()
        if outcome or removed or options["verbosity"] >= 2:
            self.stdout.write(
                _(
                    "E-mails sent: %(sent)d, to be retried: %(waiting)d, failed after the last attempt: "
                    "%(failed)d; old e-mails removed: %(removed)d."
                )
                % {
                    "sent": outcome[OutgoingMail.Status.SENT],
                    "waiting": outcome[OutgoingMail.Status.WAITING],
                    "failed": outcome[OutgoingMail.Status.FAILED],
                    "removed": removed,
                }
            )
        if outcome[OutgoingMail.Status.FAILED]:
            self.stderr.write(
                _(
                    "E-mails that could not be sent and will not be tried again: %(n)d. See Outgoing e-mails "
                    "in the admin (status failed, last error); send one again with --requeue ID."
                )
                % {"n": outcome[OutgoingMail.Status.FAILED]}
            )
        for mail in services.stuck_mails():
            since = timezone.localtime(mail.claimed_at).strftime("%Y-%m-%d %H:%M")
            self.stderr.write(
                _(
                    "E-mail #%(id)d (%(kind)s to %(to)s) has been sending since %(since)s: the process sending it "
                    "stopped, so it may or may not have gone out. Check the mail server's log, then run "
                    "send_mail_outbox --mark-sent %(id)d or --requeue %(id)d."
                )
                % {"id": mail.pk, "kind": mail.get_kind_display(), "to": mail.to, "since": since}
            )
