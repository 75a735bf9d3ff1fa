"""The worker's own duties: the schedule (once per slot, however many workers),
putting back a dead worker's tasks (and only a dead one's), and the command."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from worker import services
from worker.models import ScheduledRun, WorkerProcess
from worker.schedule import JOBS, daily, every
from worker.testing import database_queue, run_queued  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("database_queue")

RAN: list[str] = []


@task()
def noted(label: str = "ran") -> str:
    RAN.append(label)
    return label


def test_every_job_is_queued_once_per_slot_whatever_the_number_of_workers(db):
    jobs = [every(5, noted)]
    at = datetime(2026, 3, 2, 9, 3, 20, tzinfo=UTC)
    first = services.schedule_due(worker_id="worker-a", now=at, jobs=jobs)
    second = services.schedule_due(worker_id="worker-b", now=at + timedelta(seconds=30), jobs=jobs)
    assert (first, second) == (["noted"], [])
    assert DBTaskResult.objects.count() == 1
    (run,) = ScheduledRun.objects.all()
    assert (run.job, run.slot, run.worker_id) == ("noted", datetime(2026, 3, 2, 9, 0, tzinfo=UTC), "worker-a")
    assert run.task_id == str(DBTaskResult.objects.get().pk)
    # The next slot: once again, by whichever worker looks first.
    assert services.schedule_due(worker_id="worker-b", now=at + timedelta(minutes=2), jobs=jobs) == ["noted"]
    assert services.schedule_due(worker_id="worker-a", now=at + timedelta(minutes=3), jobs=jobs) == []
    assert DBTaskResult.objects.count() == 2


def test_a_worker_that_loses_the_race_for_a_slot_enqueues_nothing(db, monkeypatch):
    """Both workers found the slot free; the second's insert fails and takes its enqueue with it."""
    jobs = [every(1, noted)]
    at = datetime(2026, 3, 2, 9, 3, tzinfo=UTC)
    assert services.schedule_due(worker_id="worker-a", now=at, jobs=jobs) == ["noted"]
    assert ScheduledRun.objects.filter(job="noted").exists()

    class Unseen:
        """What worker-b saw when it looked: no row yet (worker-a had not committed)."""

        def __init__(self, *args, **kwargs):
            pass

        def exists(self):
            return False

    monkeypatch.setattr(ScheduledRun.objects, "filter", Unseen)
    assert services.schedule_due(worker_id="worker-b", now=at, jobs=jobs) == []
    monkeypatch.undo()
    assert DBTaskResult.objects.count() == 1 and ScheduledRun.objects.count() == 1


def test_daily_jobs_are_due_at_the_stockholm_time_in_winter_and_in_summer():
    job = daily("07:00", noted)
    winter = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)  # 07:30 in Stockholm (UTC+1)
    assert job.slot(winter) == datetime(2026, 1, 15, 6, 0, tzinfo=UTC)
    assert job.slot(winter - timedelta(minutes=31)) == datetime(2026, 1, 14, 6, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 5, 0, tzinfo=UTC)  # 07:00 in Stockholm (UTC+2)
    assert job.slot(summer) == summer
    assert job.slot(summer - timedelta(seconds=1)) == datetime(2026, 7, 14, 5, 0, tzinfo=UTC)


def test_the_schedule_names_each_job_once_and_every_task_exists():
    names = [job.name for job in JOBS]
    assert len(names) == len(set(names))
    assert {"deliver_due_mail", "send_followup_reminders", "send_feedback_reminders", "close_surveys"} <= set(names)
    assert {"prune_account_events", "sweep_report_builds"} <= set(names)


def test_the_scheduled_jobs_run(db, world):
    """Every job of the schedule runs in a worker without error (on a quiet day: nothing to do)."""
    queued = services.schedule_due(worker_id="worker-a")
    assert set(queued) == {job.name for job in JOBS}
    run_queued()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def running_task(*, worker_id: str, started_ago: timedelta, attempts: int = 1) -> DBTaskResult:
    result = noted.enqueue("work")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - started_ago, worker_ids=[f"earlier-{i}" for i in range(attempts - 1)] + [worker_id]
    )
    return DBTaskResult.objects.get(pk=row.pk)


def test_a_dead_workers_task_is_queued_again_and_a_live_ones_is_not(db, settings):
    settings.WORKER_DEAD_AFTER = 60
    now = timezone.now()
    services.heartbeat(worker_id="alive", host="w1", pid=1, now=now - timedelta(seconds=10))
    services.heartbeat(worker_id="dead", host="w2", pid=2, now=now - timedelta(seconds=90))
    live = running_task(worker_id="alive", started_ago=timedelta(minutes=5))
    orphan = running_task(worker_id="dead", started_ago=timedelta(minutes=5))
    unknown = running_task(worker_id="never-seen", started_ago=timedelta(minutes=5))
    young = running_task(worker_id="dead", started_ago=timedelta(seconds=5))  # claimed just now
    assert services.requeue_orphans(now=now) == {"requeued": 2, "failed": 0}
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[live.pk] == "RUNNING" and status[young.pk] == "RUNNING"
    assert status[orphan.pk] == "READY" and status[unknown.pk] == "READY"
    # A second worker looking at the same moment changes nothing more.
    assert services.requeue_orphans(now=now) == {"requeued": 0, "failed": 0}
    # The requeued task runs again, on a live worker, as a second attempt.
    RAN.clear()
    run_queued(worker_id="alive")
    assert RAN == ["work", "work"]
    orphan.refresh_from_db()
    assert orphan.status == "SUCCESSFUL" and orphan.worker_ids == ["dead", "alive"]


def test_a_task_whose_worker_died_three_times_is_failed_not_retried(db, settings):
    settings.WORKER_DEAD_AFTER = 60
    poison = running_task(worker_id="third", started_ago=timedelta(minutes=5), attempts=3)
    assert services.requeue_orphans() == {"requeued": 0, "failed": 1}
    poison.refresh_from_db()
    assert poison.status == "FAILED" and poison.exception_class_path == "worker.WorkerDied"


def test_a_task_claimed_again_meanwhile_is_left_alone(db, settings, monkeypatch):
    """The requeue is conditional on the start time the recovering worker read: if another
    worker requeued and claimed the task between that read and the update, it stays running."""
    settings.WORKER_DEAD_AFTER = 60
    orphan = running_task(worker_id="dead", started_ago=timedelta(minutes=5))
    read_workers = WorkerProcess.objects.filter

    def meanwhile(*args, **kwargs):
        DBTaskResult.objects.filter(pk=orphan.pk).update(
            started_at=timezone.now() - timedelta(minutes=2), worker_ids=["dead", "other"]
        )
        return read_workers(*args, **kwargs)

    monkeypatch.setattr(WorkerProcess.objects, "filter", meanwhile)
    assert services.requeue_orphans() == {"requeued": 0, "failed": 0}
    orphan.refresh_from_db()
    assert orphan.status == "RUNNING" and orphan.worker_ids == ["dead", "other"]


def test_heartbeat_and_prune(db):
    now = timezone.now()
    services.heartbeat(worker_id="w", host="h", pid=3, now=now - timedelta(days=8))
    services.heartbeat(worker_id="w", host="h", pid=3, now=now - timedelta(days=8))
    services.heartbeat(worker_id="x", host="h", pid=4, now=now)
    assert WorkerProcess.objects.count() == 2
    ScheduledRun.objects.create(job="noted", slot=now - timedelta(days=8))
    ScheduledRun.objects.create(job="noted", slot=now)
    with time_machine.travel(now - timedelta(days=8)):
        old = noted.enqueue()
        run_queued()
    assert DBTaskResult.objects.get(pk=old.id).status == "SUCCESSFUL"
    assert services.prune(now=now) == 3
    assert list(WorkerProcess.objects.values_list("worker_id", flat=True)) == ["x"]
    assert ScheduledRun.objects.count() == 1 and not DBTaskResult.objects.exists()


def test_run_worker_refuses_the_immediate_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="TASKS_BACKEND=database"):
        call_command("run_worker", stdout=StringIO())
