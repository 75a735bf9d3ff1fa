"""Enqueue a task so that it runs only if, and after, the caller's transaction commits.

With the database backend (production) the task row is written at once, in the
caller's transaction: it commits with the change that asked for it, or is rolled
back with it, and no worker can see it before. A backend that runs tasks
elsewhere or at once (the immediate backend of the tests) is called after the
commit instead, so a test sees the order production has: first the commit, then
the task.
"""

from __future__ import annotations

from django.db import router, transaction
from django_tasks_db.backend import DatabaseBackend


def enqueue_after(task, *args, **kwargs):
    """Enqueue ``task(*args, **kwargs)`` to run once the current transaction commits
    (at once when there is none). Returns the task result with the database
    backend, None when the enqueue waits for the commit."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend) and _same_database():
        return task.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return None


def _same_database() -> bool:
    """The task table lives in the default database, as every other table does."""
    from django_tasks_db.models import DBTaskResult

    return router.db_for_write(DBTaskResult) == "default"
