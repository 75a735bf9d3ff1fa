"""An import (a spreadsheet of activities, a plan file) waiting for, or done by, the worker.

One row per upload: the file kept in Django storage until the job is finished,
what it is imported into, and what came of it (counts, the new plan, or the
Swedish line errors the page lists). See imports/jobs.py.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def upload_path(job: ImportJob, filename: str) -> str:
    """Never the uploaded name (it may say anything): a random one, under a folder
    that no URL serves (the status page never links the file)."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"imports/{job.municipality_id}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        ACTIVITIES = "aktiviteter", _("activities from a spreadsheet")
        PLAN = "plan", _("plan file")

    class Status(models.TextChoices):
        QUEUED = "koad", _("waiting")
        RUNNING = "pagar", _("in progress")
        DONE = "klar", _("done")
        FAILED = "misslyckad", _("failed")

    municipality = models.ForeignKey("organisations.Municipality", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Activities: the plan they are imported into.
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A plan file: the coordinator confirmed a second plan with an existing plan's title and period.
    as_new = models.BooleanField(default=False)
    # Kept until the job is finished (then deleted), or until imports.jobs.sweep removes it.
    file = models.FileField(upload_to=upload_path, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    result_plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Failed: the Swedish messages, each naming its row or line of the file, as the page lists them.
    errors = models.JSONField(default=list, blank=True)
    # Failed because a plan with the file's title and period exists (the page asks whether to import it as new).
    existing_plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["status", "requested_at"], name="import_status_requested")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
