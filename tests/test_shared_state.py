"""More than one machine: two app servers and a worker against one PostgreSQL.

Starts two ``gunicorn config.wsgi`` servers on two ports and one worker
(``manage.py run_worker``) on this test's database, as an operator runs them:
DEBUG off, the database cache (CACHE_URL empty), the database task queue, the
file storage on one shared directory, JSON logs. Then shows that nothing lives
in one process: a staff page kept on server A shows a change made on server B,
a sign-in lockout made on server A holds on server B, a report
build asked for on A is built by the worker and downloads from A and B, a
survey's submit limit is counted on A and B together, and a session made on
one server is good on the other.

That test needs PostgreSQL: on SQLite pytest's test database lives in memory,
in this process alone. scripts/test runs it in its PostgreSQL pass (``-m "not
browser"``). The last test, on either database, builds and downloads a report
with a storage that has no file system path, as a bucket has none.
"""

import json
import time
from datetime import timedelta

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.urls import reverse
from django.utils import timezone

from conftest import TOTP_SECRET
from reports.models import Build, CouncilReport
from surveys.forms import FORM_STAMP_SALT
from surveys.models import Question, Survey
from tests.formreader import submissions
from tests.processes import (
    Processes,
    csrf_token,
    needs_postgresql,
    server_env,
    sign_in,
    sign_in_with_code,
    start_server,
    start_worker,
    wait_ready,
    wait_worker_caught_up,
)

PASSWORD = "ett-langt-losenord-for-servrarna"
SUBMIT_LIMIT = 3


@pytest.fixture
def servers(transactional_db, tmp_path, settings):
    """Server A, server B (their base addresses) and a worker, on this test's database."""
    env = server_env(settings, tmp_path, SURVEY_SUBMIT_LIMIT=str(SUBMIT_LIMIT))
    processes = Processes(tmp_path)
    bases = {}
    started = time.monotonic()
    try:
        for name in ("a", "b"):
            bases[name] = start_server(processes, f"server-{name}", env)
        start_worker(processes, "worker", env)
        for name in ("a", "b"):
            wait_ready(bases[name], processes, f"server-{name}")
        print(f"two servers and a worker ready in {time.monotonic() - started:.1f} s")
        yield bases["a"], bases["b"], processes
    finally:
        processes.stop()


