"""Backing up the database and restoring it (``manage.py backup_database`` and
``restore_database``; docs/operations.md "Backups").

SQLite: the online backup API of Python's sqlite3 copies the database in one
step under a read transaction, so the copy is one consistent moment even while
answers are being written (WAL mode: readers do not block writers, and writers
do not disturb the reader). PostgreSQL: ``pg_dump --format=custom`` and
``pg_restore --clean --if-exists``, with the password in PGPASSWORD, never on
the command line (where ``ps`` would show it).
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Django's own bookkeeping: rows here do not make a database "hold data".
BOOKKEEPING_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "django_session",
        "inkludera_session",
        "inkludera_cache",
    }
)


def _read_only(path: str | Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"


def connect_sqlite(database: str, **kwargs) -> sqlite3.Connection:
    """A plain sqlite3 connection with the SQL functions Django adds to its own
    (CHECK constraints use REGEXP, which ``PRAGMA integrity_check`` evaluates)."""
    conn = sqlite3.connect(database, **kwargs)
    try:
        from django.db.backends.sqlite3._functions import register
    except ImportError:  # pragma: no cover - Django moved it: REGEXP is the one constraints use

        def regexp(pattern, value):
            return None if pattern is None or value is None else bool(re.search(pattern, str(value)))

        conn.create_function("REGEXP", 2, regexp, deterministic=True)
    else:
        register(conn)
    return conn


class BackupError(Exception):
    """The backup or restore failed, or its result did not check out."""


@dataclass
class Result:
    path: Path
    integrity: str  # "ok", or what the check found
    counts: dict[str, int] = field(default_factory=dict)


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _sqlite_tables(conn)}  # noqa: S608


def sqlite_integrity(conn: sqlite3.Connection) -> str:
    rows = [r for (r,) in conn.execute("PRAGMA integrity_check")]
    return "ok" if rows == ["ok"] else "; ".join(rows[:10])


def holds_data(counts: dict[str, int]) -> bool:
    """Whether restoring over this database would lose something: an Inkludera
    database holds data once it has a municipality or an account (a freshly
    migrated one has only what its migrations put there); any other database
    once any table but Django's bookkeeping has rows."""
    if "organisations_municipality" in counts or "auth_user" in counts:
        return bool(counts.get("organisations_municipality") or counts.get("auth_user"))
    return any(n for table, n in counts.items() if table not in BOOKKEEPING_TABLES)


def sqlite_backup(source: str | Path, to: Path) -> Result:
    """Copy the live database ``source`` to ``to`` (a new file, readable by its
    owner only) and check the copy. The copy is written beside ``to`` and renamed
    into place only once it checks out."""
    to = Path(to)
    if not Path(source).exists():
        raise BackupError(f"no database at {source}")
    fd, tmp = tempfile.mkstemp(prefix=".backup-", suffix=".sqlite3", dir=to.parent)
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        src = connect_sqlite(str(source), timeout=60)
        dst = connect_sqlite(tmp)
        try:
            # pages=-1: the whole database in one step, under one read transaction.
            src.backup(dst, pages=-1)
        finally:
            src.close()
        # A self-contained file: no -wal beside it to forget.
        dst.execute("PRAGMA journal_mode=DELETE")
        integrity, counts = sqlite_integrity(dst), sqlite_counts(dst)
        dst.close()
        if integrity != "ok":
            raise BackupError(f"the copy failed its integrity check: {integrity}")
        os.replace(tmp, to)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Result(path=to, integrity=integrity, counts=counts)


def sqlite_check(path: Path) -> Result:
    if not Path(path).is_file():
        raise BackupError(f"no backup at {path}")
    conn = connect_sqlite(_read_only(path), uri=True)
    try:
        integrity, counts = sqlite_integrity(conn), sqlite_counts(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database: {exc}") from exc
    finally:
        conn.close()
    return Result(path=Path(path), integrity=integrity, counts=counts)


def sqlite_target_counts(target: str | Path) -> dict[str, int]:
    if not Path(target).exists() or Path(target).stat().st_size == 0:
        return {}
    conn = connect_sqlite(str(target), timeout=60)
    try:
        return sqlite_counts(conn)
    finally:
        conn.close()


def sqlite_restore(backup: Path, target: str | Path) -> Result:
    """Write the backup over ``target`` through SQLite itself (the backup API in
    the other direction), so that the target's WAL and shared-memory files stay
    consistent with it; with the server and the worker stopped."""
    checked = sqlite_check(backup)
    if checked.integrity != "ok":
        raise BackupError(f"the backup failed its integrity check: {checked.integrity}")
    src = connect_sqlite(_read_only(backup), uri=True)
    dst = connect_sqlite(str(target), timeout=5)
    try:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=WAL")
        integrity, counts = sqlite_integrity(dst), sqlite_counts(dst)
    finally:
        src.close()
        dst.close()
    if integrity != "ok":
        raise BackupError(f"the restored database failed its integrity check: {integrity}")
    if counts != checked.counts:
        raise BackupError("the restored database does not hold what the backup holds")
    return Result(path=Path(target), integrity=integrity, counts=counts)


# --- PostgreSQL -------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """``pg_dump`` or ``pg_restore``: from PG_BIN if set (a version matching the
    server), else from PATH."""
    pg_bin = os.environ.get("PG_BIN", "")
    found = str(Path(pg_bin) / name) if pg_bin else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(f"{name} was not found (install the PostgreSQL client, or set PG_BIN)")
    return found


def pg_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL tools: the
    password goes in the environment only."""
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def pg_backup(settings_dict: dict, to: Path) -> Path:
    to = Path(to)
    args, env = pg_env(settings_dict)
    fd, tmp = tempfile.mkstemp(prefix=".backup-", suffix=".dump", dir=to.parent)
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", *args, "--file", tmp, settings_dict["NAME"]], env)
        # The archive must be readable: its table of contents is listed.
        _run([pg_tool("pg_restore"), "--list", tmp], env)
        os.replace(tmp, to)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return to


def pg_restore(settings_dict: dict, backup: Path) -> None:
    args, env = pg_env(settings_dict)
    _run(
        [
            pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction",
            *args, "--dbname", settings_dict["NAME"], str(backup),
        ],
        env,
    )  # fmt: skip


def db_counts(connection) -> dict[str, int]:
    """Rows per table through a Django connection (any backend)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts
