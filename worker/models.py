from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerProcess(models.Model):
    """A running ``manage.py run_worker``: written when it starts and every few
    seconds after (its heartbeat). A task whose worker has not been seen for
    WORKER_DEAD_AFTER seconds is queued again (worker.services.requeue_orphans)."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    queues = models.CharField(_("queues"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)  # requeue_orphans: who is alive

    class Meta:
        verbose_name = _("worker process")
        verbose_name_plural = _("worker processes")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.worker_id})"


class ScheduledRun(models.Model):
    """One slot of a periodic job (worker/schedule.py) that has been queued. Inserted
    in the transaction that enqueues the job's task: of any number of workers that
    find the same slot due, the one whose insert commits enqueues it."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    worker_id = models.CharField(_("worker id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
