"""The open-data CSV of every activity at large-city scale (docs/open-data.md, "Full exports").

How to run it
-------------

    .venv/bin/python bench/opendata_csv.py --db /tmp/city1x.sqlite3 [--db4 /tmp/city4x.sqlite3]
        [--duration 20] [--skip-server]

``--db`` (and ``--db4``) are SQLite files holding Storstad (bench/generate_city.py
at the default size, and with ``--activities 12800 --years 20 --units 90``).
They are copied first: nothing is written to them. It prints:

1. In process, per city: the time to the first byte, the whole time and the
   peak of Python's memory (tracemalloc) of the activities CSV as the view
   streams it (the cache off), and, for comparison, of the same records made
   the way the view did before (every record serialized, then the file built
   in memory).
2. Against ``gunicorn config.wsgi -w 2`` (DEBUG=0, a random SECRET_KEY, the
   database cache, BEHIND_TLS_PROXY=1 so each measuring request can come
   from its own address; bench/bench_settings.py's URLconf for its bare view):
   curl's time to the first byte and total of the CSV, cold (cache emptied
   before each) and warm (from the shared cache), medians of five; then a
   signed-in coordinator's requests to the bare view, one after another for
   ``--duration`` seconds, alone and while one anonymous client fetches the
   CSV 100 times a minute (under the default limit of 120 requests; each
   whole CSV counts as 20, so most of its requests are refused with 429).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# ruff: noqa: S603, S607, S310 - every command and address is this script's own (curl, gunicorn, manage.py, 127.0.0.1)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CSV_PATH = "/api/v1/kommuner/9999/aktiviteter.csv"


def in_process(db: str) -> None:
    """Run in a child process with DB_NAME set: streamed and before, one city."""
    import tracemalloc

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import translation

    from opendata import tabular, views
    from organisations.models import Municipality

    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0
    settings.OPEN_DATA_CACHE_SECONDS = 0
    client = Client(HTTP_HOST="127.0.0.1")
    b"".join(client.get(CSV_PATH).streaming_content)  # warm up: imports, URLs

    def streamed():
        response = client.get(CSV_PATH)
        start = time.perf_counter()
        first, size = None, 0
        for block in response.streaming_content:
            first = first if first is not None else time.perf_counter() - start
            size += len(block)
        return first, size

    def before():  # the old view: every record serialized, the file built in memory
        with translation.override("sv"):
            view = views.Activities()
            view.request, view.format_kwarg, view.kwargs = None, None, {"kommunkod": "9999"}
            municipality = Municipality.objects.get(code="9999")
            records = view.serialize(municipality, view.objects(municipality))
            data = b"".join(tabular.csv_lines(records, view.columns))
        return None, len(data)

    rows = []
    for name, run in (("streamed", streamed), ("before", before)):
        times, firsts, peaks, size = [], [], [], 0
        for _ in range(3):
            tracemalloc.start()
            t = time.perf_counter()
            first, size = run()
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            t = time.perf_counter()
            run()  # untraced: the time
            times.append(time.perf_counter() - t)
            firsts.append(first)
        first = f"{statistics.median(firsts) * 1000:.0f} ms" if firsts[0] is not None else "(whole file)"
        rows.append(
            f"  {name:9} first byte {first:>12}  total {statistics.median(times) * 1000:6.0f} ms  "
            f"peak {statistics.median(peaks) / 2**20:5.1f} MiB  size {size / 2**10:,.0f} kB"
        )
    from activities.models import Activity

    count = Activity.objects.filter(municipality__code="9999", visibility="publik").count()
    print(f"{db}: {count} public activities")
    print("\n".join(rows), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def curl(url: str, address: str) -> tuple[float, float, int]:
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-H", f"X-Forwarded-For: {address}", "-w",
         "%{time_starttransfer} %{time_total} %{http_code}", url],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1]), int(out[2])


def sign_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/logga-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "storstad-samordnare", "password": "storstad-demo"}
    ).encode()
    request = urllib.request.Request(base + "/logga-in/", data=data, headers={"Referer": base + "/logga-in/"})
    opener.open(request).read()
    assert any(c.name == "sessionid" for c in jar), "sign-in failed"
    return opener


def timed_loop(opener, url: str, seconds: float) -> list[float]:
    times = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.perf_counter()
        opener.open(url).read()
        times.append(time.perf_counter() - t)
    return times


def abuser(url: str, stop: threading.Event, counts: dict) -> None:
    """One anonymous client, one address, 100 requests a minute."""
    while not stop.is_set():
        t = time.monotonic()
        request = urllib.request.Request(url, headers={"X-Forwarded-For": "203.0.113.7"})
        try:
            with urllib.request.urlopen(request) as response:
                response.read()
                counts[response.status] = counts.get(response.status, 0) + 1
        except urllib.error.HTTPError as error:
            counts[error.code] = counts.get(error.code, 0) + 1
        stop.wait(max(0.0, 0.6 - (time.monotonic() - t)))


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def server(db: str, duration: float) -> None:
    work = Path(tempfile.mkdtemp(prefix="opendata-bench-"))
    copy = work / "city.sqlite3"
    shutil.copy(db, copy)
    port = free_port()
    env = {
        **os.environ,
        "DB_NAME": str(copy),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "BEHIND_TLS_PROXY": "1",
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
    }
    env.pop("CACHE_URL", None)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/halsa/live").read()
                break
            except OSError:
                time.sleep(0.2)
        n = iter(range(1, 10**6))
        curl(base + CSV_PATH, "198.51.100.1")  # warm up both workers
        curl(base + CSV_PATH, "198.51.100.2")
        cold, warm = [], []
        for _ in range(5):
            with sqlite3.connect(copy) as connection:
                connection.execute("DELETE FROM inkludera_cache WHERE cache_key LIKE '%opendata:csv%'")
            cold.append(curl(base + CSV_PATH, f"198.51.100.{next(n) + 10}"))
        for _ in range(5):
            warm.append(curl(base + CSV_PATH, f"198.51.100.{next(n) + 10}"))
        for name, runs in (("cold (made, stored)", cold), ("warm (from the cache)", warm)):
            first = statistics.median(r[0] for r in runs) * 1000
            total = statistics.median(r[1] for r in runs) * 1000
            print(f"  CSV {name:22} first byte {first:6.0f} ms  total {total:6.0f} ms  status {runs[0][2]}")
        opener = sign_in(base)
        bare = base + "/_bench/bare/"
        timed_loop(opener, bare, 2)
        alone = timed_loop(opener, bare, duration)
        stop, counts = threading.Event(), {}
        thread = threading.Thread(target=abuser, args=(base + CSV_PATH, stop, counts))
        thread.start()
        busy = timed_loop(opener, bare, duration)
        stop.set()
        thread.join()
        alone2 = timed_loop(opener, bare, duration)  # alone again: the machine's drift
        for name, times in (
            ("signed-in bare view alone", alone),
            ("with a CSV client at 100/min", busy),
            ("alone again", alone2),
        ):
            print(f"  {name:30} p50 {p(times, 0.5):6.1f} ms  p95 {p(times, 0.95):6.1f} ms  n={len(times)}")
        print(f"  the CSV client's answers: {dict(sorted(counts.items()))}")  # fmt: skip
        base_p50 = statistics.median([statistics.median(alone), statistics.median(alone2)])
        print(f"  slowdown of the p50: {statistics.median(busy) / base_p50:.2f}×")
    finally:
        gunicorn.terminate()
        gunicorn.wait()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--db4")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--in-process", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        in_process(args.in_process)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores; other work on the machine shows in every figure)")
    print("In process (activities CSV, cache off):")
    for db in filter(None, (args.db, args.db4)):
        with tempfile.TemporaryDirectory() as work:
            copy = Path(work) / "city.sqlite3"
            shutil.copy(db, copy)
            env = {**os.environ, "DB_NAME": str(copy), "DEBUG": "1"}
            subprocess.run([PYTHON, __file__, "--db", db, "--in-process", db], cwd=ROOT, env=env, check=True)
    if not args.skip_server:
        print(f"gunicorn -w 2, DEBUG=0, database cache, {args.db}:")
        server(args.db, args.duration)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
