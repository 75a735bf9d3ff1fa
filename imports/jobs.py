"""Imports as background jobs: the web request keeps the file and queues the job,
a worker runs the import.

The request checks what is cheap (the file's size and type; a plan file, which
is small, is read whole so that its line errors and the "a plan with this title
exists" question come at once), stores the file in Django storage, creates the
ImportJob row and enqueues ``imports.tasks.run_import`` in one transaction
(lib.tasks.enqueue_after): a request killed before its commit leaves no job and
no task (at most a stored file without a row, which ``sweep`` removes).

The worker reads and validates the file again (the plan and the units may have
changed since), and saves every row, the audit events and the job's "done" in
one transaction. A worker killed in the middle leaves nothing: the transaction
is rolled back, worker.services.requeue_orphans puts the task back, and the
next attempt does the whole import once. An attempt that finds the job already
finished (a second copy of the task) does nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lib.locking import StaleEdit
from lib.tasks import enqueue_after

from .models import ImportJob

log = logging.getLogger(__name__)

# Times an import is read again because one of its activities was saved meanwhile.
STALE_RETRIES = 3
# A job waiting or in progress this long, with no task left to run it, is failed by the sweep.
STALE_AFTER = timedelta(hours=1)
# Finished jobs (their counts or line errors) are kept this long, then deleted by the sweep.
KEEP_FINISHED = timedelta(days=30)


class ImportFailed(Exception):
    """The file cannot be imported: ``errors`` (Swedish, each naming its row or line)
    or ``existing_plan`` (a plan with the file's title and period exists)."""

    def __init__(self, errors: list[str], existing_plan=None):
        super().__init__("\n".join(errors))
        self.errors = errors
        self.existing_plan = existing_plan


def request_import(*, kind: str, municipality, by, upload, plan=None, as_new: bool = False) -> ImportJob:
    """Store the uploaded file, create the job and queue its task, together."""
    from .tasks import run_import

    job = ImportJob(
        kind=kind, municipality=municipality, requested_by=by, plan=plan, as_new=as_new, file_name=upload.name[:200]
    )
    upload.seek(0)
    job.file.save(upload.name, upload, save=False)  # stored first: the job never names a missing file
    try:
        with transaction.atomic():
            job.save()
            enqueue_after(run_import, job.pk)
    except BaseException:
        _delete_file(job.file.name)
        raise
    return job


def run(job_id: int) -> bool:
    """Run the import; False when the job is already finished (or gone)."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return False
    job = ImportJob.objects.select_related("municipality", "plan", "requested_by").get(pk=job_id)
    if job.attempts > 1:
        log.warning("Import %s started again (attempt %s) after its worker stopped", job_id, job.attempts)
    try:
        for _attempt in range(STALE_RETRIES):
            # Read and checked outside the transaction (seconds for a large spreadsheet),
            # so that other writers wait only for the saving.
            with override("sv"):
                save = _IMPORTERS[job.kind](job, _read(job))
            try:
                with transaction.atomic():
                    # Locked: a second copy of the task (its worker only seemed dead) waits here, then finds it done.
                    locked = ImportJob.objects.select_for_update().filter(pk=job_id).values_list("status", flat=True)
                    if locked.first() != ImportJob.Status.RUNNING:
                        return False
                    with override("sv"):
                        save()
                    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
                    job.save(update_fields=["status", "finished_at", "created", "changed", "result_plan"])
                break
            except StaleEdit:  # someone saved one of the file's activities meanwhile: read it again
                log.info("Import %s: an activity changed while the file was read; reading it again", job_id)
        else:
            raise StaleEdit
    except ImportFailed as exc:
        _fail(job_id, errors=exc.errors, existing_plan=exc.existing_plan)
    except Exception:
        log.exception("Import %s failed", job_id)
        with override("sv"):
            message = _("The import could not be run. Try again; if it fails again, contact support.")
        _fail(job_id, errors=[message])
    transaction.on_commit(lambda: _remove_file(job_id, job.file.name))
    return True


def _read(job: ImportJob) -> bytes:
    with default_storage.open(job.file.name, "rb") as f:
        return f.read()


def _fail(job_id: int, *, errors: list[str], existing_plan=None) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
        errors=[str(e) for e in errors],
        existing_plan=existing_plan,
        created=0,
        changed=0,
        result_plan=None,
    )


def _remove_file(job_id: int, name: str) -> None:
    """The finished job's file: deleted, and no longer named by the job."""
    if _delete_file(name):
        ImportJob.objects.filter(pk=job_id).update(file="")


def _delete_file(name: str) -> bool:
    if not name:
        return True
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
    except Exception:  # the storage may be down; the sweep tries again
        log.exception("Import file %s could not be removed", name)
        return False
    return True


# --- What each kind does (inside the job's transaction, in Swedish) -------------------


def _import_activities(job: ImportJob, data: bytes):
    """Read and check the spreadsheet; returns what saves it (in the job's transaction)."""
    from activities.services import activities_import
    from activities.spreadsheet import parse_activities
    from lib.xlsx import XlsxInvalid
    from organisations.models import Membership

    membership = Membership.objects.filter(user=job.requested_by, municipality=job.municipality).first()
    if membership is None or not membership.may_register_activities:
        raise ImportFailed([_("You may no longer register activities in this plan.")])
    try:
        rows = parse_activities(data, plan=job.plan, membership=membership)
    except XlsxInvalid as exc:
        raise ImportFailed(exc.errors) from None

    def save() -> None:
        job.created, job.changed = activities_import(plan=job.plan, by=job.requested_by, rows=rows)

    return save


def _import_plan(job: ImportJob, data: bytes):
    """Read and check the plan file; returns what saves it (in the job's transaction)."""
    from plans import services
    from plans.planfile import PlanFileInvalid, parse_plan_file

    try:
        spec = parse_plan_file(data, job.municipality)
    except PlanFileInvalid as exc:
        raise ImportFailed([str(e) for e in exc.errors]) from None

    def save() -> None:
        try:
            plan = services.plan_import(
                municipality=job.municipality, spec=spec, by=job.requested_by, as_new=job.as_new
            )
        except services.PlanExists as exc:  # made since the question was asked on the form
            raise ImportFailed([], existing_plan=exc.existing) from None
        job.result_plan, job.created = plan, len(spec.all_goals())

    return save


_IMPORTERS = {ImportJob.Kind.ACTIVITIES: _import_activities, ImportJob.Kind.PLAN: _import_plan}


# --- The schedule's sweep ---------------------------------------------------------------


def _active_job_ids() -> set[int]:
    """The jobs a queued or running task is about (in the database queue)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import run_import

    rows = DBTaskResult.objects.filter(
        task_path=run_import.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    return {row["args"][0] for row in rows if row.get("args")}


def sweep(now=None) -> dict[str, int]:
    """Fail jobs nobody works on any more (their task failed three times), remove
    the files of finished jobs and files no job names (a request killed between
    storing the file and its commit), and delete finished jobs after KEEP_FINISHED."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING], requested_at__lt=now - STALE_AFTER
    ).exclude(pk__in=_active_job_ids())
    with override("sv"):
        message = _("The import could not be run. Try again; if it fails again, contact support.")
    failed = 0
    for job_id in stale.values_list("pk", flat=True):
        failed += ImportJob.objects.filter(
            pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
        ).update(status=ImportJob.Status.FAILED, finished_at=now, errors=[message])
    removed = 0
    finished = ImportJob.objects.filter(status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]).exclude(file="")
    for job_id, name in finished.values_list("pk", "file"):
        if _delete_file(name):
            ImportJob.objects.filter(pk=job_id).update(file="")
            removed += 1
    removed += _remove_strays(now)
    deleted, _by_model = ImportJob.objects.filter(
        status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED], finished_at__lt=now - KEEP_FINISHED
    ).delete()
    return {"failed": failed, "files_removed": removed, "deleted": deleted}


def _remove_strays(now) -> int:
    """Files under imports/ that no job names, older than STALE_AFTER."""
    named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    try:
        municipalities, _files = default_storage.listdir("imports")
    except (FileNotFoundError, NotImplementedError):
        return 0
    for folder in municipalities:
        _dirs, files = default_storage.listdir(f"imports/{folder}")
        for name in files:
            path = f"imports/{folder}/{name}"
            if path in named:
                continue
            try:
                modified = default_storage.get_modified_time(path)
            except (NotImplementedError, OSError):
                continue
            if modified < now - STALE_AFTER:
                _delete_file(path)
                removed += 1
    return removed
