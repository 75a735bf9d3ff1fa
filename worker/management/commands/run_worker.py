"""Run a worker: take tasks from the database queue and run them, one at a time.

The loop is django-tasks-db's own (``db_worker``'s Worker class). Around it a
thread does the worker's housekeeping every few seconds (worker.services): the
heartbeat, putting back the tasks of workers that died, and queueing the
scheduled jobs (worker/schedule.py). Prints one line per task it ran. Stop it
with SIGTERM or Ctrl+C: it finishes the task it is running first (a second
signal stops at once; the task then runs again on another worker)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, TASKS_LOGGER, task_backends, task_finished
from django_tasks_db.management.commands.db_worker import Worker

from worker import services

log = logging.getLogger("worker")


def interval(value: str) -> float:
    number = float(value)
    if not 0 < number <= 60:
        raise ArgumentTypeError("must be more than 0 and at most 60 seconds")
    return number


class Housekeeper(threading.Thread):
    """Every ``beat`` seconds: heartbeat, requeue the dead's tasks, queue what the schedule says."""

    def __init__(self, *, worker_id: str, queues: str, beat: float):
        super().__init__(name="worker-housekeeping", daemon=True)
        self.worker_id, self.queues, self.beat = worker_id, queues, beat
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.beat):
                self.once()
        finally:
            connection.close()

    def once(self) -> None:
        close_old_connections()
        try:
            services.housekeeping(
                worker_id=self.worker_id, host=socket.gethostname(), pid=os.getpid(), queues=self.queues
            )
        except OperationalError as exc:  # e.g. SQLite busy beyond its timeout: try again next beat
            log.warning("Worker housekeeping skipped a beat: %s", exc)
        except Exception:
            log.exception("Worker housekeeping failed")


class Command(BaseCommand):
    help = (
        "Run a background worker: report builds, e-mail, reminders and the other scheduled jobs. "
        "Run one or more, on any machine that reaches the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            default="*",
            help="the queues to take tasks from, separated by commas: default, reports; * for all (the default)",
        )
        parser.add_argument(
            "--interval", type=interval, default=1.0, help="seconds to wait when the queue is empty (default 1)"
        )

    def handle(self, *args, queue, interval, verbosity, **options):
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError("run_worker needs TASKS_BACKEND=database (the tasks backend is not the database).")
        queues = [name.strip() for name in queue.split(",") if name.strip()] or ["*"]
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]
        # django-tasks logs a task's start and end; this command prints one line per task instead.
        logging.getLogger(TASKS_LOGGER).setLevel(logging.INFO if verbosity >= 2 else logging.WARNING)
        logging.getLogger("django_tasks_db").setLevel(logging.INFO if verbosity >= 2 else logging.WARNING)

        beat = max(0.5, min(5.0, settings.WORKER_DEAD_AFTER / 4))
        housekeeper = Housekeeper(worker_id=worker_id, queues=",".join(queues), beat=beat)
        housekeeper.once()  # the heartbeat is written before the first task is taken
        housekeeper.start()
        loop = Worker(
            queue_names=queues,
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if "*" in queues or "reports" in queues:
            from reports.render import warm_up

            warm_up()  # the first report then renders as fast as the next ones
        task_finished.connect(self.task_line, dispatch_uid="run_worker_task_line")
        self.stdout.write(f"worker {worker_id} started, queues {','.join(queues)}, pid {os.getpid()}")
        loop.configure_signals()
        try:
            loop.run()
        finally:
            housekeeper.stopping.set()
            housekeeper.join(timeout=10)
            services.worker_stopped(worker_id=worker_id)
            self.stdout.write(f"worker {worker_id} stopped")

    def task_line(self, sender, task_result, **kwargs):
        started, finished = task_result.started_at, task_result.finished_at or timezone.now()
        seconds = (finished - started).total_seconds() if started else 0.0
        self.stdout.write(
            f"{timezone.now():%Y-%m-%dT%H:%M:%SZ} task {task_result.id} {task_result.task.module_path} "
            f"{task_result.status} {seconds:.1f}s attempt {len(task_result.worker_ids)}"
        )
        self.stdout.flush()
