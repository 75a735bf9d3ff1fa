"""The app server killed (SIGKILL, master and workers) in the middle of an import
upload and of a report build request: nothing half made survives, and the work
asked for is done whole, once, by the worker.

A real ``gunicorn config.wsgi`` (DEBUG off) and a real worker on this test's
PostgreSQL database (tests/processes.py). The request is caught in each window
without a hook in the app:

- the upload half sent (a raw socket; killed once the server has read all that
  was sent and waits for the rest);
- the view inside its transaction: the test holds a lock on the task table that
  the view's INSERT of the task waits for, so the job's (or build's) row is
  written but not committed when the server dies. PostgreSQL rolls that
  transaction back when it finds its client gone;
- the response sent (the job or build committed with its task), then killed: the
  worker, started afterwards, does the work.

After each kill the server is started again on the same port, and the same
upload or build goes through. Needs PostgreSQL, as test_shared_state.py does.
"""

import contextlib
import io
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from pypdf import PdfReader

from activities.models import Activity
from activities.tests.test_spreadsheet import XLSX
from audit.models import AuditEvent
from conftest import TOTP_SECRET
from imports import jobs as import_jobs
from imports.models import ImportJob
from imports.tests.test_jobs import spreadsheet
from reports.models import Build, CouncilReport
from tests.formreader import submissions
from tests.processes import (
    Processes,
    free_port,
    needs_postgresql,
    server_env,
    sign_in_with_code,
    start_server,
    start_worker,
    wait_ready,
)

pytestmark = needs_postgresql

PASSWORD = "ett-langt-losenord-for-servern"
NEW_ROWS = 1000  # a file of about 45 kB
TASKS = DBTaskResult._meta.db_table


class App:
    """One app server at a time on one port (started again after each kill), a worker when asked for."""

    def __init__(self, processes: Processes, env: dict):
        self.processes, self.env = processes, env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.starts = 0

    @property
    def name(self) -> str:
        return f"server-{self.starts}"

    def start(self) -> None:
        self.starts += 1
        start_server(self.processes, self.name, self.env, port=self.port)
        wait_ready(self.base, self.processes, self.name)

    def kill(self) -> None:
        members = self.processes.kill(self.name)
        assert len(members) >= 2  # the master and its worker
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{self.base}/halsa/live", timeout=5)

    def start_worker(self) -> None:
        start_worker(self.processes, "worker", self.env)

    def logs(self) -> str:
        """The end of each process's log, for a failing assertion."""
        names = [name for name, _process in self.processes.running]
        return "\n".join(f"--- {name}\n{self.processes.log(name)[-2000:]}" for name in names)


@pytest.fixture
def app(transactional_db, tmp_path, settings):
    env = server_env(settings, tmp_path)
    settings.MEDIA_ROOT = env["MEDIA_ROOT"]  # the import sweep, run here, looks at the servers' files
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the server checks
    processes = Processes(tmp_path)
    try:
        yield App(processes, env)
    finally:
        processes.stop()


def signed_in_coordinator(world, base: str) -> requests.Session:
    """A browser signed in as the coordinator (password and authenticator app). The
    session lives in the database: it is good on the server started again."""
    user = world.users["coordinator"]
    user.set_password(PASSWORD)
    user.save()
    Authenticator.objects.filter(user=user).delete()
    TOTP.activate(user, TOTP_SECRET)  # encrypted with the server's SECRET_KEY
    browser = requests.Session()
    sign_in_with_code(browser, base, base, user.username, PASSWORD)
    return browser


def form_data(browser: requests.Session, url: str, name: str) -> dict:
    """The form's fields as the browser sends them (read from the page)."""
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, page.status_code
    (form,) = [s for s in submissions(url, page.content) if s.name == name]
    return form.data


# --- Catching a request in its window ----------------------------------------------------


