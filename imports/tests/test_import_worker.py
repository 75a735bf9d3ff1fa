"""A worker killed (SIGKILL) in the middle of saving a large import: nothing of it is
saved, the job's task runs again on the other worker, and the file is imported whole, once."""

import io
import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from activities.spreadsheet import HEADER
from activities.tests.test_spreadsheet import export
from imports.models import ImportJob
from imports.tests.test_jobs import post_import
from reports.tests.test_build_worker import _database_for_workers, _start_worker
from worker.testing import DATABASE_TASKS

NEW_ROWS = 3000


def big_spreadsheet(world) -> bytes:
    wb = export(world)
    ws = wb["Aktiviteter"]
    first = [c.value for c in ws[2]]
    ws.cell(2, HEADER.index("Titel") + 1).value = "Brobyggare, utökat"
    for i in range(NEW_ROWS):
        ws.append(["", f"Importerad aktivitet {i}", *first[2:]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _saving(db_env: dict, read, job_id: int) -> bool:
    """Whether the job is in progress and someone holds the database's write lock,
    i.e. the worker is inside the import's transaction."""
    ((status,),) = read("SELECT status FROM imports_importjob WHERE id = ?", (job_id,))
    if status != ImportJob.Status.RUNNING:
        return False
    if db_env["DB"] == "sqlite":
        probe = sqlite3.connect(db_env["DB_NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # "database is locked": a write transaction is open
            return True
        finally:
            probe.close()
    rows = read(
        "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = 'activities_activity' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
    )
    return rows[0][0] > 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_and_the_import_reruns_whole(world, settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    settings.MEDIA_ROOT = media = tmp_path / "media"
    response = post_import(world, big_spreadsheet(world))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.QUEUED
    assert DBTaskResult.objects.count() == 1  # queued with the job, in the request's transaction
    db_env, read = _database_for_workers(tmp_path)
    env = {
        **os.environ,
        **db_env,
        "DEBUG": "1",
        "TASKS_BACKEND": "database",
        "WORKER_DEAD_AFTER": "2",
        "MEDIA_ROOT": str(media),
        "CACHE_URL": "locmem",  # the copied test database has no cache table
    }
    counts = (
        "SELECT (SELECT COUNT(*) FROM activities_activity), (SELECT COUNT(*) FROM audit_auditevent),"
        " (SELECT COUNT(*) FROM activities_activity_goals)"
    )
    before = read(counts)[0]
    log = tmp_path / "workers.log"
    table = DBTaskResult._meta.db_table
    task_sql = f"SELECT status, worker_ids FROM {table} WHERE task_path = 'imports.tasks.run_import'"  # noqa: S608
    workers = [_start_worker(env, log) for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        held = 0
        while held < 3:  # the lock seen three times in a row: the saving, not a heartbeat
            assert time.monotonic() < deadline, log.read_text()
            held = held + 1 if _saving(db_env, read, job.pk) else 0
            time.sleep(0.05)
        ((_status, worker_ids),) = read(task_sql)
        taker = (json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids)[-1]
        ((pid,),) = read("SELECT pid FROM worker_workerprocess WHERE worker_id = ?", (taker,))
        (first,) = [w for w in workers if w.pid == pid]
        first.send_signal(signal.SIGKILL)
        first.wait()
        # Killed in the middle of the transaction: the job is "in progress" and not one row is saved.
        assert read("SELECT status FROM imports_importjob WHERE id = ?", (job.pk,))[0][0] == ImportJob.Status.RUNNING
        assert read(counts)[0] == before
        assert read("SELECT COUNT(*) FROM activities_activity WHERE title = 'Brobyggare, utökat'")[0][0] == 0
        deadline = time.monotonic() + 180
        while read("SELECT status FROM imports_importjob WHERE id = ?", (job.pk,))[0][0] == ImportJob.Status.RUNNING:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    finally:
        for process in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
    output = log.read_text()
    ((status, created, changed, attempts, file),) = read(
        "SELECT status, created, changed, attempts, file FROM imports_importjob WHERE id = ?", (job.pk,)
    )
    assert (status, created, changed, attempts) == (ImportJob.Status.DONE, NEW_ROWS, 1, 2), output
    ((task_status, worker_ids),) = read(task_sql)
    worker_ids = json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids
    assert task_status == "SUCCESSFUL" and len(worker_ids) == 2, worker_ids  # two attempts, two workers
    # The whole file, once: every new activity with its goals and its history, no duplicate.
    activities, events, goal_links = read(counts)[0]
    assert activities == before[0] + NEW_ROWS
    assert events == before[1] + NEW_ROWS + 1
    assert goal_links > before[2] + NEW_ROWS - 1
    imported = "SELECT COUNT(*), COUNT(DISTINCT title) FROM activities_activity WHERE title LIKE ?"
    assert tuple(read(imported, ("Importerad aktivitet %",))[0]) == (NEW_ROWS, NEW_ROWS)
    assert read("SELECT COUNT(DISTINCT number) FROM activities_activity")[0][0] == activities
    assert read("SELECT COUNT(*) FROM activities_activity WHERE title = 'Brobyggare, utökat'")[0][0] == 1
    # The uploaded file is gone once the job is done.
    assert not file and not [p for p in Path(media).rglob("*") if p.is_file()]
    assert connection.vendor in ("sqlite", "postgresql")
