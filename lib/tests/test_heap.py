"""The app server's heap frozen once warm (lib/heap.py)."""

import os
import subprocess
import sys
from pathlib import Path

from lib import heap

ROOT = Path(__file__).resolve().parents[2]


def test_the_heap_is_frozen_after_the_first_tenth_and_hundredth_request(monkeypatch):
    frozen_at = []
    monkeypatch.setattr(heap, "_requests", 0)
    monkeypatch.setattr(heap, "freeze", lambda: frozen_at.append(heap._requests))
    for _ in range(250):
        heap.freeze_after_warm_up()
    assert frozen_at == [1, 10, 100]


def test_the_wsgi_application_freezes_its_heap_and_keeps_freezing_after_requests():
    """In a process of its own: a frozen heap would stay frozen for the rest of the test run."""
    script = (
        "import gc\n"
        "from config.wsgi import application\n"
        "from django.core.signals import request_finished\n"
        "from lib import heap\n"
        "at_start = gc.get_freeze_count()\n"
        "receivers = [r for r in request_finished._live_receivers(None)[0] if r is heap.freeze_after_warm_up]\n"
        "print(at_start > 10_000, len(receivers))\n"
    )
    env = {**os.environ, "DEBUG": "1", "DB": "sqlite", "DB_NAME": ":memory:"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    command = [sys.executable, "-c", script]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603 - this interpreter
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "1"]
