"""Building a council report's files as a background job.

A build is a row (reports.models.Build) that moves from waiting to in
progress to done or failed, with a percentage and the step it is on, which
the report page shows while it runs. The job runs in a thread of the web
process once the request that asked for it has committed (REPORT_JOBS =
"thread", the default), or in the request itself (REPORT_JOBS = "inline",
used by the tests). Whoever claims a waiting build first runs it (a
conditional update), so ``manage.py run_report_builds`` can also pick up
builds whose process stopped — run it from cron, or once after a restart.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lib import images

from .assemble import council_document
from .models import RULES_VERSION, Build
from .render import render_docx, render_pdf

log = logging.getLogger(__name__)

# A build in progress for longer than this is taken to have died with its process.
STALE_AFTER = timedelta(minutes=15)


def request_build(report, *, by) -> Build:
    """Queue a build of the report; it starts once the caller's transaction commits."""
    build = Build.objects.create(report=report, requested_by=by, step=_("Waiting to start"))
    transaction.on_commit(lambda: start(build.pk))
    return build


def start(build_id: int) -> None:
    if getattr(settings, "REPORT_JOBS", "thread") == "inline":
        run(build_id)
        return
    threading.Thread(target=_run_in_thread, args=(build_id,), name=f"report-build-{build_id}", daemon=True).start()


def _run_in_thread(build_id: int) -> None:
    close_old_connections()
    try:
        run(build_id)
    finally:
        close_old_connections()


def _progress(build_id: int):
    def step(percent: int, text: str) -> None:
        Build.objects.filter(pk=build_id).update(progress=min(percent, 100), step=text[:200])

    return step


def _logo(municipality) -> Path | None:
    if not municipality.logo:
        return None
    try:
        path = Path(municipality.logo.path)
    except (NotImplementedError, ValueError):
        return None
    # A logo stored before its pixels were limited is left out rather than decoded.
    return path if path.exists() and images.usable_image(path) else None


def run(build_id: int) -> bool:
    """Run a waiting build; False if someone else already took it."""
    claimed = Build.objects.filter(pk=build_id, status=Build.Status.QUEUED).update(
        status=Build.Status.RUNNING, started_at=timezone.now(), progress=5
    )
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
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"rapport-{build.report.pk}-{stamp}"
        build.pdf.save(f"{name}.pdf", ContentFile(pdf.data), save=False)
        build.docx.save(f"{name}.docx", ContentFile(docx.data), save=False)
        build.pdf_pages = pdf.pages
        build.document, build.sources, build.digest = data, sources, digest
        build.rules_version = RULES_VERSION  # assembled now, under today's rules, whenever it was queued
        build.status, build.progress, build.finished_at = Build.Status.DONE, 100, timezone.now()
        with override("sv"):
            build.step = _("Done")
        build.save()
    except Exception:
        log.exception("Report build %s failed", build_id)
        with override("sv"):
            message = _("The report could not be built. Try again; if it fails again, contact support.")
        Build.objects.filter(pk=build_id).update(
            status=Build.Status.FAILED, finished_at=timezone.now(), error=message, step=message[:200]
        )
    return True


def run_waiting(*, now=None) -> list[int]:
    """Fail builds that stopped with their process, then run every waiting one. The ids run."""
    now = now or timezone.now()
    with override("sv"):
        message = _("The build stopped before it was finished (the server restarted). Build the report again.")
    Build.objects.filter(status=Build.Status.RUNNING, started_at__lt=now - STALE_AFTER).update(
        status=Build.Status.FAILED, finished_at=now, error=message, step=message[:200]
    )
    done = []
    for build_id in (
        Build.objects.filter(status=Build.Status.QUEUED).order_by("requested_at").values_list("pk", flat=True)
    ):
        if run(build_id):
            done.append(build_id)
    return done