@contextlib.contextmanager
def task_table_locked():
    """Hold a lock on the task table that an INSERT into it waits for (reads, and a
    worker's SELECT … FOR UPDATE SKIP LOCKED, do not). A request enqueuing a task in
    its transaction (lib.tasks.enqueue_after) stops there, its own rows written."""
    blocker = connection.get_new_connection(connection.get_connection_params())
    try:
        with blocker.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{TASKS}" IN SHARE ROW EXCLUSIVE MODE')
        yield
    finally:
        blocker.rollback()
        blocker.close()


def read(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def waiting_for_task_table(seconds: float = 30) -> tuple[int, set[str]]:
    """The database session of the request that waits to insert into the task table
    (no worker runs meanwhile): its pid and the tables its open transaction has written to."""
    deadline = time.monotonic() + seconds
    waiting = (
        "SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE NOT l.granted AND c.relname = %s"
    )
    while not (rows := read(waiting, (TASKS,))):
        assert time.monotonic() < deadline, "no request waits for the task table"
        time.sleep(0.05)
    ((pid,),) = rows
    written = read(
        "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_stat_activity a"
        " ON a.pid = l.pid WHERE l.pid = %s AND l.granted AND l.mode = 'RowExclusiveLock'"
        " AND c.relkind = 'r' AND a.backend_xid IS NOT NULL",
        (pid,),
    )
    return pid, {table for (table,) in written}


def wait_session_ended(pid: int, seconds: float = 30) -> None:
    """PostgreSQL ends a session whose client died once it next talks to it (rolling back)."""
    deadline = time.monotonic() + seconds
    while read("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)):
        assert time.monotonic() < deadline, f"database session {pid} still there"
        time.sleep(0.05)


def send_half(browser: requests.Session, url: str, fields: dict, files: dict) -> tuple[socket.socket, int]:
    """Send a multipart POST as ``browser`` would, headers and the first half of the
    body only, over a raw socket. The socket and the number of bytes sent."""
    prepared = browser.prepare_request(
        requests.Request("POST", url, data=fields, files=files, headers={"Referer": url})
    )
    parts = urlsplit(url)
    head = f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in prepared.headers.items()) + "\r\n"
    client = socket.create_connection((parts.hostname, parts.port), timeout=30)
    sent = head.encode("latin-1") + prepared.body[: len(prepared.body) // 2]
    client.sendall(sent)
    return client, len(sent)


def server_read_all(server_port: int, client_port: int) -> bool:
    """Whether the server's end of the connection has read everything sent to it
    (its receive queue is empty: it is in the request, waiting for the rest)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state, queues = fields[1], fields[2], fields[3], fields[4]
        if (int(local.split(":")[1], 16), int(remote.split(":")[1], 16)) == (server_port, client_port):
            return state == "01" and int(queues.split(":")[1], 16) == 0  # established, nothing unread
    return False


def killed_in_flight(app: App, post) -> set[str]:
    """Run ``post`` in a thread; once it waits to enqueue its task, kill the server, then
    let the database go on. The tables the request had written to, uncommitted, when killed."""
    with ThreadPoolExecutor(1) as pool:
        with task_table_locked():
            request = pool.submit(post)
            pid, written = waiting_for_task_table()
            app.kill()
        with pytest.raises(requests.ConnectionError):  # no answer
            request.result(timeout=30)
    wait_session_ended(pid)
    return written


def tasks_finished(task_path: str, seconds: float = 30) -> list[DBTaskResult]:
    """The tasks, once none is waiting or running (the worker marks a task finished
    just after the work it did is committed)."""
    deadline = time.monotonic() + seconds
    while (tasks := list(DBTaskResult.objects.filter(task_path=task_path))) and any(
        t.status in ("READY", "RUNNING") for t in tasks
    ):
        assert time.monotonic() < deadline, [t.status for t in tasks]
        time.sleep(0.05)
    return tasks


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# --- An import -------------------------------------------------------------------------


def test_an_import_upload_killed_with_its_server_leaves_nothing_and_goes_through_once_after(world, app):
    media = Path(app.env["MEDIA_ROOT"])
    data = spreadsheet(world, new_rows=NEW_ROWS)
    sheet = load_workbook(io.BytesIO(data))["Aktiviteter"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    new_titles = sorted(row[1] for row in rows if not row[0])  # no reference: a new activity
    assert len(new_titles) == NEW_ROWS and len(rows) - NEW_ROWS == Activity.objects.filter(plan=world.plan).count()
    before = (Activity.objects.count(), AuditEvent.objects.count())

    def nothing_made() -> None:
        assert ImportJob.objects.count() == 0
        assert not DBTaskResult.objects.filter(task_path="imports.tasks.run_import").exists()
        assert (Activity.objects.count(), AuditEvent.objects.count()) == before
        assert not Activity.objects.filter(title__in=[*new_titles[:1], "Brobyggare, utökat"]).exists()

    app.start()
    browser = signed_in_coordinator(world, app.base)
    url = f"{app.base}{reverse('activities:import', args=[world.plan.pk])}"
    upload = {"file": ("aktiviteter.xlsx", data, XLSX)}

    # 1. Killed while the upload comes in: the server has read half the file and waits for the rest.
    fields = form_data(browser, url, "activities:import")
    client, sent = send_half(browser, url, fields, upload)
    # More than gunicorn reads with the headers (8 KiB): what is left is read by the app, in the request.
    assert sent > 2 * 8192
    deadline = time.monotonic() + 30
    while not server_read_all(app.port, client.getsockname()[1]):
        assert time.monotonic() < deadline, app.logs()
        time.sleep(0.05)
    app.kill()
    with contextlib.suppress(ConnectionResetError):  # or reset
        assert client.recv(1024) == b""  # no answer, the connection closed
    client.close()
    nothing_made()
    assert stored_files(media) == set()

    # 2. Killed inside the view's transaction: the job's row written, its task not yet, nothing committed.
    app.start()
    fields = form_data(browser, url, "activities:import")

    def post():
        return browser.post(url, fields, files=upload, headers={"Referer": url}, allow_redirects=False, timeout=60)

    written = killed_in_flight(app, post)
    nothing_made()
    assert ImportJob._meta.db_table in written  # the job's row was written when the server died
    # The file was stored before the transaction (so that no job ever names a missing file):
    # it stays, named by no job, until the sweep removes it.
    (stray,) = stored_files(media)
    assert stray.startswith(f"imports/{world.municipality.pk}/")

    # 3. The same upload on the server started again, which is killed right after it answered:
    # the job and its task are committed, and the worker (started after the kill) imports the file once.
    app.start()
    fields = form_data(browser, url, "activities:import")
    answer = browser.post(url, fields, files=upload, headers={"Referer": url}, allow_redirects=False, timeout=60)
    app.kill()
    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer.headers["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == ImportJob.Status.QUEUED and job.file_name == "aktiviteter.xlsx"
    assert (media / job.file.name).read_bytes() == data
    (task,) = DBTaskResult.objects.filter(task_path="imports.tasks.run_import")
    assert task.status == "READY" and task.args_kwargs["args"] == [job.pk]
    app.start_worker()
    deadline = time.monotonic() + 60
    while job.is_active:
        assert time.monotonic() < deadline, app.logs()
        time.sleep(0.1)
        job.refresh_from_db()
    assert (job.status, job.created, job.changed, job.attempts, job.errors) == (
        ImportJob.Status.DONE, NEW_ROWS, 1, 1, []
    ), app.logs()  # fmt: skip
    (task,) = tasks_finished("imports.tasks.run_import")
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 1
    # Every row of the file, once: the new activities with their history, the changed one changed.
    assert Activity.objects.count() == before[0] + NEW_ROWS
    assert AuditEvent.objects.count() == before[1] + NEW_ROWS + 1
    imported = sorted(Activity.objects.filter(title__in=new_titles).values_list("title", flat=True))
    assert imported == new_titles
    assert Activity.objects.filter(plan=world.plan, title="Brobyggare, utökat").count() == 1
    assert ImportJob.objects.count() == 1  # the killed attempts left no job behind

    # The job's file is gone with the job done (removed after the job's own commit, so read
    # again now that the task has finished); the stray one of the killed request goes with the sweep.
    job.refresh_from_db()
    assert not job.file and stored_files(media) == {stray}
    assert import_jobs.sweep(now=timezone.now() + import_jobs.STALE_AFTER + timedelta(minutes=1))["files_removed"] == 1
    assert stored_files(media) == set()


# --- A report build ------------------------------------------------------------------------


def test_a_report_build_asked_for_of_a_killed_server_is_built_once_or_not_at_all(world, app):
    media = Path(app.env["MEDIA_ROOT"])
    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Uppföljning")
    report.rounds.set([world.round])
    app.start()
    browser = signed_in_coordinator(world, app.base)
    detail = f"{app.base}{reverse('reports:detail', args=[report.pk])}"
    build_url = f"{app.base}{reverse('reports:build', args=[report.pk])}"

    def ask_for_build() -> requests.Response:
        fields = form_data(browser, detail, "reports:build")
        return browser.post(build_url, fields, headers={"Referer": detail}, allow_redirects=False, timeout=60)

    def built(build: Build) -> Build:
        deadline = time.monotonic() + 90
        while build.is_active:
            assert time.monotonic() < deadline, (build.status, app.logs())
            time.sleep(0.1)
            build.refresh_from_db()
        assert build.status == Build.Status.DONE, (build.error, app.logs())
        return build

    # 1. Killed inside the view's transaction: the Build row written, its task not yet: no build at all.
    fields = form_data(browser, detail, "reports:build")

    def post():
        return browser.post(build_url, fields, headers={"Referer": detail}, allow_redirects=False, timeout=60)

    written = killed_in_flight(app, post)
    assert not Build.objects.exists() and not DBTaskResult.objects.exists()
    assert Build._meta.db_table in written  # the Build row was written when the server died

    # 2. Asked for again on the server started again (nothing says "already being built"),
    # then killed right after it answered: the build waits with its task, and the worker builds it.
    app.start()
    answer = ask_for_build()
    app.kill()
    (first,) = Build.objects.all()
    assert answer.status_code == 302 and first.status == Build.Status.QUEUED
    (task,) = DBTaskResult.objects.all()
    assert (task.task_path, task.status, task.args_kwargs["args"]) == (
        "reports.tasks.build_report",
        "READY",
        [first.pk],
    )
    app.start_worker()
    first = built(first)

    # 3. A rebuild on the server started again works, and the files download from it.
    app.start()
    page = browser.get(detail, timeout=30)
    assert reverse("reports:build_pdf", args=[first.pk]) in page.text
    assert ask_for_build().status_code == 302
    second = built(Build.objects.exclude(pk=first.pk).get())
    for build in (first, second):
        pdf = browser.get(f"{app.base}{reverse('reports:build_pdf', args=[build.pk])}", timeout=30)
        assert pdf.status_code == 200 and pdf.content == (media / build.pdf.name).read_bytes()
        assert len(PdfReader(io.BytesIO(pdf.content)).pages) == build.pdf_pages > 0
        docx = browser.get(f"{app.base}{reverse('reports:build_docx', args=[build.pk])}", timeout=30)
        assert docx.status_code == 200 and docx.content == (media / build.docx.name).read_bytes()
    # Two builds, both done, each built once; no build left waiting or "in progress".
    assert sorted(Build.objects.values_list("status", flat=True)) == [Build.Status.DONE] * 2
    tasks = tasks_finished("reports.tasks.build_report")
    assert sorted((t.status, len(t.worker_ids)) for t in tasks) == [("SUCCESSFUL", 1)] * 2
    assert stored_files(media) == {first.pdf.name, first.docx.name, second.pdf.name, second.docx.name}
