"""An import in Chromium: the form, the job's page while it waits (it updates itself
when the worker is done), the result, and a failed import's errors; axe on each page."""

import pytest

from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401
from worker.testing import DATABASE_TASKS, run_queued

pytestmark = pytest.mark.browser


def test_an_import_waits_for_the_worker_and_its_page_updates_itself(page, settings, tmp_path):  # noqa: F811
    from activities.selectors import activities_of_plan
    from activities.spreadsheet import export_activities
    from imports.models import ImportJob
    from plans.models import Plan

    settings.TASKS = DATABASE_TASKS  # the job waits for a worker, as in production
    settings.MEDIA_ROOT = tmp_path
    plan = Plan.objects.get(municipality__code="0180", is_current=True)
    data = export_activities(plan, list(activities_of_plan(plan)))

    sign_in(page, "sthlm-samordnare")
    page.goto(f"/aktiviteter/plan/{plan.pk}/importera/")
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "aktiviteter.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
    )
    page.locator("form.form button[type=submit]").click()
    page.locator(".import-progress").wait_for()
    job = ImportJob.objects.get()
    assert page.url.endswith(f"/importer/{job.pk}/")
    status = page.locator(".import-progress [role=status]")
    assert status.get_attribute("aria-live") == "polite" and status.inner_text()
    assert_accessible(page)

    run_queued()  # the worker
    page.locator(".import-done").wait_for()  # the page reloaded itself
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert "0 nya aktiviteter, 0 ändrade" in page.locator(".import-done").inner_text()
    assert page.locator("progress").count() == 0
    assert_accessible(page)
    page.locator(".import-done a.button").click()
    page.wait_for_url(f"**/aktiviteter/?plan={plan.pk}")
