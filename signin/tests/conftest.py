"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit served by
its own small Django project (tests/oidc_provider) in a subprocess, with its own SQLite
file, registered for Inkludera's live test server as a confidential client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
PROVIDER_ID = "test-idp"
CLIENT_ID = "inkludera-tests"
CLIENT_SECRET = "test-client-secret-not-used-anywhere-else"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    def __init__(self, url: str, log: Path):
        self.url = url
        self.log = log

    def set_mode(self, mode: str) -> None:
        requests.get(f"{self.url}/test-mode/{mode}/", timeout=10).raise_for_status()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory) -> Provider:
    """The provider's base URL (its OpenID Connect endpoints are under /o/)."""
    data_dir = tmp_path_factory.mktemp("oidc-provider")
    log_path = data_dir / "provider.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    callback = live_server.url + reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DIR": str(data_dir),
        "PYTHONPATH": str(REPO),
    }
    command = [
        sys.executable,
        "-m",
        "django",
        "serve_test_provider",
        f"127.0.0.1:{port}",
        "--redirect-uri",
        callback,
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        CLIENT_SECRET,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"The test OpenID Connect provider stopped:\n{log_path.read_text(errors='replace')}")
            try:
                if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"The test OpenID Connect provider did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield Provider(url, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
