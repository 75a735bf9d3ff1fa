"""Building a council report's files as a background job.

A build is a row (reports.models.Build) that moves from waiting to in
progress to done or failed, with a percentage and the step it is on, which
the report page shows while it runs. The build runs in a worker
(``manage.py run_worker``) as the task ``reports.tasks.build_report``,
enqueued in the transaction that creates the Build row (the tests' immediate
backend runs it after the commit, in the test). Whoever claims a waiting build
first runs it (a conditional update). If the worker dies mid-build, the task
is queued again (worker.services.requeue_orphans) and its second attempt takes
the build over; the files have one name per build, so the rerun overwrites
what the dead attempt left half-written. The schedule's sweep (``sweep``)
queues builds left waiting without a task and fails builds nobody works on;
``manage.py run_report_builds`` runs the waiting ones in its own process.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lib import images
from lib.tasks import enqueue_after

from .assemble import council_document
from .models import RULES_VERSION, Build
from .render import release_memory, render_docx, render_pdf

log = logging.getLogger(__name__)

# A build in progress for longer than this is taken to have died with its process.
STALE_AFTER = timedelta(minutes=15)


def request_build(report, *, by) -> Build:
    """Queue a build of the report; it starts once the caller's transaction commits."""
    from .tasks import build_report

    with transaction.atomic():  # the Build row and its task commit together
        build = Build.objects.create(report=report, requested_by=by, step=_("Waiting to start"))
        enqueue_after(build_report, build.pk)
    return build


def _progress(build_id: int):
    def step(percent: int, text: str) -> None:
        Build.objects.filter(pk=build_id).update(progress=min(percent, 100), step=text[:200])

    return step


def _logo(municipality) -> Path | None:
    # Read through the storage (a shared directory or a bucket), copied for the renderers.
    # A logo stored before its pixels were limited is left out rather than decoded.
    return images.local_copy(municipality.logo)


def _file_name(build: Build, field) -> str:
    """One name per build and format, so that a rerun writes over, not beside, what a dead attempt left."""
    extension = "pdf" if field.field.name == "pdf" else "docx"
    return f"rapport-{build.report_id}-bygge-{build.pk}.{extension}"


def _clear(field, build: Build) -> None:
    """Delete this build's file of this format if one is stored (half-written or whole)."""
    path = field.field.generate_filename(build, _file_name(build, field))
    if field.storage.exists(path):
        field.storage.delete(path)
    field.name = None


def run(build_id: int, *, rerun: bool = False) -> bool:
    """Run a waiting build; False if someone else already took it. ``rerun``: this is
    a second attempt of the task whose worker died while running this build, which
    takes the build over from where it was left ("in progress")."""
    claimed = Build.objects.filter(pk=build_id, status=Build.Status.QUEUED).update(
        status=Build.Status.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed and rerun:
        claimed = Build.objects.filter(pk=build_id, status=Build.Status.RUNNING).update(
            started_at=timezone.now(), progress=5
        )
        if claimed:
            log.warning("Report build %s taken over after its worker stopped", build_id)
    if not claimed:
        return False
    build = Build.objects.select_related("report__municipality").get(pk=build_id)
    step = _progress(build_id)
    try:
        with override("sv"):
            step(10, _("Assembling the report"))
            document, sources = council_document(build.report, progress=step)
            logo = _logo(build.report.municipality)
            step(60, _("Writing the PDF"))
            pdf = render_pdf(document, logo=logo)
            step(85, _("Writing the Word file"))
            docx = render_docx(document, logo=logo)
            step(95, _("Saving the files"))
        data = document.as_json()
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        for field, content in ((build.pdf, pdf.data), (build.docx, docx.data)):
            _clear(field, build)  # what an attempt that died here left behind
            field.save(_file_name(build, field), ContentFile(content), save=False)
        build.pdf_pages = pdf.pages
        build.document, build.sources, build.digest = data, sources, digest
        build.rules_version = RULES_VERSION  # assembled now, under today's rules, whenever it was queued
        build.status, build.progress, build.finished_at = Build.Status.DONE, 100, timezone.now()
        with override("sv"):
            build.step = _("Done")
        build.save()
    except Exception:
        log.exception("Report build %s failed", build_id)
        for field in (build.pdf, build.docx):
            try:
                _clear(field, build)
            except Exception:  # the storage itself may be what failed; the build is marked failed all the same
                log.exception("Report build %s: its %s file could not be removed", build_id, field.field.name)
        with override("sv"):
            message = _("The report could not be built. Try again; if it fails again, contact support.")
        Build.objects.filter(pk=build_id).update(
            status=Build.Status.FAILED, finished_at=timezone.now(), error=message, step=message[:200]
        )
    finally:
        release_memory()  # a worker lives on: what the build freed goes back to the system
    return True


def _active_build_ids() -> set[int]:
    """The builds a queued or running task is about (in the database queue)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import build_report

    rows = DBTaskResult.objects.filter(
        task_path=build_report.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    return {row["args"][0] for row in rows if row.get("args")}


def _fail_stopped(now, active: set[int]) -> int:
    """Fail the builds in progress for longer than STALE_AFTER that no task works on."""
    with override("sv"):
        message = _("The build stopped before it was finished (the server restarted). Build the report again.")
    return (
        Build.objects.filter(status=Build.Status.RUNNING, started_at__lt=now - STALE_AFTER)
        .exclude(pk__in=active)
        .update(status=Build.Status.FAILED, finished_at=now, error=message, step=message[:200])
    )


def run_waiting(*, now=None) -> list[int]:
    """Fail builds that stopped with their process, then run every waiting one here. The ids run."""
    now = now or timezone.now()
    _fail_stopped(now, _active_build_ids())
    done = []
    for build_id in (
        Build.objects.filter(status=Build.Status.QUEUED).order_by("requested_at").values_list("pk", flat=True)
    ):
        if run(build_id):
            done.append(build_id)
    return done


def sweep(*, now=None) -> dict:
    """The schedule's look at the builds: fail those that stopped (no task works on
    them), and queue a task for each build waiting for more than a minute without
    one (e.g. asked for before the worker existed). Counts of each."""
    from .tasks import build_report

    now = now or timezone.now()
    active = _active_build_ids()  # read before the builds: a task outlives its build's "in progress"
    failed = _fail_stopped(now, active)
    queued = 0
    waiting = Build.objects.filter(status=Build.Status.QUEUED, requested_at__lt=now - timedelta(minutes=1))
    for build_id in waiting.exclude(pk__in=active).values_list("pk", flat=True):
        enqueue_after(build_report, build_id)
        queued += 1
    return {"failed": failed, "queued": queued}
