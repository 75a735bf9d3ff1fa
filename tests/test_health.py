"""The health endpoints a load balancer probes (lib/health.py), and the
structured request log (lib/logging.py), which must carry nothing about the
person asking."""

import json
import logging

import pytest
from django.core.files.storage import FileSystemStorage
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse
from django_tasks import task

from lib import health
from lib.logging import JsonFormatter


class BrokenStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError("Permission denied: /srv/inkludera/hemlig-sokvag")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    health._migrated = False  # each test sees the migrations checked afresh


def test_live_answers_without_the_database_a_cookie_the_host_check_or_https(settings):
    """No database access is allowed in this test: touching it would fail it."""
    settings.SECURE_SSL_REDIRECT = True
    # A probe sends the server's own address as Host, over plain HTTP.
    response = Client().get("/halsa/live", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert reverse("health-live") == "/halsa/live"


@pytest.mark.django_db
def test_ready_checks_database_cache_migrations_and_storage(settings, tmp_path):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/halsa/ready", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": ["database", "cache", "migrations", "storage"]}
    assert not response.cookies
    assert list(tmp_path.rglob("*.txt")) == []  # the storage check leaves nothing behind


def test_ready_sets_no_cookie_for_a_signed_in_user(world):
    client = world.client("coordinator")
    response = client.get("/halsa/ready")
    assert response.status_code == 200
    assert not response.cookies  # neither the session nor the CSRF cookie is touched


@pytest.mark.django_db
def test_ready_names_the_failing_check_and_nothing_secret(settings, caplog):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # keeps nothing
    settings.STORAGES = settings.STORAGES | {"default": {"BACKEND": f"{__name__}.BrokenStorage"}}
    with caplog.at_level(logging.INFO):
        response = Client().get("/halsa/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "failing": ["cache", "storage"]}
    assert b"hemlig" not in response.content and b"Permission" not in response.content
    # One warning per failing check, with the details, for the operator; no error per probe.
    assert [(r.name, r.levelname) for r in caplog.records] == [("lib.health", "WARNING")] * 2
    assert "hemlig-sokvag" in caplog.text


@pytest.mark.django_db
def test_ready_fails_while_a_migration_is_not_applied():
    MigrationRecorder.Migration.objects.filter(app="home").delete()
    response = Client().get("/halsa/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


@pytest.mark.django_db
def test_probes_are_not_logged(caplog):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="inkludera.request")
    assert Client().get("/halsa/live").status_code == 200
    assert Client().get("/halsa/ready").status_code == 200
    assert caplog.records == []


# --- The request log ---------------------------------------------------------------


def json_lines(records) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in records]


def test_a_request_line_names_the_route_and_nothing_about_the_person(world, caplog):
    caplog.set_level(logging.INFO)  # every logger, as LOG_FORMAT=json writes them
    caplog.set_level(logging.INFO, logger="inkludera.request")
    user = world.users["coordinator"]
    client = world.client("coordinator")
    address = "203.0.113.77"
    response = client.get(
        reverse("activities:list") + "?q=hemligt-sokord&page=1",
        REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=address, HTTP_X_REQUEST_ID="lb-4711-abcdef",
    )  # fmt: skip
    assert response.status_code == 200
    # A failed sign-in with the name and the e-mail address in the form.
    Client().post(reverse("login"), {"username": user.email, "password": "fel"}, REMOTE_ADDR=address)

    text = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    for secret in (
        user.username,
        user.email,
        address,
        "hemligt-sokord",
        "q=",
        "sessionid",
        client.cookies["sessionid"].value,
    ):
        assert secret not in text, secret
    lines = [line for line in json_lines(caplog.records) if line["logger"] == "inkludera.request"]
    assert lines[0] == {
        "time": lines[0]["time"],
        "level": "INFO",
        "logger": "inkludera.request",
        "message": "request",
        "request_id": "lb-4711-abcdef",  # the proxy's id, so its log and ours can be joined
        "method": "GET",
        "route": "activities:list",
        "status": 200,
        "duration_ms": lines[0]["duration_ms"],
    }
    assert response["X-Request-ID"] == "lb-4711-abcdef"
    assert lines[1]["route"] == "login" and lines[1]["method"] == "POST"
    assert len(lines[1]["request_id"]) == 32  # made here: none was given


def test_a_path_with_a_token_is_logged_by_its_route_name(world, caplog):
    caplog.set_level(logging.INFO, logger="inkludera.request")
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "hemlig-token-123"})
    response = Client().get(url, HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    lines = json_lines(caplog.records)
    assert [line["route"] for line in lines] == ["password_reset_confirm"]
    assert "hemlig-token" not in json.dumps(lines)
    assert response["X-Request-ID"] == lines[0]["request_id"] != "<script>alert(1)</script>"  # not taken as is


@task()
def probe(email: str) -> int:
    return len(email)


def test_a_task_logs_its_name_and_outcome_not_its_arguments(caplog):
    caplog.set_level(logging.INFO, logger="inkludera.task")
    probe.enqueue("anna.andersson@example.se")  # the immediate backend under pytest
    lines = json_lines(r for r in caplog.records if r.name == "inkludera.task")
    assert len(lines) == 1
    assert lines[0]["task"] == f"{__name__}.probe" and lines[0]["status"] == "SUCCESSFUL"
    assert lines[0]["queue"] == "default" and lines[0]["duration_ms"] >= 0
    assert "anna.andersson" not in json.dumps(lines)
