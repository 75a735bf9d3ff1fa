from django.core.management.base import BaseCommand

from reports.jobs import run_waiting


class Command(BaseCommand):
    help = (
        "Build the council reports that are waiting, and mark as failed the builds that stopped with their "
        "process. Run it from cron, or once after a restart; builds normally run on their own."
    )

    def handle(self, *args, **options):
        done = run_waiting()
        self.stdout.write(f"{len(done)} report build(s) run.")
