"""A backup taken while answers are being written restores to a consistent database.

A separate process keeps submitting survey answers through the real service
(surveys.services.response_submit: one response and its answers in one
transaction) while ``manage.py backup_database`` runs, as an operator would run
it; ``manage.py restore_database`` restores the file into a new, empty database.
The restored database passes its integrity check and every stored answer set is
complete: no response without all its answers, answers per survey equal to its
responses times its questions. On SQLite always (in WAL mode, as the application
runs it); on PostgreSQL when the suite runs there (DB=postgres) and pg_dump is
installed.
"""

import os
import secrets
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from organisations.models import Municipality
from retention.backup import connect_sqlite
from surveys.models import Question, Survey

QUESTIONS = 4
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")

# Runs in its own process: submit answers to every open survey, round by round,
# until the stop file appears; print how many were submitted.
WRITER = """
import sys
from pathlib import Path

import django

django.setup()
from django.utils import timezone

from surveys.models import Survey
from surveys.services import response_submit

stop, started = Path(sys.argv[1]), Path(sys.argv[2])
surveys = [(s, list(s.questions.order_by("position"))) for s in Survey.objects.order_by("pk")]
n = 0
while not stop.exists():
    for survey, questions in surveys:
        answers = {q.pk: {"value": "ja" if (n + i) % 2 else "nej"} for i, q in enumerate(questions)}
        response_submit(survey=survey, language="sv", answers=answers, on=timezone.localdate())
        n += 1
    if n >= 10:
        started.touch()
print(n)
"""


def _env(**db) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        CACHE_URL="locmem",
        TASKS_BACKEND="immediate",
        PYTHONPATH=str(settings.BASE_DIR),
    )
    env.update(db)
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def _make_surveys() -> list[Survey]:
    municipality = Municipality.objects.create(name="Backstad", code="9990")
    today = timezone.localdate()
    surveys = []
    for name in ("Mötesplatsen", "Skolan"):
        survey = Survey.objects.create(
            municipality=municipality, name=name, languages=["sv"], texts={"sv": {"title": name, "intro": ""}},
            opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=30), status=Survey.Status.OPEN,
        )  # fmt: skip
        for position in range(1, QUESTIONS + 1):
            Question.objects.create(
                survey=survey, position=position, kind="single", texts={"sv": f"Fråga {position}"},
                options=[{"value": "ja", "texts": {"sv": "Ja"}}, {"value": "nej", "texts": {"sv": "Nej"}}],
            )  # fmt: skip
        surveys.append(survey)
    return surveys


def _responses(cursor) -> int:
    cursor.execute("SELECT COUNT(*) FROM surveys_response")
    return cursor.fetchone()[0]


def _assert_complete(cursor, surveys: list[Survey], low: int, high: int) -> None:
    """Every response has all its answers; answers per survey = responses × questions."""
    cursor.execute(
        "SELECT COUNT(*) FROM (SELECT r.id FROM surveys_response r LEFT JOIN surveys_answer a "
        "ON a.response_id = r.id GROUP BY r.id HAVING COUNT(a.id) <> 4) incomplete"  # 4: QUESTIONS
    )
    assert cursor.fetchone()[0] == 0
    cursor.execute(
        "SELECT r.survey_id, COUNT(DISTINCT r.id), COUNT(a.id) FROM surveys_response r "
        "LEFT JOIN surveys_answer a ON a.response_id = r.id GROUP BY r.survey_id"
    )
    per_survey = {survey_id: (responses, answers) for survey_id, responses, answers in cursor.fetchall()}
    assert set(per_survey) == {s.pk for s in surveys}
    for responses, answers in per_survey.values():
        assert responses > 0
        assert answers == responses * QUESTIONS
    # The writer goes round the surveys in turn: the copy is of one moment between two rounds.
    counts = sorted(r for r, _a in per_survey.values())
    assert counts[-1] - counts[0] <= 1
    total = sum(r for r, _a in per_survey.values())
    assert low <= total <= high, (low, total, high)


