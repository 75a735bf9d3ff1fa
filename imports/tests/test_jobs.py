"""Imports as jobs: queued with their file by the request, run all or nothing by a
worker, once however often the task runs, and shown to whoever started them."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from activities.models import Activity
from activities.spreadsheet import HEADER
from activities.tests.test_spreadsheet import XLSX, export
from audit.models import AuditEvent
from imports import jobs
from imports.models import ImportJob
from plans.models import Plan
from plans.tests.test_planfile import VALID
from worker.testing import DATABASE_TASKS, run_queued

TITLE = HEADER.index("Titel") + 1


def sv(text: str) -> str:
    """A new text as the Swedish page shows it (its translation is added with the po file)."""
    with translation.override("sv"):
        return translation.gettext(text)


def spreadsheet(world, new_rows: int = 3) -> bytes:
    """The plan's export, its first activity renamed, with new rows copied from it."""
    wb = export(world)
    ws = wb["Aktiviteter"]
    first = [c.value for c in ws[2]]
    ws.cell(2, TITLE).value = "Brobyggare, utökat"
    for i in range(new_rows):
        ws.append(["", f"Ny aktivitet {i}", *first[2:]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def post_import(world, data: bytes, role="coordinator"):
    url = reverse("activities:import", args=[world.plan.pk])
    page = world.client(role).get(url)
    assert page.status_code == 200 and 'name="file"' in page.content.decode()
    upload = SimpleUploadedFile("aktiviteter.xlsx", data, content_type=XLSX)
    return world.client(role).post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="sv")


def stored(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS


def test_the_request_stores_the_file_and_queues_the_job_and_the_worker_imports_it(
    world, queue, settings, django_capture_on_commit_callbacks
):
    before = Activity.objects.count()
    response = post_import(world, spreadsheet(world))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    # Nothing ran in the request: the job waits with its file, its task in the default queue.
    assert (job.status, job.kind, job.plan, job.requested_by) == (
        ImportJob.Status.QUEUED, ImportJob.Kind.ACTIVITIES, world.plan, world.users["coordinator"]
    )  # fmt: skip
    assert job.file_name == "aktiviteter.xlsx" and stored(settings) == {job.file.name}
    assert job.file.name.startswith(f"imports/{world.municipality.pk}/") and "aktiviteter" not in job.file.name
    (task,) = DBTaskResult.objects.all()
    assert (task.task_path, task.queue_name, task.args_kwargs["args"]) == (
        "imports.tasks.run_import",
        "default",
        [job.pk],
    )
    assert Activity.objects.count() == before

    page = world.client("coordinator").get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv")
    html = page.content.decode()
    assert 'role="status" aria-live="polite"' in html and sv("Waiting for its turn.") in html
    assert reverse("imports:job_status", args=[job.pk]) in html and "import-progress.js" in html
    assert reverse("imports:job", args=[job.pk]) in html  # updating the page works without JavaScript
    status = world.client("coordinator").get(reverse("imports:job_status", args=[job.pk])).json()
    assert (status["status"], status["active"]) == ("koad", True)

    with django_capture_on_commit_callbacks(execute=True):  # the worker is not in a transaction
        run_queued()
    job.refresh_from_db()
    assert (job.status, job.created, job.changed) == (ImportJob.Status.DONE, 3, 1)
    assert not job.file and stored(settings) == set()  # the file is not kept
    assert Activity.objects.count() == before + 3
    page = world.client("coordinator").get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv")
    html = page.content.decode()
    assert "Kalkylbladet har importerats: 3 nya aktiviteter, 1 ändrade." in html
    assert "import-progress.js" not in html
    assert world.client("coordinator").get(reverse("imports:job_status", args=[job.pk])).json()["active"] is False


def test_the_saved_rows_are_those_one_by_one_saving_made(world):
    """activities_import writes in batches what activity_create/activity_update wrote row by row."""
    from activities.services import activities_import
    from activities.spreadsheet import parse_activities

    events = AuditEvent.objects.count()
    top = Activity.objects.order_by("-number").first().number
    rows = parse_activities(spreadsheet(world, new_rows=2), plan=world.plan, membership=world.membership("coordinator"))
    assert rows[0].goals != [world.focus]
    rows[0].goals = [world.focus]  # the first activity moves to another goal
    assert activities_import(plan=world.plan, by=world.users["coordinator"], rows=rows) == (2, 1)
    world.activity.refresh_from_db()
    assert world.activity.title == "Brobyggare, utökat" and world.activity.version == 2
    assert list(world.activity.goals.all()) == rows[0].goals
    new = list(Activity.objects.filter(title__startswith="Ny aktivitet").order_by("number"))
    assert [a.number for a in new] == [top + 1, top + 2]
    assert all({g.pk for g in a.goals.all()} == {g.pk for g in rows[1].goals} for a in new)
    assert AuditEvent.objects.count() == events + 3
    update = AuditEvent.objects.filter(object_id=world.activity.pk).order_by("-pk").first()
    assert update.action == "update" and update.changes["title"] == [
        "Brobyggare i socialtjänsten",
        "Brobyggare, utökat",
    ]
    assert "goals" in update.changes and update.actor_name
    create = AuditEvent.objects.get(object_id=new[0].pk)
    assert create.action == "create" and create.changes["title"] == [None, "Ny aktivitet 0"]
    assert create.object_repr == str(new[0])


def test_a_job_runs_once_however_often_its_task_runs(world, queue):
    post_import(world, spreadsheet(world))
    job = ImportJob.objects.get()
    run_queued()
    count, events = Activity.objects.count(), AuditEvent.objects.count()
    assert jobs.run(job.pk) is False  # a second copy of the task: the job is done
    job.refresh_from_db()
    assert (job.status, job.created, job.attempts) == (ImportJob.Status.DONE, 3, 1)
    assert (Activity.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_a_rerun_after_its_worker_died_imports_the_whole_file_once(world, queue):
    """The dead attempt's transaction was rolled back: the job says "in progress", no rows."""
    post_import(world, spreadsheet(world))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, attempts=1, started_at=timezone.now())
    before = Activity.objects.count()
    assert jobs.run(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.created, job.changed, job.attempts) == (ImportJob.Status.DONE, 3, 1, 2)
    assert Activity.objects.count() == before + 3


def test_a_failure_while_saving_leaves_nothing_and_the_job_failed(
    world, queue, monkeypatch, django_capture_on_commit_callbacks
):
    post_import(world, spreadsheet(world))
    job = ImportJob.objects.get()
    before = (Activity.objects.count(), AuditEvent.objects.count(), list(Activity.objects.values_list("title")))
    from activities import services

    real = services._set_links

    def fail_halfway(*args, **kwargs):  # after the activities are written, before their goals
        real(*args, **kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_set_links", fail_halfway)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [sv("The import could not be run. Try again; if it fails again, contact support.")]
    assert (Activity.objects.count(), AuditEvent.objects.count(), list(Activity.objects.values_list("title"))) == before
    assert not job.file


def test_a_request_killed_before_its_commit_leaves_no_job_and_no_task(world, queue, settings):
    """What an app server killed in the middle of the request leaves: its transaction is
    not committed, so neither the job nor its task exists (the file is removed at once
    here, and by the sweep when the process died)."""
    from imports.jobs import request_import

    upload = SimpleUploadedFile("aktiviteter.xlsx", spreadsheet(world), content_type=XLSX)
    with pytest.raises(RuntimeError), transaction.atomic():
        request_import(
            kind=ImportJob.Kind.ACTIVITIES,
            municipality=world.municipality,
            by=world.users["coordinator"],
            upload=upload,
            plan=world.plan,
        )
        raise RuntimeError("killed")
    assert not ImportJob.objects.exists() and not DBTaskResult.objects.exists()


def test_the_job_page_lists_the_line_errors_and_offers_to_try_again(world, django_capture_on_commit_callbacks):
    wb = load_workbook(io.BytesIO(spreadsheet(world)))
    wb["Aktiviteter"].cell(3, HEADER.index("Mål") + 1).value = "9.9"
    out = io.BytesIO()
    wb.save(out)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(world, out.getvalue())
    page = world.client("coordinator").get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv")
    html = page.content.decode()
    assert page.context["job"].errors == ["Rad 3, kolumn ”Mål”: planen har inget mål 9.9."]
    assert "Filen har 1 fel. Ingenting sparades." in html and "Rad 3, kolumn ”Mål”: planen har inget mål 9.9." in html
    assert 'role="alert"' in html and reverse("activities:import", args=[world.plan.pk]) in html
    assert not Activity.objects.filter(title__startswith="Ny aktivitet").exists()


def test_only_the_person_who_started_it_and_coordinators_see_an_import(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(world, spreadsheet(world, new_rows=1), role="contact_a")
    url = response["Location"]
    assert world.client("contact_a").get(url).status_code == 200
    assert world.client("coordinator").get(url).status_code == 200
    for role in ("contact_b", "reader", "other_coordinator"):
        assert world.client(role).get(url).status_code == 404, role


def test_a_plan_made_since_the_question_fails_the_job_with_the_question(world, queue):
    """The form asks before queueing; a plan with the same title made in between is found by the worker."""
    upload = SimpleUploadedFile("plan.yaml", VALID.encode(), content_type="application/yaml")
    response = world.client("coordinator").post(reverse("plans:import"), {"file": upload})
    job = ImportJob.objects.get()
    assert (job.kind, job.as_new) == (ImportJob.Kind.PLAN, False)
    spec_title = "Testplan"
    rival = Plan.objects.create(municipality=world.municipality, title=spec_title, kind=Plan.Kind.HANDLINGSPLAN)
    from plans.planfile import parse_plan_file

    spec = parse_plan_file(VALID, world.municipality)
    Plan.objects.filter(pk=rival.pk).update(valid_from=spec.valid_from, valid_to=spec.valid_to)
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.existing_plan) == (ImportJob.Status.FAILED, rival)
    assert Plan.objects.filter(title=spec_title).count() == 1
    html = world.client("coordinator").get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Det finns redan en plan med den här titeln och perioden. Ingenting sparades." in html
    assert reverse("plans:detail", args=[rival.pk]) in html and reverse("plans:import") in html


def test_the_sweep_fails_abandoned_jobs_and_removes_files_nobody_needs(world, queue, settings):
    post_import(world, spreadsheet(world, new_rows=1))
    waiting = ImportJob.objects.get()
    # Abandoned: its task failed three times; the file stayed.
    post_import(world, spreadsheet(world, new_rows=1))
    abandoned = ImportJob.objects.exclude(pk=waiting.pk).get()
    DBTaskResult.objects.filter(args_kwargs__args=[abandoned.pk]).delete()
    long_ago = timezone.now() - timedelta(hours=2)
    ImportJob.objects.filter(pk=abandoned.pk).update(status=ImportJob.Status.RUNNING, requested_at=long_ago)
    # Finished long ago.
    old = ImportJob.objects.create(
        municipality=world.municipality, kind=ImportJob.Kind.ACTIVITIES, plan=world.plan, status=ImportJob.Status.DONE,
        finished_at=timezone.now() - timedelta(days=31),
    )  # fmt: skip
    # A file stored by a request killed before its commit: no job names it.
    stray = Path(settings.MEDIA_ROOT) / "imports" / str(world.municipality.pk) / "stray.xlsx"
    stray.write_bytes(b"PK")
    import os

    os.utime(stray, (long_ago.timestamp(), long_ago.timestamp()))
    assert jobs.sweep() == {"failed": 1, "files_removed": 2, "deleted": 1}
    abandoned.refresh_from_db()
    assert abandoned.status == ImportJob.Status.FAILED and not abandoned.file
    assert stored(settings) == {waiting.file.name}  # the waiting job keeps its file
    assert not ImportJob.objects.filter(pk=old.pk).exists()
    assert jobs.sweep() == {"failed": 0, "files_removed": 0, "deleted": 0}
