"""Real app servers and workers for tests: ``gunicorn config.wsgi`` and
``manage.py run_worker`` started as an operator runs them (DEBUG off, the
database cache, the database task queue, files on one shared directory, JSON
logs), on the test's PostgreSQL database, each in its own process group.

Used by tests/test_shared_state.py (two servers and a worker) and
tests/test_app_server_kill.py (a server killed mid-request).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DB=postgres): SQLite's test database is in this process's memory, "
    "which other processes cannot share; scripts/test runs this test in its PostgreSQL pass",
)

# The servers' SECRET_KEY, set in the test's settings too: sessions and signed values made here are good there.
SERVER_KEY = secrets.token_urlsafe(50)
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "inkludera_cache"}
START_TIMEOUT = 60  # seconds, for a loaded machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """The processes a test started, each in a new session (its own process group), with a log each."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.running: list[tuple[str, subprocess.Popen]] = []
        self.files = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        out = (self.tmp_path / f"{name}.log").open("wb")
        self.files.append(out)
        process = subprocess.Popen(  # noqa: S603 - our own programs with fixed arguments
            args, cwd=django_settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process))
        return process

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def kill(self, name: str) -> list[int]:
        """SIGKILL the whole process group (a gunicorn master and its workers), as a
        crash or the OOM killer ends them: no handler runs. The ids killed."""
        (process,) = [p for n, p in self.running if n == name]
        members = group_members(process.pid)
        assert process.pid in members and process.poll() is None, self.log(name)[-3000:]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        while alive := [pid for pid in members if _alive(pid)]:
            assert time.monotonic() < deadline, f"still running after SIGKILL: {alive}"
            time.sleep(0.05)
        return members

    def stop(self) -> None:
        for _name, process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3
        for _name, process in self.running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for out in self.files:
            out.close()


def group_members(pgid: int) -> list[int]:
    """The processes of a process group (from /proc; Linux)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[2]) == pgid:  # after the name: state, ppid, pgrp
            members.append(int(stat.parent.name))
    return members


def _alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def server_env(settings, tmp_path: Path, **extra: str) -> dict:
    """The environment of servers and workers on this test's database. Sets the test's
    SECRET_KEY to theirs and creates the database cache's table (the tests' cache is in
    memory, so migrate made none)."""
    settings.SECRET_KEY = SERVER_KEY
    with override_settings(CACHES={"default": DATABASE_CACHE}):
        call_command("createcachetable", verbosity=0)
    db = connection.settings_dict
    return (
        {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        | {
            "DEBUG": "0",
            "SECRET_KEY": SERVER_KEY,
            "DB": "postgres",
            "DB_NAME": db["NAME"],
            "DB_USER": db["USER"] or "",
            "DB_PASSWORD": db["PASSWORD"] or "",
            "DB_HOST": db["HOST"] or "",
            "DB_PORT": str(db["PORT"] or ""),
            "CACHE_URL": "",  # the database cache, the default
            "TASKS_BACKEND": "database",
            "STORAGE": "filesystem",
            "MEDIA_ROOT": str(tmp_path / "shared-media"),  # one directory, as an NFS mount would be
            "SECURE_COOKIES": "0",  # plain HTTP on 127.0.0.1
            "LOG_FORMAT": "json",
        }
        | extra
    )


def start_server(processes: Processes, name: str, env: dict, port: int | None = None) -> str:
    """Start ``gunicorn config.wsgi`` (one worker); its base address. Not waited for: see wait_ready."""
    port = port or free_port()
    processes.start(
        name,
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--graceful-timeout", "2"],
        env,
    )  # fmt: skip
    return f"http://127.0.0.1:{port}"


def start_worker(processes: Processes, name: str, env: dict) -> subprocess.Popen:
    return processes.start(name, [sys.executable, "manage.py", "run_worker", "--interval", "0.2"], env)


def wait_ready(base: str, processes: Processes, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/halsa/ready", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{name} did not become ready:\n{processes.log(name)[-3000:]}")


def wait_worker_caught_up(processes: Processes, name: str) -> None:
    """Wait until a newly started worker has queued every scheduled job once (a
    worker queues at its start the latest slot of each, the daily ones too) and
    has run them all: their writes (a survey closed, a reminder sent) are real
    changes, which make every kept page stale at a moment a test cannot know."""
    from django_tasks_db.models import DBTaskResult

    from worker.models import ScheduledRun
    from worker.schedule import JOBS

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        queued = set(ScheduledRun.objects.values_list("job", flat=True))
        waiting = DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).exists()
        if queued >= {job.name for job in JOBS} and not waiting:
            return
        time.sleep(0.2)
    pytest.fail(f"{name} did not run its scheduled jobs:\n{processes.log(name)[-3000:]}")


def sign_in(session: requests.Session, base: str, username: str, password: str) -> requests.Response:
    page = session.get(f"{base}{reverse('login')}", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{base}{reverse('login')}",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        allow_redirects=False,
        timeout=30,
    )


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def sign_in_with_code(session: requests.Session, password_base: str, code_base: str, username: str, password: str):
    """Sign in with the password on one server and the authenticator app's code
    (conftest.TOTP_SECRET) on another (or the same); the answer to the code."""
    from conftest import totp_code

    answer = sign_in(session, password_base, username, password)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(reverse("mfa_authenticate"))
    token = csrf_token(session, f"{code_base}{reverse('mfa_authenticate')}")
    code = totp_code()
    done = session.post(
        f"{code_base}{reverse('mfa_authenticate')}",
        {"csrfmiddlewaretoken": token, "code": code},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 302 and reverse("mfa_authenticate") not in done.headers["Location"]
    return done
