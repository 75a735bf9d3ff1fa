"""For tests: the database queue as production has it, and a worker run in the test's process."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports"]}}


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue (as in production) instead of running at once."""
    settings.TASKS = DATABASE_TASKS


def run_queued(*, worker_id: str = "test-worker", queues=("*",)) -> None:
    """Run every task that is ready, here, as ``run_worker`` would, then return. The loop's
    check of old connections is left out: inside a test's transaction it would close it."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        _worker(worker_id, queues).run()


def _worker(worker_id, queues) -> Worker:
    return Worker(
        queue_names=list(queues),
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
