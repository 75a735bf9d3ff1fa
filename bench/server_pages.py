"""The staff pages of a large city measured as an operator would: gunicorn, wrk, one table.

How to run it
-------------

    .venv/bin/python bench/server_pages.py [--db-kind sqlite|postgres|both] [--duration 15]
        [--db PATH] [--units 45] [--activities 3200] [--years 10] [--growth] [--growth-db PATH]
        [--report] [--cold] [--no-gzip] [--pages SUBSTRING ...]

It needs ``wrk`` (``apt-get install wrk``) and, for ``--db-kind postgres``,
PostgreSQL's server binaries (the ``postgresql`` package, as scripts/test). It
installs nothing. At the default size on SQLite it takes about six minutes
(15 s of wrk per row); ``both`` about twice that; ``--growth`` adds a second
city four times the size and its pages (about five minutes more per kind).
Run it on a quiet machine: the header gives the load average before and after.

What it does
------------

1. Prepares the large city (Storstad, 9999) of bench/generate_city.py
   (``--units/--activities/--years`` passed on): on SQLite in a new temporary
   file, or in ``--db PATH`` (reused if it already holds Storstad, migrated
   first); on PostgreSQL in a throwaway cluster started like scripts/test's but
   with PostgreSQL's own defaults (fsync and synchronous commit on), and the
   application's default settings (persistent connections, ``DB_CONN_MAX_AGE``
   60). The coordinator (``storstad-samordnare``) and Socialnämnden's unit
   contact (``storstad-kontakt-sn``) get the password ``storstad-demo``.
2. Starts ``gunicorn config.wsgi -w 2`` on a free port with ``DEBUG=0``, a
   random ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, ``SECURE_COOKIES=0``,
   ``BEHIND_TLS_PROXY=1`` (as behind its reverse proxy: the open-data rows
   send each request with its own X-Forwarded-For address, many clients each
   under the rate limit) and the default cache (the database cache). The only
   difference from production is bench/bench_settings.py's URLconf
   (bench/bench_urls.py), which adds ``/_bench/bare/``: a view that returns
   "ok" through the same middleware.
3. Signs in the coordinator and the contact through the sign-in form (GET,
   then a POST with the CSRF token) and checks that every page answers 200.
4. Runs ``wrk -t2 -c4 -d15s`` (``--duration``) on each page with
   bench/wrk_report.lua, which prints p50/p95/p99, the request count and the
   responses outside 2xx: the bare view anonymous and with the coordinator's
   cookie; the coordinator's start page, the plan page, the page of the goal
   with most activities, the coverage matrix, the indicator list, the page of
   the indicator with most measurements, Socialnämnden's report in the newest
   round read and edited (the contact's cookie), Socialnämnden's unit page, the
   activity list, the round list, the public start page /9999/ (if published;
   generate_city does not publish it), open-data plans (JSON) and activities
   (CSV). The CSV's time to first byte is measured once more on its own.
5. The interference test: one signed-in user (``wrk -t1 -c1``) on the bare
   view alone, with one anonymous client fetching the open-data activities
   CSV at 100 requests a minute (under the default limit of 120 requests; the
   API counts an export as several, so some are refused with 429: the note
   gives the statuses), and alone again; the slowdown is the user's request
   rate alone (the mean of the two runs) over the rate with the CSV client,
   minus one.
6. ``--growth``: a second city four times the size (``--activities 12800
   --years 20 --units 90``, or ``--growth-db PATH``) served by its own
   gunicorn next to the first, the same pages, and each page's p50 at 4× over
   its p50 at 1×. The two are measured alternately, three slices of a third of
   ``--duration`` each (1×, 4×, 1×, 4×, 1×, 4×), and compared by the median of
   their slices' p50: a drift in the machine's load (it is shared) then
   weighs on both alike instead of on whichever city ran second.
7. ``--report``: starts ``manage.py run_worker`` next to gunicorn, creates a
   council report of the six newest fully approved rounds through the form
   (summary, then complete), asks for a build and polls its status page; the
   time from the request to the finished build (a build makes the PDF and the
   Word file, so this is an upper bound for the PDF), and the peak memory of
   the worker's process tree, read from /proc every 0.2 s: the largest sum of
   Pss over the worker and its children (what the tree occupies: a page shared
   by the forkserver and the processes forked from it counts once), and the
   largest sum of VmRSS (which counts a shared page in every process sharing it).

8. ``--cold``: the servers run with ``PAGE_CACHE_SECONDS=0``, so every
   request builds its page as the first view after a change does. By default
   the page cache is on (as an operator gets it), and wrk, asking for one page
   over and over with nothing changing, measures pages served from it.

9. Every wrk request carries the ``Accept-Encoding`` header Chromium sends
   (``gzip, deflate, br, zstd``), as every browser's does: a page served from
   the page cache then goes out as the gzip file it is kept as.
   ``--no-gzip`` sends none (the page is decompressed for such a client).

What it prints
--------------

One table, a row per (database, page): p50 and p95 latency (ms), requests a
second, responses outside 2xx (and timeouts), the request rate as a ratio to
the signed-in bare view measured in the same run ("x bare"), with ``--growth``
the p50 at 4× over 1×, and a verdict against the targets of issue 15:

- a page: p95 <= 150 ms, x bare >= 0.15, no error, and (with ``--growth``)
  4x/1x p50 <= 1.5;
- the signed-in bare view: its rate at least half the anonymous one's
  (x bare there is signed-in / anonymous);
- the CSV's first byte: <= 200 ms; the interference: slowdown <= 20 %
  (the CSV's own row times whole exports, with 4x the rows at 4x: a file,
  not a page, it gets no page verdict);
- the council report: summary < 5 s, complete < 60 s and < 600 MiB.

A report, never an assertion: it exits 0 whatever the figures (1 only if it
could not run). Every run on a shared machine is noisy: compare figures taken
in the same run. bench/followup_pages.py times pages in process and profiles
them (``--profile``).
"""

