"""Delete or anonymise what has been kept longer than the RETENTION_* settings
allow (docs/privacy.md "Retention"). The worker runs the same once a day."""

from django.conf import settings
from django.core.management.base import BaseCommand

from retention.services import enforce, policies

WHAT = {
    "withdrawn_views": "views of representatives who withdrew consent to be named",
    "reminders": "reminder e-mails and records of reminders sent",
    "report_builds": "files of earlier council report builds",
}


class Command(BaseCommand):
    help = "Delete or anonymise what is kept longer than the RETENTION_* settings allow."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be done.")

    def handle(self, *args, dry_run: bool, **options):
        done = enforce(dry_run=dry_run)
        setting = {
            "withdrawn_views": "RETENTION_WITHDRAWN_VIEWS_DAYS",
            "reminders": "RETENTION_REMINDERS_DAYS",
            "report_builds": "RETENTION_REPORT_BUILDS_DAYS",
        }
        if dry_run:
            self.stdout.write("Dry run: nothing is changed. What would be done:")
        for kind, policy in policies().items():
            name = setting[kind]
            if policy.days <= 0:
                self.stdout.write(f"{kind} ({name}={getattr(settings, name)}): kept for ever.")
                continue
            counts = ", ".join(f"{n} {action.replace('_', ' ')}" for action, n in done[kind].items())
            self.stdout.write(f"{kind} ({name}={policy.days}, {WHAT[kind]}): {counts}.")
