"""Report builds in the worker: a task in the "reports" queue committed with the
Build row; a worker that dies mid-build is replaced and the build finishes whole;
the schedule's sweep picks up builds nobody works on."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document as WordDocument
from pypdf import PdfReader

from reports import jobs
from reports.models import Build
from reports.tests.test_reports import create_report
from worker import services
from worker.testing import DATABASE_TASKS, run_queued


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_DEAD_AFTER = 60


def ask_for_build(world, report) -> Build:
    response = world.client("coordinator").post(reverse("reports:build", args=[report.pk]))
    assert response.status_code == 302
    return report.builds.get()


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_build_is_a_task_in_the_reports_queue_and_runs_in_the_worker(data, queue, settings):
    report = create_report(data)
    build = ask_for_build(data, report)
    assert build.status == Build.Status.QUEUED  # nothing ran in the web request
    (task,) = DBTaskResult.objects.all()
    assert (task.task_path, task.queue_name, task.args_kwargs["args"]) == (
        "reports.tasks.build_report",
        "reports",
        [build.pk],
    )
    run_queued(queues=["default"])  # a worker for the other queue leaves it alone
    build.refresh_from_db()
    assert build.status == Build.Status.QUEUED
    run_queued(queues=["reports"])
    build.refresh_from_db()
    assert build.status == Build.Status.DONE
    assert stored_files(Path(settings.MEDIA_ROOT)) == {build.pdf.name, build.docx.name}


def test_a_second_attempt_takes_over_the_build_its_dead_worker_left_and_overwrites_its_files(data, queue, settings):
    report = create_report(data)
    build = ask_for_build(data, report)
    task = DBTaskResult.objects.get()
    # The first worker claimed the task, started the build, wrote half a PDF and died.
    task.claim("dead-worker")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    Build.objects.filter(pk=build.pk).update(status=Build.Status.RUNNING, progress=60, started_at=timezone.now())
    half = Path(settings.MEDIA_ROOT) / build.pdf.field.generate_filename(
        build, f"rapport-{report.pk}-bygge-{build.pk}.pdf"
    )
    half.parent.mkdir(parents=True)
    half.write_bytes(b"%PDF-1.7 half")
    assert services.requeue_orphans() == {"requeued": 1, "failed": 0}
    run_queued(worker_id="live-worker")
    build.refresh_from_db()
    task.refresh_from_db()
    assert build.status == Build.Status.DONE and task.worker_ids == ["dead-worker", "live-worker"]
    assert stored_files(Path(settings.MEDIA_ROOT)) == {build.pdf.name, build.docx.name}
    assert build.pdf.name == str(half.relative_to(settings.MEDIA_ROOT))
    assert len(PdfReader(io.BytesIO(half.read_bytes())).pages) == build.pdf_pages


def test_a_first_attempt_never_takes_a_running_build(data):
    report = create_report(data)
    build = Build.objects.create(report=report, status=Build.Status.RUNNING, started_at=timezone.now(), progress=40)
    assert jobs.run(build.pk) is False
    build.refresh_from_db()
    assert (build.status, build.progress) == (Build.Status.RUNNING, 40)


def test_the_sweep_queues_forgotten_builds_and_fails_abandoned_ones(data, queue):
    report = create_report(data)
    long_ago = timezone.now() - timedelta(hours=1)
    forgotten = Build.objects.create(report=report)
    Build.objects.filter(pk=forgotten.pk).update(requested_at=long_ago)
    abandoned = Build.objects.create(report=report, status=Build.Status.RUNNING, started_at=long_ago)
    worked_on = Build.objects.create(report=report, status=Build.Status.RUNNING, started_at=long_ago)
    from reports.tasks import build_report

    build_report.enqueue(worked_on.pk)  # e.g. requeued after its worker died, waiting for a free worker
    fresh = Build.objects.create(report=report)  # its task is about to be enqueued by its own request
    assert jobs.sweep() == {"failed": 1, "queued": 1}
    assert jobs.sweep() == {"failed": 0, "queued": 0}
    statuses = dict(Build.objects.values_list("pk", "status"))
    assert statuses[abandoned.pk] == Build.Status.FAILED
    assert statuses[worked_on.pk] == Build.Status.RUNNING
    assert statuses[forgotten.pk] == statuses[fresh.pk] == Build.Status.QUEUED
    queued_for = sorted(row["args"][0] for row in DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert queued_for == sorted([forgotten.pk, worked_on.pk])


# --- Real processes -------------------------------------------------------------------


def _database_for_workers(tmp_path) -> tuple[dict, object]:
    """The environment that points a subprocess at this test's database, and a function reading it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "workers.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)  # the in-memory test database, as a file the workers share
        target.close()

        def read(sql, params=()):
            with sqlite3.connect(path, timeout=20) as db:
                return db.execute(sql, params).fetchall()

        return {"DB": "sqlite", "DB_NAME": str(path)}, read

    def read(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall()

    return {"DB": "postgres", "DB_NAME": connection.settings_dict["NAME"]}, read


def _start_worker(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(read, build_id, statuses, seconds) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        (status,) = read("SELECT status FROM reports_build WHERE id = ?", (build_id,))[0]
        if status in statuses:
            return status
        time.sleep(0.05)
    raise AssertionError(f"build {build_id} still {status} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_is_replaced_and_the_build_finishes_whole(data, settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    report = create_report(data)
    build = ask_for_build(data, report)
    db_env, read = _database_for_workers(tmp_path)
    media = tmp_path / "media"
    env = {
        **os.environ,
        **db_env,
        "DEBUG": "1",
        "TASKS_BACKEND": "database",
        "WORKER_DEAD_AFTER": "2",
        "MEDIA_ROOT": str(media),
    }
    log = tmp_path / "workers.log"
    table = DBTaskResult._meta.db_table
    build_task = f"SELECT status, worker_ids FROM {table} WHERE task_path = 'reports.tasks.build_report'"  # noqa: S608
    # Two workers, as an operator may run them: one takes the build, the other idles until it is needed.
    workers = [_start_worker(env, log) for _ in range(2)]
    try:
        _wait_for(read, build.pk, {"pagar", "klar", "misslyckad"}, 60)
        ((_status, worker_ids),) = read(build_task)
        taker = (json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids)[-1]
        ((pid,),) = read("SELECT pid FROM worker_workerprocess WHERE worker_id = ?", (taker,))
        (first,) = [w for w in workers if w.pid == pid]
        first.send_signal(signal.SIGKILL)
        first.wait()
        (status,) = read("SELECT status FROM reports_build WHERE id = ?", (build.pk,))[0]
        assert status == Build.Status.RUNNING, log.read_text()  # killed in the middle
        final = _wait_for(read, build.pk, {"klar", "misslyckad"}, 90)
    finally:
        for process in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
    (second,) = [w for w in workers if w is not first]
    output = log.read_text()
    assert final == Build.Status.DONE, output
    ((pdf, docx, pages, progress),) = read(
        "SELECT pdf, docx, pdf_pages, progress FROM reports_build WHERE report_id = ?", (report.pk,)
    )
    assert progress == 100
    ((task_status, worker_ids),) = read(build_task)
    worker_ids = json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids
    assert task_status == "SUCCESSFUL" and len(worker_ids) == 2, worker_ids  # two attempts
    assert "reports.tasks.build_report SUCCESSFUL" in output and "attempt 2" in output
    # Exactly this build's two files, whole: no copy or half of either left beside them.
    assert stored_files(media) == {pdf, docx}
    assert len(PdfReader(media / pdf).pages) == pages
    assert WordDocument(media / docx).paragraphs
    # Stopped cleanly (SIGTERM): gone from the workers' list; the killed one is still there, unseen.
    assert second.returncode == 0
    assert [pid for (pid,) in read("SELECT pid FROM worker_workerprocess")] == [first.pid]
    # Both workers ran the schedule all along: each job's slots were queued once, not once per worker.
    scheduled = read("SELECT job, COUNT(*) FROM worker_scheduledrun GROUP BY job")
    assert {"deliver_due_mail", "send_followup_reminders"} <= {job for job, _count in scheduled}
    # The scheduled jobs' tasks (in worker/, retention/…), not the report build itself.
    names = {job for job, _count in scheduled}
    queued = read(f"SELECT task_path, COUNT(*) FROM {table} GROUP BY task_path")  # noqa: S608
    queued = [(path.rsplit(".", 1)[1], count) for path, count in queued if path.rsplit(".", 1)[1] in names]
    assert sorted(queued) == sorted(scheduled)