# ruff: noqa: S603 - every command is this script's own (wrk, gunicorn, manage.py, PostgreSQL's tools)

from __future__ import annotations

import argparse
import http.client
import json
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
import urllib.parse
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
LUA = str(ROOT / "bench" / "wrk_report.lua")
PASSWORD = "storstad-demo"  # noqa: S105 - a throwaway city's accounts
COORDINATOR, CONTACT = "storstad-samordnare", "storstad-kontakt-sn"
CODE = "9999"

P95_TARGET_MS = 150
BARE_RATIO_TARGET = 0.15
SIGNED_IN_TARGET = 0.5  # within 2x of the anonymous bare view
GROWTH_TARGET = 1.5
FIRST_BYTE_TARGET_MS = 200
SLOWDOWN_TARGET = 0.20
CSV_PER_MINUTE = 100


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


# --- Databases ---------------------------------------------------------------------


def base_env() -> dict:
    """The environment an operator gives the application: production settings, the defaults
    for everything this benchmark does not name (cache, tasks, connection age)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB", "CACHE_URL", "TASKS_", "DJANGO_"))}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), PYTHONUNBUFFERED="1")
    for name in ("ALLOWED_HOSTS", "SECURE_COOKIES", "BEHIND_TLS_PROXY", "OPEN_DATA_REQUESTS_PER_MINUTE"):
        env.pop(name, None)
    return env


def holds_city(path: str) -> bool:
    if not Path(path).exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return bool(db.execute("SELECT 1 FROM organisations_municipality WHERE code = ?", (CODE,)).fetchone())
    except sqlite3.Error:
        return False


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def generate_city(env: dict, size: dict, db_path: str | None = None) -> float:
    """Make Storstad with bench/generate_city.py (it migrates first); seconds taken."""
    args = [f"--{name}={value}" for name, value in size.items()]
    if db_path:
        args.append(f"--db={db_path}")
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "bench/generate_city.py", *args, f"--password={PASSWORD}"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def sqlite_city(env: dict, size: dict, path: str | None, temp_dir: str) -> tuple[dict, str]:
    """The environment of a SQLite database holding Storstad, and a line saying where it came from."""
    env = {**env, "DB": "sqlite"}
    if path and holds_city(path):
        env["DB_NAME"] = path
        manage(env, "migrate", "-v0")
        return env, f"reused {path}"
    path = path or str(Path(temp_dir) / f"storstad-{size['activities']}.sqlite3")
    env["DB_NAME"] = path
    seconds = generate_city(env, size, path)
    return env, f"generated in {path} ({seconds:.0f} s)"


@contextmanager
def postgres_cluster(temp_dir: str):
    """A throwaway PostgreSQL cluster (as scripts/test starts one, but with PostgreSQL's
    default durability settings: fsync, synchronous_commit and full_page_writes on)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        sys.exit("PostgreSQL's server is not installed: apt-get install postgresql")
    pgbin = versions[-1]
    data = Path(tempfile.mkdtemp(prefix="bench-pg.", dir=temp_dir))
    as_pg = []
    if os.getuid() == 0:
        shutil.chown(data, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    quiet = {"check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(
        [*as_pg, pgbin / "initdb", "-D", data, "-U", "inkludera", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        **quiet,
    )
    options = f"-k {data} -p {port} -c listen_addresses=''"
    subprocess.run(
        [*as_pg, pgbin / "pg_ctl", "-D", data, "-l", data / "server.log", "-w", "-o", options, "start"], **quiet
    )
    try:
        yield {"DB": "postgres", "DB_HOST": str(data), "DB_PORT": str(port), "DB_USER": "inkludera"}, pgbin
    finally:
        subprocess.run([*as_pg, pgbin / "pg_ctl", "-D", data, "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(data, ignore_errors=True)


def postgres_city(env: dict, cluster: dict, pgbin: Path, size: dict, name: str) -> tuple[dict, str]:
    env = {**env, **cluster, "DB_NAME": name}
    subprocess.run(
        [pgbin / "createdb", "-h", cluster["DB_HOST"], "-p", cluster["DB_PORT"], "-U", "inkludera", name], check=True
    )
    seconds = generate_city(env, size)
    return env, f"generated in PostgreSQL {pgbin.parent.name}, database {name} ({seconds:.0f} s)"


def find_ids(env: dict) -> dict:
    """The objects the pages show, found by this file's ``_ids`` mode in a Django process."""
    out = subprocess.run([PYTHON, __file__, "_ids"], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ids_main() -> None:
    """Run in a subprocess with the database's environment: sets the two accounts' password
    (a reused file may have none) and prints the ids as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from followups.models import Round, UnitReport
    from indicators.models import Indicator
    from organisations.models import Municipality, OrgUnit
    from plans.models import Goal, Plan
    from public.models import PublicSite

    m = Municipality.objects.get(code=CODE)
    for user in get_user_model().objects.filter(username__in=[COORDINATOR, CONTACT]):
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
    plan = Plan.objects.filter(municipality=m).annotate(n=Count("activities")).order_by("-n", "pk").first()
    goal = Goal.objects.filter(plan=plan).annotate(n=Count("activities")).order_by("-n", "pk").first()
    unit = OrgUnit.objects.get(municipality=m, name="Socialnämnden")
    newest = Round.objects.filter(plan=plan).order_by("-period_end", "-pk").first()
    report = UnitReport.objects.get(round=newest, unit=unit)
    indicator = Indicator.objects.filter(municipality=m).annotate(n=Count("measurements")).order_by("-n", "pk").first()
    approved = [
        r.pk
        for r in Round.objects.filter(plan=plan).order_by("-period_end", "-pk")
        if not UnitReport.objects.filter(round=r).exclude(status=UnitReport.Status.APPROVED).exists()
    ][:6]
    ids = {
        "plan": plan.pk,
        "goal": goal.pk,
        "goal_activities": goal.n,
        "unit": unit.pk,
        "round": newest.pk,
        "report": report.pk,
        "indicator": indicator.pk,
        "published": PublicSite.objects.filter(municipality=m, published=True).exists(),
        "approved_rounds": approved,
    }
    print(json.dumps(ids))


# --- The server and its clients --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --cold: the page cache off (PAGE_CACHE_SECONDS=0), so every request builds its page, as the
# first view after any change does. Set by main().
PAGE_CACHE_SECONDS: str | None = None


def server_env(env: dict) -> dict:
    cold = {"PAGE_CACHE_SECONDS": PAGE_CACHE_SECONDS} if PAGE_CACHE_SECONDS is not None else {}
    return {
        **env,
        **cold,
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "BEHIND_TLS_PROXY": "1",
        # The pages are measured, not the sign-in: the coordinator signs in with a password
        # alone (in production that role also gives a second factor once, at sign-in).
        "MFA_REQUIRED_ROLES": "",
    }


@contextmanager
def gunicorn(env: dict, temp_dir: str):
    """gunicorn config.wsgi -w 2 on a free port; yields its port once the bare view answers."""
    port = free_port()
    log = open(Path(temp_dir) / f"gunicorn-{port}.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=ROOT,
        env=server_env(env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "/_bench/bare/")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                sys.exit(f"gunicorn did not start:\n{log.read()[-3000:]}")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def request(port: int, path: str, *, method="GET", headers=None, body=None, timeout=60):
    """One request, no redirects followed: (status, headers as a list, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers: list) -> dict:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, username: str) -> str:
    """Sign in through the sign-in form as a browser does; returns the Cookie header."""
    status, headers, body = request(port, "/logga-in/")
    if status != 200:
        sys.exit(f"GET /logga-in/ answered {status}")
    cookies = cookies_from(headers)
    html = body.decode()
    form = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            form[name.group(1)] = value.group(1) if value else ""
    form.update(username=username, password=PASSWORD)
    status, headers, _ = request(
        port,
        "/logga-in/",
        method="POST",
        body=urllib.parse.urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    cookies.update(cookies_from(headers))
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"signing in as {username} failed (status {status})")
    # The page the sign-in leads to, as a browser follows it: it shows the sign-in's message
    # and clears the message cookie (kept, every request would carry a message to show).
    _, headers, _ = request(port, "/", headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    cookies.update(cookies_from(headers))
    return "; ".join(f"{k}={v}" for k, v in cookies.items() if v and v != '""')


@dataclass
class Result:
    p50: float = 0.0  # ms
    p95: float = 0.0
    rate: float = 0.0  # requests a second
    errors: int = 0  # responses outside 2xx, timeouts, socket errors
    note: str = ""
    extra: dict = field(default_factory=dict)


# What Chromium sends; --no-gzip: none (a client that accepts no compression).
ACCEPT_ENCODING: str | None = "gzip, deflate, br, zstd"


def wrk(port: int, path: str, cookie: str | None, duration: float, *, connections=4, threads=2, rotate=False) -> Result:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s", "-s", LUA]
    if ACCEPT_ENCODING:
        command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "BENCH_ROTATE_ADDRESS": "1" if rotate else "0"}
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], env=env, capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        return Result(note=f"wrk failed: {(out.stderr or out.stdout).strip()[:120]}")
    r = json.loads(line.removeprefix("BENCH "))
    seconds = r["duration_us"] / 1e6
    socket_errors = r["connect_errors"] + r["read_errors"] + r["write_errors"]
    result = Result(
        p50=r["p50_us"] / 1000,
        p95=r["p95_us"] / 1000,
        rate=r["requests"] / seconds if seconds else 0.0,
        errors=r["non2xx"] + r["timeouts"] + socket_errors,
        extra=r,
    )
    if not r["requests"]:
        result.note = f"no request finished in {duration:g} s"
        result.errors = max(result.errors, 1)
    elif r["timeouts"]:
        result.note = f"{r['timeouts']} timeouts (10 s)"
    return result


def warm(port: int, path: str, cookie: str | None, rotate: bool) -> str | None:
    """A few requests (both workers compile their templates); None, or why the page cannot be measured."""
    for i in range(4):
        headers = {"Cookie": cookie} if cookie else {}
        if rotate:
            headers["X-Forwarded-For"] = f"192.0.2.{i + 1}"
        status, response_headers, _ = request(port, path, headers=headers)
        if status != 200:
            location = dict((k.lower(), v) for k, v in response_headers).get("location", "")
            return f"answers {status} {location}".strip()
    return None


def first_byte(port: int, path: str, rounds: int = 3) -> tuple[float, float, int]:
    """Median milliseconds to the first byte of the body and to the last, and the size."""
    firsts, totals, size = [], [], 0
    for i in range(rounds):
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", path, headers={"X-Forwarded-For": f"198.51.100.{i + 1}"})
        response = conn.getresponse()
        response.read(1)
        firsts.append((time.perf_counter() - started) * 1000)
        size = 1 + len(response.read())
        totals.append((time.perf_counter() - started) * 1000)
        conn.close()
    return statistics.median(firsts), statistics.median(totals), size


class CsvClient(threading.Thread):
    """One anonymous client fetching a path at ``per_minute`` requests a minute (one
    connection: when a request takes longer than the interval the next follows at once)."""

    def __init__(self, port: int, path: str, per_minute: int):
        super().__init__(daemon=True)
        self.port, self.path, self.interval = port, path, 60 / per_minute
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.seconds: list[float] = []

    def run(self) -> None:
        next_at = time.monotonic()
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                status = request(self.port, self.path, headers={"X-Forwarded-For": "203.0.113.9"})[0]
            except OSError:
                status = 0
            self.statuses.append(status)
            self.seconds.append(time.monotonic() - started)
            next_at += self.interval
            self.stop.wait(max(0.0, next_at - time.monotonic()))


# --- Pages -------------------------------------------------------------------------------


def pages(ids: dict) -> list[tuple[str, str, str | None, bool]]:
    """(name, path, who: "coordinator", "contact" or None for anonymous, rotate addresses)."""
    report = ids["report"]
    listed = [
        ("start page (coordinator)", "/", "coordinator", False),
        ("plan page", f"/planer/{ids['plan']}/", "coordinator", False),
        (f"goal page ({ids['goal_activities']} activities)", f"/planer/mal/{ids['goal']}/", "coordinator", False),
        ("coverage matrix", "/uppfoljning/tackning/", "coordinator", False),
        ("indicator list", "/indikatorer/", "coordinator", False),
        ("indicator page", f"/indikatorer/{ids['indicator']}/", "coordinator", False),
        ("committee report, read (contact)", f"/uppfoljning/rapport/{report}/", "contact", False),
        ("committee report, edit (contact)", f"/uppfoljning/rapport/{report}/redigera/", "contact", False),
        ("unit page", f"/enheter/{ids['unit']}/", "coordinator", False),
        ("activity list", "/aktiviteter/", "coordinator", False),
        ("round list", "/uppfoljning/", "coordinator", False),
        ("public start page", f"/{CODE}/", None, False),
        ("open-data plans JSON", f"/api/v1/kommuner/{CODE}/planer/", None, True),
        (CSV_NAME, f"/api/v1/kommuner/{CODE}/aktiviteter.csv", None, True),
    ]
    return listed


CSV_PATH = f"/api/v1/kommuner/{CODE}/aktiviteter.csv"
CSV_NAME = "open-data activities CSV"


def measure_pages(port: int, ids: dict, cookies: dict, args, *, bare: bool) -> dict[str, Result]:
    results: dict[str, Result] = {}
    if bare:
        for name, who in (("bare view, anonymous", None), ("bare view, signed-in", "coordinator")):
            say(name)
            results[name] = wrk(port, "/_bench/bare/", cookies.get(who), args.duration)
    for name, path, who, rotate in pages(ids):
        if args.pages and not any(s in name for s in args.pages):
            continue
        if path == f"/{CODE}/" and not ids["published"]:
            results[name] = Result(note="not published: not measured")
            continue
        problem = warm(port, path, cookies.get(who), rotate)
        if problem:
            results[name] = Result(note=problem, errors=-1)
            continue
        say(f"{name}: {path}")
        results[name] = wrk(port, path, cookies.get(who), args.duration, rotate=rotate)
    return results


def interference(port: int, cookie: str, duration: float) -> tuple[Result, Result, Result, CsvClient]:
    say("interference: the signed-in bare view alone, with the CSV client, alone again")
    before = wrk(port, "/_bench/bare/", cookie, duration, connections=1, threads=1)
    client = CsvClient(port, CSV_PATH, CSV_PER_MINUTE)
    client.start()
    during = wrk(port, "/_bench/bare/", cookie, duration, connections=1, threads=1)
    client.stop.set()
    client.join(timeout=120)
    after = wrk(port, "/_bench/bare/", cookie, duration, connections=1, threads=1)
    return before, during, after, client


# --- The council report through the worker ------------------------------------------------


def tree_memory_kib(pid: int) -> tuple[int, int]:
    """The memory of a process and all its descendants (KiB), from /proc: the sum of their
    resident sets (VmRSS), and of their proportional sets (Pss, smaps_rollup), which
    counts a page shared by several processes once in all (the forkserver and the
    processes forked from it share their WeasyPrint; RSS counts it in each)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    rss = pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        for name, prefix in (("status", "VmRSS:"), ("smaps_rollup", "Pss:")):
            try:
                for line in Path(f"/proc/{current}/{name}").read_text().splitlines():
                    if line.startswith(prefix):
                        value = int(line.split()[1])
                        rss, pss = (rss + value, pss) if prefix == "VmRSS:" else (rss, pss + value)
                        break
            except OSError:
                pass
    return rss, pss


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def council_reports(env: dict, port: int, cookie: str, ids: dict, temp_dir: str) -> dict[str, Result]:
    results: dict[str, Result] = {}
    commands = subprocess.run(
        [PYTHON, "manage.py", "help", "--commands"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout.split()
    if "run_worker" not in commands:
        for detail in ("sammanfattning", "full"):
            results[f"council report build, {detail}"] = Result(note="skipped: manage.py run_worker is not there")
        return results
    log = open(Path(temp_dir) / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "run_worker"], cwd=ROOT, env=server_env(env), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        for detail in ("sammanfattning", "full"):
            name = f"council report build, {detail}"
            say(name)
            results[name] = build_report(port, cookie, ids, detail, worker.pid)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
    return results


def build_report(port: int, cookie: str, ids: dict, detail: str, worker_pid: int) -> Result:
    status, _, body = request(port, "/rapporter/ny/", headers={"Cookie": cookie})
    if status != 200:
        return Result(note=f"/rapporter/ny/ answered {status}", errors=-1)
    form = [
        ("csrfmiddlewaretoken", csrf_from(body.decode())),
        ("plan", str(ids["plan"])),
        *(("rounds", str(pk)) for pk in ids["approved_rounds"]),
        ("title", f"Uppföljning till kommunfullmäktige ({detail})"),
        ("detail", detail),
        ("summary", "Sammanfattning."),
        ("analysis", "Analys."),
        ("conclusions", "Slutsatser."),
    ]
    post = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    status, headers, _ = request(port, "/rapporter/ny/", method="POST", body=urllib.parse.urlencode(form), headers=post)
    location = dict((k.lower(), v) for k, v in headers).get("location", "")
    found = re.search(r"/rapporter/(\d+)/", location)
    if status != 302 or not found:
        return Result(note=f"creating the report answered {status}", errors=-1)
    report = found.group(1)
    status, _, body = request(port, f"/rapporter/{report}/", headers={"Cookie": cookie})
    token = csrf_from(body.decode())
    started = time.perf_counter()
    peak = peak_pss = 0
    status, _, _ = request(
        port,
        f"/rapporter/{report}/bygg/",
        method="POST",
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token}),
        headers=post,
    )
    if status != 302:
        return Result(note=f"asking for a build answered {status}", errors=-1)
    status, _, body = request(port, f"/rapporter/{report}/", headers={"Cookie": cookie})
    builds = re.findall(r"/rapporter/byggen/(\d+)/", body.decode())
    if not builds:
        return Result(note="no build on the report page", errors=-1)
    build = max(builds, key=int)
    state = {}
    while time.perf_counter() - started < 900:
        rss, pss = tree_memory_kib(worker_pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        status, _, body = request(port, f"/rapporter/byggen/{build}/status/", headers={"Cookie": cookie})
        state = json.loads(body) if status == 200 else {}
        if not state.get("active", True):
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    ok = state.get("status") == "klar"  # Build.Status.DONE
    return Result(
        p50=seconds * 1000,
        errors=0 if ok else 1,
        note=(
            f"build {state.get('status', 'unknown')}, worker tree's peak {peak_pss / 1024:.0f} MiB "
            f"(Pss; summed RSS {peak / 1024:.0f} MiB)"
        ),
        extra={"peak_mib": peak_pss / 1024, "peak_rss_mib": peak / 1024, "status": state.get("status")},
    )


# --- The table --------------------------------------------------------------------------


def verdict(name: str, r: Result, bare_rate: float, growth: float | None) -> str:
    if r.errors < 0 or not (r.extra or r.rate or r.p50):
        return ""
    failed = []
    if r.errors:
        failed.append("errors")
    if r.p95 > P95_TARGET_MS:
        failed.append(f"p95>{P95_TARGET_MS}")
    if bare_rate and r.rate / bare_rate < BARE_RATIO_TARGET:
        failed.append(f"<{BARE_RATIO_TARGET}x")
    if growth is not None and growth > GROWTH_TARGET:
        failed.append(f"4x>{GROWTH_TARGET}")
    return "FAIL " + ", ".join(failed) if failed else "PASS"


def print_table(runs: list[dict], args) -> None:
    growth_column = any(run.get("growth") for run in runs)
    head = f"{'db':8} {'page':38} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>6} {'x bare':>7}"
    if growth_column:
        head += f" {'4x p50':>7}"
    print(head + "  verdict / note")
    print("-" * (len(head) + 24))

    def row(db, name, r: Result | None, ratio="", growth="", verdict_text="", note=""):
        measured = r is not None and bool(r.rate or r.p50 or r.extra)
        by_wrk = r is not None and bool(r.rate or r.extra)  # a single timing has no rate or error count
        cells = (
            f"{db:8} {name:38} "
            + (f"{r.p50:8.1f} {r.p95:8.1f} " if measured else f"{'':8} {'':8} ")
            + (f"{r.rate:8.1f} {r.errors:6d} " if by_wrk else f"{'':8} {'':6} ")
            + f"{ratio:>7}"
        )
        if growth_column:
            cells += f" {growth:>7}"
        print(f"{cells}  {' '.join(x for x in (verdict_text, note) if x)}")

    for run in runs:
        db, results, growth = run["db"], run["pages"], run.get("growth") or {}
        anonymous, signed = results.get("bare view, anonymous"), results.get("bare view, signed-in")
        bare_rate = signed.rate if signed else 0.0
        if anonymous:
            row(db, "bare view, anonymous", anonymous)
        if signed:
            ratio = signed.rate / anonymous.rate if anonymous and anonymous.rate else 0.0
            row(
                db,
                "bare view, signed-in",
                signed,
                f"{ratio:.2f}",
                verdict_text="PASS" if ratio >= SIGNED_IN_TARGET else f"FAIL <{SIGNED_IN_TARGET}x anonymous",
                note="(x bare: signed-in / anonymous)",
            )
        for name, r in results.items():
            if name.startswith("bare view"):
                continue
            g = growth.get(name)  # (1x, 4x), measured alternately
            ratio_g = g[1].p50 / g[0].p50 if g is not None and g[1].rate and g[0].p50 else None
            if name == CSV_NAME:
                # A whole export (4x the rows at 4x), not a page: its targets are the
                # first byte and the slowdown of a signed-in user (the rows below).
                verdict_text = "FAIL errors" if r.errors else "(a file: see the rows below)"
            else:
                verdict_text = verdict(name, r, bare_rate, ratio_g)
            row(
                db,
                name,
                r,
                f"{r.rate / bare_rate:.2f}" if bare_rate and r.rate else "",
                f"{ratio_g:.2f}" if ratio_g is not None else "",
                verdict_text,
                r.note,
            )
        if "first_byte" in run:
            first, total, size = run["first_byte"]
            row(
                db,
                "open-data CSV, first byte (alone)",
                Result(p50=first, p95=first),
                verdict_text="PASS" if first <= FIRST_BYTE_TARGET_MS else f"FAIL >{FIRST_BYTE_TARGET_MS} ms",
                note=f"whole file {total:.0f} ms, {size / 1024:.0f} kB",
            )
        if "interference" in run:
            before, during, after, client = run["interference"]
            alone = (before.rate + after.rate) / 2
            slowdown = alone / during.rate - 1 if during.rate else float("inf")
            row(db, "1 signed-in user, bare view, alone", Result(before.p50, before.p95, alone))
            statuses = ", ".join(f"{client.statuses.count(s)} x {s}" for s in sorted(set(client.statuses)))
            served = statistics.median(client.seconds) * 1000 if client.seconds else 0
            row(
                db,
                f"  with CSV at {CSV_PER_MINUTE}/min",
                during,
                verdict_text="PASS" if slowdown <= SLOWDOWN_TARGET else f"FAIL >{SLOWDOWN_TARGET:.0%}",
                note=(f"slowdown {slowdown:+.0%}; CSV client: {statuses} (status), p50 {served:.0f} ms"),
            )
        for name, r in (run.get("report") or {}).items():
            limit = 5 if "sammanfattning" in name else 60
            failed = []
            if r.p50 and r.p50 / 1000 >= limit:
                failed.append(f">={limit} s")
            if r.p50 and "full" in name and r.extra.get("peak_mib", 0) >= 600:
                failed.append(">=600 MiB")
            if r.errors:
                failed.append("not built")
            text = ("FAIL " + ", ".join(failed) if failed else "PASS") if r.p50 else ""
            note = f"{r.p50 / 1000:.1f} s from the request to the files; {r.note}" if r.p50 else r.note
            row(db, name, None, verdict_text=text, note=note)


# --- Main -----------------------------------------------------------------------------------


def run_kind(kind: str, args, temp_dir: str, stack: list) -> dict:
    env = base_env()
    size = {"units": args.units, "activities": args.activities, "years": args.years}
    cluster = pgbin = None
    if kind == "sqlite":
        say("preparing the city on SQLite")
        env, where = sqlite_city(env, size, args.db, temp_dir)
    else:
        say("starting a throwaway PostgreSQL cluster")
        manager = postgres_cluster(temp_dir)
        cluster, pgbin = manager.__enter__()
        stack.append(manager)
        say("preparing the city on PostgreSQL")
        env, where = postgres_city(env, cluster, pgbin, size, "storstad")
    say(f"city: {where}")
    ids = find_ids(env)
    run = {"db": kind, "where": where}
    env4 = ids4 = None
    if args.growth:
        say("preparing the city at 4x")
        big = {"units": args.units * 2, "activities": args.activities * 4, "years": args.years * 2}
        if kind == "sqlite":
            env4, where4 = sqlite_city(base_env(), big, args.growth_db, temp_dir)
        else:
            env4, where4 = postgres_city(base_env(), cluster, pgbin, big, "storstad4x")
        say(f"city at 4x: {where4}")
        run["where"] += f"; 4x: {where4}"
        ids4 = find_ids(env4)
    with gunicorn(env, temp_dir) as port, gunicorn(env4, temp_dir) if env4 else nullcontext() as port4:
        cookies = {"coordinator": sign_in(port, COORDINATOR), "contact": sign_in(port, CONTACT)}
        run["pages"] = measure_pages(port, ids, cookies, args, bare=True)
        if not args.pages or any(s in CSV_NAME for s in args.pages):
            run["first_byte"] = first_byte(port, CSV_PATH)
            run["interference"] = interference(port, cookies["coordinator"], args.duration)
        if args.report:
            run["report"] = council_reports(env, port, cookies["coordinator"], ids, temp_dir)
        if port4:
            cookies4 = {"coordinator": sign_in(port4, COORDINATOR), "contact": sign_in(port4, CONTACT)}
            run["growth"] = measure_growth((port, ids, cookies), (port4, ids4, cookies4), args)
    return run


GROWTH_SLICES = 3


def measure_growth(small: tuple, big: tuple, args) -> dict[str, tuple[Result, Result]]:
    """Each page at 1x and at 4x, alternately (GROWTH_SLICES slices of each):
    (1x, 4x) with the median of the slices' p50, p95 and rate."""
    port, ids, cookies = small
    port4, ids4, cookies4 = big
    out = {}
    # The same pages in the same order (a name may differ: "goal page (N activities)").
    for (name, path, who, rotate), (_name4, path4, _who4, _rotate4) in zip(pages(ids), pages(ids4), strict=True):
        if args.pages and not any(s in name for s in args.pages):
            continue
        if path == f"/{CODE}/" and not (ids["published"] and ids4["published"]):
            continue
        if warm(port, path, cookies.get(who), rotate) or warm(port4, path4, cookies4.get(who), rotate):
            continue
        say(f"{name}: 1x and 4x alternately")
        slices: tuple[list[Result], list[Result]] = ([], [])
        seconds = max(1, round(args.duration / GROWTH_SLICES))  # wrk takes whole seconds
        for _ in range(GROWTH_SLICES):
            slices[0].append(wrk(port, path, cookies.get(who), seconds, rotate=rotate))
            slices[1].append(wrk(port4, path4, cookies4.get(who), seconds, rotate=rotate))
        out[name] = tuple(
            Result(
                p50=statistics.median(r.p50 for r in rs),
                p95=statistics.median(r.p95 for r in rs),
                rate=statistics.median(r.rate for r in rs),
                errors=sum(r.errors for r in rs),
            )
            for rs in slices
        )
    return out


def main() -> None:
    if sys.argv[1:2] == ["_ids"]:
        ids_main()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-kind", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of wrk per row (default 15)")
    parser.add_argument("--db", help="SQLite file: reused if it holds Storstad, else the city is made in it")
    parser.add_argument("--units", type=int, default=45)
    parser.add_argument("--activities", type=int, default=3200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--growth", action="store_true", help="also a city 4x the size: p50 at 4x / 1x")
    parser.add_argument("--growth-db", help="SQLite file for the 4x city (reused if it holds Storstad)")
    parser.add_argument("--report", action="store_true", help="also time council report builds in the worker")
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose name contains one of these")
    parser.add_argument(
        "--cold", action="store_true", help="the page cache off: every request builds its page (a first view)"
    )
    parser.add_argument(
        "--no-gzip", action="store_true", help="send no Accept-Encoding (by default wrk sends a browser's)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    kinds = ["sqlite", "postgres"] if args.db_kind == "both" else [args.db_kind]
    global PAGE_CACHE_SECONDS, ACCEPT_ENCODING
    PAGE_CACHE_SECONDS = "0" if args.cold else None
    if args.no_gzip:
        ACCEPT_ENCODING = None
    temp_dir = tempfile.mkdtemp(prefix="bench-server.")
    os.chmod(temp_dir, 0o755)  # noqa: S103 - PostgreSQL's user reaches its data directory through it
    stack: list = []
    runs = []
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        for kind in kinds:
            runs.append(run_kind(kind, args, temp_dir, stack))
    finally:
        for manager in reversed(stack):
            manager.__exit__(None, None, None)
        shutil.rmtree(temp_dir, ignore_errors=True)
    load_after = os.getloadavg()[0]
    print(
        f"\ngunicorn config.wsgi -w 2, DEBUG=0, database cache, page cache {'off' if args.cold else 'on'}; "
        f"wrk -t2 -c4 -d{args.duration:g}s per row, Accept-Encoding: {ACCEPT_ENCODING or '(none)'}; "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and {load_after:.1f} after; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    for run in runs:
        print(f"{run['db']}: city {run['where']}")
    print(
        f"Targets: p95 <= {P95_TARGET_MS} ms, x bare >= {BARE_RATIO_TARGET} (req/s over the signed-in bare view), "
        f"4x p50 <= {GROWTH_TARGET}, signed-in bare >= {SIGNED_IN_TARGET} x anonymous, CSV first byte <= "
        f"{FIRST_BYTE_TARGET_MS} ms, slowdown <= {SLOWDOWN_TARGET:.0%}; errors: responses outside 2xx, timeouts.\n"
    )
    print_table(runs, args)


if __name__ == "__main__":
    main()
