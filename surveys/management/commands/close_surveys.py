"""Close the surveys whose last day has passed. The worker runs this daily (worker/schedule.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import translation
from django.utils.translation import ngettext

from surveys.models import Answer, Response
from surveys.services import close_ended_surveys


class Command(BaseCommand):
    help = (
        "Close the open surveys whose last day has passed (their answers are then stored in random order), "
        "and clear old row versions out of the database files."
    )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        closed = close_ended_surveys()
        self.stdout.write(ngettext("%(count)d survey closed.", "%(count)d surveys closed.", closed) % {"count": closed})
        # Rows stored again in random order, or redacted, leave their old versions behind until the
        # database reclaims them: PostgreSQL's dead tuples (VACUUM), SQLite's write-ahead log (a
        # checkpoint; secure_delete already overwrites freed pages). Outside any transaction.
        if connection.in_atomic_block:  # called inside a transaction (as in most tests): nothing to reclaim yet
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM {Response._meta.db_table}, {Answer._meta.db_table}")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
