"""Delete account events (sign-ins, sign-outs, lockouts, refused requests) older
than ACCOUNT_EVENTS_KEEP_DAYS. The worker runs this daily (worker/schedule.py)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from audit.models import AccountEvent


class Command(BaseCommand):
    help = "Delete account events older than ACCOUNT_EVENTS_KEEP_DAYS."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.ACCOUNT_EVENTS_KEEP_DAYS)
        deleted, _by_model = AccountEvent.objects.filter(at__lt=cutoff).delete()
        if deleted or options["verbosity"] >= 2:
            self.stdout.write(
                ngettext(
                    "%(n)d account event older than %(days)d days deleted.",
                    "%(n)d account events older than %(days)d days deleted.",
                    deleted,
                )
                % {"n": deleted, "days": settings.ACCOUNT_EVENTS_KEEP_DAYS}
            )
