"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit served by
its own small Django project (tests/oidc_provider) in a subprocess, with its own SQLite
file, registered for Inkludera's live test server as a confidential client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
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


@contextmanager
def _running(command: list[str], log_path: Path, ready_url: str, name: str, env: dict | None = None):
    """A test provider started as a subprocess, ready when ``ready_url`` answers 200; stopped after."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"The test {name} stopped:\n{log_path.read_text(errors='replace')}")
            try:
                if requests.get(ready_url, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"The test {name} did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    with _running(command, log_path, f"{url}/o/.well-known/openid-configuration", "OpenID Connect provider", env):
        yield Provider(url, log_path)


# --- The SAML 2.0 identity provider (tests/saml_idp) ---------------------------------

SAML_IDP_VENV = REPO / ".cache" / "saml-idp-venv"
SAML_IDP_REQUIREMENTS = REPO / "tests" / "saml_idp" / "requirements.txt"


def _saml_idp_python() -> Path:
    """The provider's own interpreter (tests/saml_idp/__init__.py says why it has one),
    made or brought up to its pins when they changed. A lock keeps two test runs on one
    machine from installing at once."""
    import fcntl
    import hashlib

    python = SAML_IDP_VENV / "bin" / "python"
    stamp_file = SAML_IDP_VENV / ".installed"
    stamp = hashlib.sha256(SAML_IDP_REQUIREMENTS.read_bytes()).hexdigest()
    SAML_IDP_VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(SAML_IDP_VENV.parent / "saml-idp-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp_file.exists() and stamp_file.read_text().strip() == stamp and python.exists():
            return python
        base = getattr(sys, "_base_executable", sys.executable)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        for command in ([base, "-m", "venv", "--clear", str(SAML_IDP_VENV)], [*pip, "-r", str(SAML_IDP_REQUIREMENTS)]):
            result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode:
                pytest.fail(f"Could not set up the test SAML provider ({' '.join(command)}):\n{result.stderr}")
        stamp_file.write_text(stamp + "\n")
    return python


def _key_and_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A fresh RSA key and self-signed certificate, as an IdP's signing pair."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.idp.test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class SamlProvider(Provider):
    def __init__(self, url: str, log: Path, certificate: Path):
        super().__init__(url, log)
        self.entity_id = f"{url}/metadata"
        self.sso_url = f"{url}/sso/redirect"
        self.certificate = certificate


@pytest.fixture(scope="session")
def saml_provider(tmp_path_factory) -> SamlProvider:
    """A real SAML identity provider (pysaml2, signing with xmlsec1) on a free port."""
    if not Path("/usr/bin/xmlsec1").exists():
        pytest.fail(
            "The test SAML provider signs with xmlsec1: install the Debian package xmlsec1 (scripts/test does)."
        )
    python = _saml_idp_python()
    data_dir = tmp_path_factory.mktemp("saml-provider")
    key, cert = _key_and_certificate(data_dir, "trusted")
    other_key, other_cert = _key_and_certificate(data_dir, "other")
    log_path = data_dir / "provider.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        str(python),
        str(REPO / "tests" / "saml_idp" / "server.py"),
        "--port",
        str(port),
        "--key",
        str(key),
        "--cert",
        str(cert),
        "--other-key",
        str(other_key),
        "--other-cert",
        str(other_cert),
        "--dir",
        str(data_dir),
    ]
    with _running(command, log_path, f"{url}/health", "SAML provider"):
        yield SamlProvider(url, log_path, cert)