class Writer:
    """The answering process, started and stopped around the backup."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.stop, self.started = tmp_path / "stop", tmp_path / "started"
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WRITER, str(self.stop), str(self.started)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def wait_started(self) -> None:
        deadline = time.monotonic() + 120
        while not self.started.exists():
            assert self.process.poll() is None, self.process.communicate()[1]
            assert time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.1)

    def finish(self) -> int:
        self.stop.touch()
        out, err = self.process.communicate(timeout=120)
        assert self.process.returncode == 0, err
        return int(out.strip().splitlines()[-1])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup (the suite runs on PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_while_answers_are_written(tmp_path):
    surveys = _make_surveys()
    # The test database (migrated, in memory) as a file the other processes share, in WAL mode.
    live = tmp_path / "live.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(live)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()

    writer = Writer(tmp_path, _env(DB="sqlite", DB_NAME=str(live)))
    try:
        writer.wait_started()
        watch = sqlite3.connect(live)
        before = _responses(watch.cursor())
        backup = tmp_path / "backup.sqlite3"
        out = _manage(_env(DB="sqlite", DB_NAME=str(live)), "backup_database", "--to", str(backup))
        after = _responses(watch.cursor())
        watch.close()
    finally:
        submitted = writer.finish()
    assert "Integrity check of the copy: ok." in out
    assert after > before, "no answer was written while the backup ran"
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    restored = tmp_path / "restored.sqlite3"
    out = _manage(_env(DB="sqlite", DB_NAME=str(restored)), "restore_database", "--from", str(backup), "-v", "2")
    assert "Integrity check of the restored database: ok." in out
    assert "surveys_answer" in out  # the counts per table are printed

    db = connect_sqlite(str(restored))  # with Django's REGEXP, which the CHECK constraints use
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    _assert_complete(db.cursor(), surveys, before, after)
    assert _responses(db.cursor()) < submitted  # the writer went on after the copy
    db.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite")
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(tmp_path):
    _make_surveys()
    live = tmp_path / "live.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(live)
    connection.connection.backup(target)
    target.close()
    backup = tmp_path / "backup.sqlite3"
    env = _env(DB="sqlite", DB_NAME=str(live))
    _manage(env, "backup_database", "--to", str(backup))

    done = subprocess.run(  # noqa: S603
        [sys.executable, MANAGE, "restore_database", "--from", str(backup)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "holds data" in done.stderr
    # A second backup to the same name is refused too: backups are never overwritten.
    done = subprocess.run(  # noqa: S603
        [sys.executable, MANAGE, "backup_database", "--to", str(backup)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "exists" in done.stderr
    assert "Integrity check of the restored database: ok." in _manage(
        env, "restore_database", "--from", str(backup), "--replace"
    )


def _pg_available() -> bool:
    from retention.backup import BackupError, pg_tool

    try:
        pg_tool("pg_dump")
        pg_tool("pg_restore")
    except BackupError:
        return False
    return True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DB=postgres")
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_while_answers_are_written(tmp_path):
    if not _pg_available():
        pytest.skip("pg_dump is not installed")
    import psycopg

    surveys = _make_surveys()
    live = connection.settings_dict
    env = _env(DB="postgres", DB_NAME=live["NAME"])
    restored_name = f"{live['NAME']}_restored"
    params = {k: live[v] for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))}
    params = {k: v for k, v in params.items() if v}

    writer = Writer(tmp_path, env)
    try:
        writer.wait_started()
        with connection.cursor() as cursor:
            before = _responses(cursor)
        backup = tmp_path / "backup.dump"
        out = _manage(env, "backup_database", "--to", str(backup))
        with connection.cursor() as cursor:
            after = _responses(cursor)
    finally:
        submitted = writer.finish()
    assert "pg_restore --list" in out
    assert after > before, "no answer was written while the backup ran"

    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        cursor.execute(f'CREATE DATABASE "{restored_name}" TEMPLATE template0')
    try:
        out = _manage(_env(DB="postgres", DB_NAME=restored_name), "restore_database", "--from", str(backup), "-v", "2")
        assert "surveys_answer" in out
        with psycopg.connect(dbname=restored_name, **params) as db, db.cursor() as cursor:
            _assert_complete(cursor, surveys, before, after)
            assert _responses(cursor) < submitted
        # Not into a database that holds data, unless asked to replace it.
        done = subprocess.run(  # noqa: S603
            [sys.executable, MANAGE, "restore_database", "--from", str(backup)],
            env=_env(DB="postgres", DB_NAME=restored_name), capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode != 0
        assert "holds data" in done.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


def test_pg_password_never_on_the_command_line(monkeypatch, tmp_path):
    """pg_dump gets the password from PGPASSWORD, not from its arguments (visible in ps)."""
    from retention import backup

    seen = {}

    def fake_run(command, env):
        seen.setdefault("commands", []).append(command)
        seen["env"] = env
        if "--file" in command:
            Path(command[command.index("--file") + 1]).write_bytes(b"PGDMP")

    monkeypatch.setattr(backup, "_run", fake_run)
    monkeypatch.setattr(backup, "pg_tool", lambda name: f"/usr/bin/{name}")
    secret = "s3cret-" + secrets.token_hex(4)
    settings_dict = {"NAME": "inkludera", "USER": "inkludera", "PASSWORD": secret, "HOST": "db", "PORT": "5432"}
    backup.pg_backup(settings_dict, tmp_path / "x.dump")
    backup.pg_restore(settings_dict, tmp_path / "x.dump")
    assert all(secret not in " ".join(c) for c in seen["commands"])
    assert seen["env"]["PGPASSWORD"] == secret
    assert any("--clean" in c and "--if-exists" in c for c in seen["commands"])


def test_a_freshly_migrated_database_is_empty_enough_to_restore_into():
    from retention.backup import holds_data

    migrated = {"django_migrations": 98, "auth_permission": 248, "plans_rightsarea": 6, "auth_user": 0}
    assert not holds_data(migrated | {"organisations_municipality": 0})
    assert holds_data(migrated | {"organisations_municipality": 1})
    assert holds_data(migrated | {"organisations_municipality": 0, "auth_user": 1})
    assert holds_data({"django_migrations": 3, "something_else": 1})  # not Inkludera's: any row counts
    assert not holds_data({})
