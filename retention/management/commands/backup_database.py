"""Back up the database to a file: SQLite through its online backup API, PostgreSQL
with pg_dump's custom format. Safe while the application runs. docs/operations.md "Backups"."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from retention import backup


def print_counts(command: BaseCommand, counts: dict[str, int]) -> None:
    """Rows per table, one table a line (-v 2), or the totals (-v 1)."""
    if command.verbosity >= 2:
        width = max((len(t) for t in counts), default=0)
        for table, n in counts.items():
            command.stdout.write(f"  {table:<{width}}  {n:>9}")
    if command.verbosity >= 1:
        command.stdout.write(f"{len(counts)} tables, {sum(counts.values())} rows.")


class Command(BaseCommand):
    # The database is copied as it is: the models need not check out first (and startup stays short).
    requires_system_checks = []
    help = "Back up the database to a file (SQLite: online backup API; PostgreSQL: pg_dump -Fc)."

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="The backup file to write (must not exist).")

    def handle(self, *args, to: str, **options):
        self.verbosity = options["verbosity"]
        target = Path(to)
        if target.exists():
            raise CommandError(f"{target} exists: choose a new name (backups are never overwritten).")
        if not target.parent.is_dir():
            raise CommandError(f"No directory {target.parent}.")
        settings_dict = connection.settings_dict
        try:
            if connection.vendor == "sqlite":
                result = backup.sqlite_backup(settings_dict["NAME"], target)
                self._say(f"Integrity check of the copy: {result.integrity}.")
                print_counts(self, result.counts)
            elif connection.vendor == "postgresql":
                counts = backup.db_counts(connection)  # just before the dump: the dump is the same or newer
                connection.close()
                backup.pg_backup(settings_dict, target)
                self._say("The archive lists its contents (pg_restore --list): ok.")
                print_counts(self, counts)
            else:  # pragma: no cover
                raise CommandError(f"No backup for the {connection.vendor} backend.")
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._say(self.style.SUCCESS(f"Backup written to {target} ({target.stat().st_size} bytes)."))
