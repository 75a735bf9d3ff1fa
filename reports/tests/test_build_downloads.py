"""Who downloads which build of a council report.

The coordinator, who makes the builds, downloads every finished one. Everyone
else gets the newest finished build of each report only, and only when it was
made from finalised results (rules version 2): two builds side by side would
let a reader compare numbers, and builds made before results were frozen may
hold numbers that moved with single answers. Such builds are marked on the
report page."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from reports.jobs import run_waiting
from reports.models import RULES_BEFORE_FROZEN_RESULTS, RULES_VERSION, Build
from reports.tests.test_reports import create_report

OTHERS = ["reader", "contact_a", "contact_b"]
MARK = "build-before-frozen"  # the class of the note on a build made before results were finalised


def finished(report, hours_ago: int, *, rules_version=RULES_VERSION, status=Build.Status.DONE) -> Build:
    when = timezone.now() - timedelta(hours=hours_ago)
    b = Build(
        report=report, status=status, progress=100, requested_at=when, finished_at=when + timedelta(minutes=1),
        rules_version=rules_version, digest=str(hours_ago) * 64,
    )  # fmt: skip
    if status == Build.Status.DONE:
        b.pdf.save(f"r{hours_ago}.pdf", ContentFile(f"%PDF-1.7 build {hours_ago}".encode()), save=False)
        b.docx.save(f"r{hours_ago}.docx", ContentFile(f"PK build {hours_ago}".encode()), save=False)
    b.save()
    return b


def urls(b: Build) -> list[str]:
    return [reverse("reports:build_pdf", args=[b.pk]), reverse("reports:build_docx", args=[b.pk])]


def download(client, url) -> tuple[int, bytes]:
    response = client.get(url)
    return response.status_code, b"".join(response.streaming_content) if response.status_code == 200 else b""


@pytest.fixture
def builds(data):
    report = create_report(data)
    return report, {
        "before_frozen": finished(report, 5, rules_version=RULES_BEFORE_FROZEN_RESULTS),
        "older": finished(report, 4),
        "newest": finished(report, 3),
        "failed": finished(report, 2, status=Build.Status.FAILED),
    }


@pytest.mark.parametrize("role", OTHERS)
def test_others_see_and_get_the_newest_build_only(data, builds, role):
    report, b = builds
    client = data.client(role)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for url in urls(b["newest"]):
        assert url in page
    for name in ("before_frozen", "older", "failed"):
        for url in urls(b[name]):
            assert url not in page, name
        assert b[name].digest[:12] not in page, name  # not even listed
    assert MARK not in page

    status, content = download(client, urls(b["newest"])[0])
    assert status == 200 and content == b"%PDF-1.7 build 3"
    assert download(client, urls(b["newest"])[1]) == (200, b"PK build 3")
    for name in ("before_frozen", "older"):
        for url in urls(b[name]):
            assert client.get(url).status_code == 403, (name, url)

    listing = client.get(reverse("reports:list")).content.decode()
    assert all(url in listing for url in urls(b["newest"]))
    assert not any(url in listing for name in ("before_frozen", "older") for url in urls(b[name]))


def test_the_coordinator_gets_every_finished_build_and_sees_which_came_before_frozen_results(data, builds):
    report, b = builds
    client = data.client("coordinator")
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for name in ("before_frozen", "older", "newest"):
        for url in urls(b[name]):
            assert url in page, name
            assert client.get(url).status_code == 200, name
    assert page.count(MARK) == 1
    row = page[page.index(b["before_frozen"].digest[:12]) - 2000 : page.index(b["before_frozen"].digest[:12])]
    assert MARK in row  # the mark is on the old build's row
    for url in urls(b["failed"]):
        assert url not in page
        assert client.get(url).status_code == 404


def test_when_the_newest_build_came_before_frozen_results_only_the_coordinator_gets_it(data):
    report = create_report(data)
    old = finished(report, 3, rules_version=RULES_BEFORE_FROZEN_RESULTS)
    for role in OTHERS:
        client = data.client(role)
        page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
        assert MARK in page
        assert not any(url in page for url in urls(old))
        assert all(client.get(url).status_code == 403 for url in urls(old))
        listing = client.get(reverse("reports:list")).content.decode()
        assert MARK in listing
        assert not any(url in listing for url in urls(old))
    coordinator = data.client("coordinator")
    assert all(coordinator.get(url).status_code == 200 for url in urls(old))
    assert all(url in coordinator.get(reverse("reports:list")).content.decode() for url in urls(old))


def test_a_build_queued_before_the_change_is_assembled_under_the_current_rules(data):
    report = create_report(data)
    waiting = Build.objects.create(report=report, rules_version=RULES_BEFORE_FROZEN_RESULTS)
    assert run_waiting() == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == Build.Status.DONE and waiting.rules_version == RULES_VERSION
    client = data.client("reader")
    assert client.get(urls(waiting)[0]).status_code == 200


@pytest.mark.django_db(transaction=True)  # pytest-django runs these after the others, so the flush harms none
def test_builds_made_before_the_migration_count_as_made_before_frozen_results():
    executor = MigrationExecutor(connection)
    before, after = [("reports", "0001_initial")], [("reports", "0002_build_rules_version")]
    executor.migrate(before)
    # The models as the database now has them: reports as before, every other app as it is.
    executor.loader.build_graph()
    applied = [key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes]
    old_apps = executor.loader.project_state(applied).apps
    municipality = old_apps.get_model("organisations", "Municipality").objects.create(name="Solna stad", code="0184")
    plan = old_apps.get_model("plans", "Plan").objects.create(
        municipality=municipality, title="Plan", kind="handlingsplan", status="antagen"
    )
    report = old_apps.get_model("reports", "CouncilReport").objects.create(
        municipality=municipality, plan=plan, title="Rapport"
    )
    old_build = old_apps.get_model("reports", "Build").objects.create(report=report, status="klar")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    try:
        assert Build.objects.get(pk=old_build.pk).rules_version == RULES_BEFORE_FROZEN_RESULTS
        assert Build.objects.get(pk=old_build.pk).before_frozen_results
    finally:
        # Every migration again, as the tests after this one (and servers they start) expect.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Build.objects.create(report_id=report.pk).rules_version == RULES_VERSION


def test_a_build_whose_files_were_removed_after_the_retention_period_offers_no_download(data, builds):
    from retention.services import enforce

    report, b = builds
    Build.objects.filter(pk=b["older"].pk).update(finished_at=timezone.now() - timedelta(days=4000))
    enforce()
    older = Build.objects.get(pk=b["older"].pk)
    assert not older.pdf and not older.docx  # the newest build keeps its files
    client = data.client("coordinator")
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Filerna har tagits bort efter gallringstiden." in page
    for url in urls(older):
        assert url not in page
        assert client.get(url).status_code == 404
    for url in urls(b["newest"]):
        assert download(client, url)[0] == 200
