"""Restore a backup written by ``backup_database`` into the configured database.

Refuses a database that holds data unless --replace. SQLite: stop the server and
the worker first (the file is written in place). docs/operations.md "Backups"."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from retention import backup

from .backup_database import print_counts


class Command(BaseCommand):
    # The database is copied as it is: the models need not check out first (and startup stays short).
    requires_system_checks = []
    help = "Restore a backup into the configured database (SQLite: with the server stopped)."

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="The backup file.")
        parser.add_argument("--replace", action="store_true", help="Overwrite a database that already holds data.")

    def handle(self, *args, source: str, replace: bool, **options):
        self.verbosity = options["verbosity"]
        source_path = Path(source)
        if not source_path.is_file():
            raise CommandError(f"No backup at {source_path}.")
        settings_dict = connection.settings_dict
        try:
            if connection.vendor == "sqlite":
                self._sqlite(source_path, settings_dict["NAME"], replace)
            elif connection.vendor == "postgresql":
                self._postgres(source_path, settings_dict, replace)
            else:  # pragma: no cover
                raise CommandError(f"No restore for the {connection.vendor} backend.")
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _refuse_unless(self, replace: bool, counts: dict[str, int], name: str) -> None:
        if backup.holds_data(counts) and not replace:
            raise CommandError(
                f"The database {name} holds data ({sum(counts.values())} rows). "
                "Restore into an empty database, or add --replace to overwrite it."
            )

    def _sqlite(self, source: Path, target: str, replace: bool) -> None:
        connection.close()
        self._refuse_unless(replace, backup.sqlite_target_counts(target), target)
        self.stderr.write(
            "SQLite: the database file is written in place. The server and the worker must be stopped "
            "while it is restored, and started again afterwards."
        )
        result = backup.sqlite_restore(source, target)
        self._say(f"Integrity check of the restored database: {result.integrity}.")
        print_counts(self, result.counts)
        self._say(self.style.SUCCESS(f"Restored {source} into {target}."))

    def _postgres(self, source: Path, settings_dict: dict, replace: bool) -> None:
        self._refuse_unless(replace, backup.db_counts(connection), settings_dict["NAME"])
        connection.close()
        backup.pg_restore(settings_dict, source)
        counts = backup.db_counts(connection)
        if "django_migrations" not in counts:
            raise CommandError("The restored database has no django_migrations table: not an Inkludera backup?")
        self._say("pg_restore finished without errors (one transaction).")
        print_counts(self, counts)
        self._say(self.style.SUCCESS(f"Restored {source} into {settings_dict['NAME']}."))
