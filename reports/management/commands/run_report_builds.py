from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import ngettext

from reports.jobs import run_waiting


class Command(BaseCommand):
    help = (
        "Build here the council reports that are waiting, and mark as failed the builds that stopped with their "
        "process. Builds normally run in the worker (run_worker), which also does this every ten minutes."
    )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        done = run_waiting()
        self.stdout.write(
            ngettext("%(count)d report build run.", "%(count)d report builds run.", len(done)) % {"count": len(done)}
        )