@needs_postgresql
def test_two_app_servers_and_a_worker_share_everything(world, servers, settings):
    a, b, processes = servers
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    for role in ("coordinator", "contact_a"):
        world.users[role].set_password(PASSWORD)
        world.users[role].save()
    coordinator, contact = world.users["coordinator"], world.users["contact_a"]
    # Its authenticator app's secret, encrypted as the servers encrypt it (with their SECRET_KEY).
    Authenticator.objects.filter(user=coordinator).delete()
    TOTP.activate(coordinator, TOTP_SECRET)

    # A sign-in begun on B (the password) is finished on A (the coordinator's second factor),
    # and the session is good on both: sessions live in the database.
    browser = requests.Session()
    sign_in_with_code(browser, b, a, coordinator.username, PASSWORD)
    assert browser.get(f"{a}{reverse('home:start')}", allow_redirects=False, timeout=30).status_code == 200
    assert browser.get(f"{b}{reverse('home:start')}", allow_redirects=False, timeout=30).status_code == 200

    # --- A staff page kept on A shows a change made on B on the next view. ----------
    wait_worker_caught_up(processes, "worker")  # its first, catching-up writes are done
    plan_page = f"{a}{reverse('plans:detail', args=[world.plan.pk])}"
    assert browser.get(plan_page, timeout=30).headers.get("X-Page-Cache") != "hit"
    assert browser.get(plan_page, timeout=30).headers.get("X-Page-Cache") == "hit"
    edit = f"{b}{reverse('plans:goal_edit', args=[world.result_goal.pk])}"
    page = browser.get(edit, timeout=30)
    (form,) = [s for s in submissions(edit, page.content) if s.name == "plans:goal_edit"]
    form.data["title"] = ["Ändrad på server B"]
    changed = browser.post(form.action, form.data, headers={"Referer": edit}, allow_redirects=False, timeout=30)
    assert changed.status_code == 302, changed.status_code
    again = browser.get(plan_page, timeout=30)
    assert again.headers.get("X-Page-Cache") != "hit" and "Ändrad på server B" in again.text

    # --- A lockout made on A holds on B. -----------------------------------------
    attacker = requests.Session()
    answers = [sign_in(attacker, a, contact.username, "fel-losenord").status_code for _ in range(5)]
    assert answers[-1] == 429, answers  # the fifth failure locks the name
    person = requests.Session()
    refused = sign_in(person, b, contact.username, PASSWORD)  # the right password, on the other server
    assert refused.status_code == 429
    assert "sessionid" not in person.cookies

    # --- A build asked for on A is built by the worker and downloads from A and B. ----
    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Uppföljning")
    report.rounds.set([world.round])
    detail = f"{a}{reverse('reports:detail', args=[report.pk])}"
    token = csrf_token(browser, detail)
    asked = browser.post(
        f"{a}{reverse('reports:build', args=[report.pk])}", {"csrfmiddlewaretoken": token}, allow_redirects=False,
        headers={"Referer": detail}, timeout=30,
    )  # fmt: skip
    assert asked.status_code == 302
    build = Build.objects.get(report=report)
    deadline = time.monotonic() + 120
    while build.status in (Build.Status.QUEUED, Build.Status.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.3)
        build.refresh_from_db()
    assert build.status == Build.Status.DONE, (build.status, build.error, processes.log("worker")[-3000:])
    from django_tasks_db.models import DBTaskResult

    (task,) = DBTaskResult.objects.filter(task_path="reports.tasks.build_report")
    # The build is committed done inside the task; the task's own row is finished after the
    # function returns (and the worker has released the build's memory), so wait for it too.
    while task.status in ("READY", "RUNNING") and time.monotonic() < deadline:
        time.sleep(0.2)
        task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.worker_ids  # run by a worker, not a web server
    url = reverse("reports:build_pdf", args=[build.pk])
    from_a = browser.get(f"{a}{url}", timeout=30)
    from_b = browser.get(f"{b}{url}", timeout=30)
    assert from_a.status_code == from_b.status_code == 200
    assert from_a.content.startswith(b"%PDF") and from_a.content == from_b.content

    # --- A survey's submit limit is counted on A and B together. -------------------
    today = timezone.localdate()
    survey = Survey.objects.create(
        municipality=world.municipality, unit=world.unit_a, name="Enkät", languages=["sv"],
        texts={"sv": {"title": "Mötesplatsen", "intro": "Anonym."}}, status=Survey.Status.OPEN,
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
    )  # fmt: skip
    Question.objects.create(survey=survey, kind="text", texts={"sv": "Vad saknar du?"})
    answer = reverse("survey_public:answer", kwargs={"token": survey.token})
    stamp = signing.dumps(time.time() - 60, salt=f"{FORM_STAMP_SALT}:{survey.pk}")  # a page opened a minute ago
    sent = [
        requests.post(f"{base}{answer}", {"stamp": stamp, "sprak": "sv"}, allow_redirects=False, timeout=30).status_code
        for base in (a, a, b, b, a)
    ]
    assert 429 not in sent[:SUBMIT_LIMIT], sent
    assert sent[SUBMIT_LIMIT:] == [429, 429], sent  # B's first is over the limit A counted

    # The JSON request lines of both servers carry no user name or e-mail address.
    for name in ("server-a", "server-b"):
        lines = [json.loads(line) for line in processes.log(name).splitlines() if line.startswith("{")]
        requests_logged = [line for line in lines if line["logger"] == "inkludera.request"]
        assert requests_logged and all("route" in line and "status" in line for line in requests_logged)
        text = processes.log(name)
        assert coordinator.email not in text and contact.email not in text and "fel-losenord" not in text


class BucketLikeStorage(Storage):
    """Files kept in a dict and, as in a bucket, no path on this machine (Storage.path refuses)."""

    def __init__(self):
        self.files = {}

    def _save(self, name, content):
        content.seek(0)
        self.files[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def delete(self, name):
        self.files.pop(name, None)

    def size(self, name):
        return len(self.files[name])


def test_logos_and_reports_go_through_the_storage_only(world, settings, django_capture_on_commit_callbacks):
    """With a storage that has no file system path (as a bucket has none), a logo
    reaches the built report and the report downloads, streamed from the storage."""
    from organisations.tests.test_logo import png

    settings.STORAGES = settings.STORAGES | {"default": {"BACKEND": f"{__name__}.BucketLikeStorage"}}
    world.municipality.logo.save("logo.png", ContentFile(png(400, 100)))
    with pytest.raises(NotImplementedError):
        world.municipality.logo.path  # noqa: B018 - what code must not use
    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Uppföljning")
    report.rounds.set([world.round])
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("reports:build", args=[report.pk])).status_code == 302
    build = Build.objects.get(report=report)
    assert build.status == Build.Status.DONE, build.error
    response = client.get(reverse("reports:build_pdf", args=[build.pk]))
    assert response.status_code == 200 and response.streaming
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF") and pdf == build.pdf.storage.open(build.pdf.name).read()
    assert b"/Subtype /Image" in pdf  # the logo, read through the storage
