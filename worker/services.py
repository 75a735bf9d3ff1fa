"""What every running worker does besides running tasks, a few times a minute
(``manage.py run_worker`` calls ``housekeeping``): say it is alive, put back in
the queue the tasks of workers that died, and queue the scheduled jobs that are
due. Each is safe with any number of workers at once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun, WorkerProcess

log = logging.getLogger("worker")

# A task that has been started this many times and whose worker died again is not
# retried: a task that kills its worker (out of memory) would otherwise do so forever.
MAX_ATTEMPTS = 3
# Finished tasks, scheduled runs and departed workers are kept this long (for the operator's eyes).
KEEP = timedelta(days=7)
FAILED_KEEP = timedelta(days=30)


def dead_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_DEAD_AFTER)


def heartbeat(*, worker_id: str, host: str, pid: int, queues: str = "", now: datetime | None = None) -> None:
    now = now or timezone.now()
    updated = WorkerProcess.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerProcess.objects.create(
            worker_id=worker_id, host=host[:255], pid=pid, queues=queues[:200], started_at=now, seen_at=now
        )


def worker_stopped(*, worker_id: str) -> None:
    """A worker that stops cleanly (after its task) takes its row with it."""
    WorkerProcess.objects.filter(worker_id=worker_id).delete()


def requeue_orphans(*, now: datetime | None = None) -> dict:
    """Put back in the queue every running task whose worker has not been seen for
    WORKER_DEAD_AFTER seconds (or fail it after MAX_ATTEMPTS starts). Each change is
    a conditional UPDATE on the task's status and start time, so of several workers
    doing this at once one changes the row, and a task claimed again meanwhile is
    left alone. Returns how many tasks were requeued and failed."""
    now = now or timezone.now()
    cutoff = now - dead_after()
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).values_list(
            "pk", "worker_ids", "started_at", "task_path"
        )
    )
    outcome = {"requeued": 0, "failed": 0}
    if not running:
        return outcome
    alive = set(WorkerProcess.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    for pk, worker_ids, started_at, path in running:
        if worker_ids and worker_ids[-1] in alive:
            continue
        same = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at)
        if len(worker_ids) >= MAX_ATTEMPTS:
            changed = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="worker.WorkerDied",
                traceback=f"The worker running this task stopped without finishing it, {len(worker_ids)} times.",
            )
            if changed:
                outcome["failed"] += 1
                log.error("Task id=%s path=%s failed: its worker died %d times", pk, path, len(worker_ids))
        elif same.update(status=TaskResultStatus.READY):
            outcome["requeued"] += 1
            log.warning("Task id=%s path=%s queued again: worker %s is gone", pk, path, worker_ids[-1:])
    return outcome


def schedule_due(*, worker_id: str = "", now: datetime | None = None, jobs=None) -> list[str]:
    """Queue the latest slot of every scheduled job not queued yet. The ScheduledRun
    row is written in the transaction that enqueues the task: a second worker's
    insert of the same (job, slot) fails and its enqueue is rolled back with it.
    Returns the names of the jobs this call queued."""
    from .schedule import JOBS

    now = now or timezone.now()
    queued = []
    for job in JOBS if jobs is None else jobs:
        slot = job.slot(now)
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot, worker_id=worker_id[:64])
                result = job.task.enqueue()
                ScheduledRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
        except IntegrityError:  # another worker queued this slot first
            continue
        queued.append(job.name)
    return queued


def prune(*, now: datetime | None = None) -> int:
    """Forget finished tasks, scheduled runs and departed workers older than a week
    (failed tasks after a month, for the operator to look into). Returns how many rows."""
    now = now or timezone.now()
    cutoff = now - KEEP
    deleted = 0
    for query in (
        DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff),
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__lt=now - FAILED_KEEP),
        ScheduledRun.objects.filter(slot__lt=cutoff),
        WorkerProcess.objects.filter(seen_at__lt=cutoff),
    ):
        deleted += query.delete()[0]
    return deleted


def housekeeping(*, worker_id: str, host: str, pid: int, queues: str = "") -> list[str]:
    """One round of a worker's own duties; returns the scheduled jobs it queued."""
    heartbeat(worker_id=worker_id, host=host, pid=pid, queues=queues)
    requeue_orphans()
    return schedule_due(worker_id=worker_id)
