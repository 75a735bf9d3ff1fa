from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import ngettext

from reports.jobs import run_waiting


class Command(BaseCommand):
    help = (
        "Build the council reports that are waiting, and mark as failed the builds that stopped with their "
        "process. Run it from cron, or once after a restart; builds normally run on their own."
    )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        done = run_waiting()
        self.stdout.write(
            ngettext("%(count)d report build run.", "%(count)d report builds run.", len(done)) % {"count": len(done)}
        )
