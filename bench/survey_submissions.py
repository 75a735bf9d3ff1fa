"""Many anonymous survey answers at once, against a real server (gunicorn), on SQLite and PostgreSQL.

How to run it
-------------

    .venv/bin/python bench/survey_submissions.py [--db sqlite|postgres|both] [--submissions 200]
        [--workers 3] [--threads 1] [--timeout 120] [--keep]

Takes about half a minute for both databases at the default size. The
PostgreSQL part needs the Debian server binaries (/usr/lib/postgresql/*/bin,
as scripts/test installs them); without them it is skipped, and the report
says why. Nothing outside a temporary directory is touched.

What it does
------------

For each database, in a temporary directory: a throwaway database (a SQLite
file, or a PostgreSQL cluster of its own on a Unix socket, with its default
durability settings, started with initdb/pg_ctl like scripts/test and stopped
at the end), ``manage.py migrate``, then one municipality and one open survey
with five questions (single choice, required; multiple choice; scale; free
text; age group). Then it starts gunicorn on a free port of 127.0.0.1 the way
docs/operations.md does (``gunicorn config.wsgi --workers 3``; ``--threads``
above 1 gives gthread workers), with ``DEBUG=0``, a random ``SECRET_KEY``
and no access log (no ``--access-logfile``: the answer pages must leave no
address behind, and this bench keeps to that too).

Every bench client comes from 127.0.0.1, so gunicorn gets
``SURVEY_SUBMIT_LIMIT=1000000``: otherwise the per-address rate limit (20 an
hour by default) would turn all but the first answers away with 429. The
cookies are marked Secure only behind TLS (``SECURE_COOKIES=0``); the clients
handle the CSRF cookie themselves anyway.

The clients use only the standard library (http.client), one thread each:

1. every client GETs ``/e/<token>/`` (all at once) and keeps its own CSRF
   cookie, the form's csrfmiddlewaretoken and the signed ``stamp``;
2. the bench waits until the form's minimum fill time (MIN_FILL_SECONDS in
   surveys/forms.py, read from the app) has passed since the last form was
   shown, plus half a second: a form sent sooner is taken for a robot,
   thanked with the same redirect, and not stored;
3. all clients wait at a threading.Barrier and then POST their answers
   (different per client, the honeypot ``webbplats`` left empty) at the same
   moment, each on a new connection.

A POST is *accepted* when it answers 302 to ``.../tack/``. Anything else is
*failed*, counted by kind: the HTTP status (400 a form error, 403 CSRF, 429 the
rate limit, 500 a server error), a timeout, a connection error; and a client
whose GET failed never posts and counts as failed too. After gunicorn has
stopped, the bench counts the survey's Response rows (and their Answer rows)
in the database.

How to read it
--------------

Per database: submissions fired, accepted, failed (by kind), Response rows
stored, *lost* = accepted − stored (an answer the person was thanked for that
is not in the database: a robot-check false positive, or a write that failed
after the redirect), *unexpected extra* = stored − accepted, the Answer rows
against those the accepted submissions carried, and p50/p95/max latency of
the POSTs in ms: all of them, failed ones until their error, from the moment
the barrier opened (connect included) to the last byte of the answer. So
latency is mostly queueing: with 3 sync workers, the 200th answer waits for
the 199 before it, and p95 is close to the wall time of the burst. Then the
errors and warnings the server wrote (Django logs every 4xx and 5xx there,
with the path and never the address).

The target of issue 5: none lost, none failed. A report, never an assertion:
it always exits 0. Run it on a quiet machine; the header gives the load
average, and the figures of a shared machine vary from run to run.
"""

import argparse
import glob
import http.client
import json
import os
import random
import re
import secrets
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
DB_VARIABLES = ("DB", "DB_NAME", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_TEST_NAME")

# Run in a subprocess with the database's environment: one municipality, one open
# survey with five questions; prints what the clients need as JSON.
SETUP = """
import json
from datetime import timedelta

import django

django.setup()
from django.utils import timezone

from organisations.models import Municipality
from surveys.forms import MIN_FILL_SECONDS
from surveys.models import DEFAULT_AGE_GROUPS, Question, Survey

today = timezone.localdate()
town = Municipality.objects.create(name="Bänkby", code="9999")
survey = Survey.objects.create(
    municipality=town,
    name="Bench: many answers at once",
    languages=["sv"],
    texts={"sv": {"title": "Hur har du det i Bänkby?", "intro": "En enkät för ett prestandatest."}},
    opens_on=today - timedelta(days=1),
    closes_on=today + timedelta(days=30),
    status=Survey.Status.OPEN,
)

def options(*labels):
    return [{"value": f"o{n}", "texts": {"sv": label}} for n, label in enumerate(labels, start=1)]

specs = [
    ("single", True, "Har du kontakt med kommunen?", options("Ja", "Nej", "Vet inte")),
    ("multiple", False, "Vad behöver bli bättre?", options("Skolan", "Boende", "Arbete", "Kultur")),
    ("scale", False, "Hur nöjd är du med bemötandet?", []),
    ("text", False, "Något mer du vill säga?", []),
    ("age", False, "Hur gammal är du?", options(*DEFAULT_AGE_GROUPS)),
]
questions = []
for position, (kind, required, text, opts) in enumerate(specs, start=1):
    q = Question.objects.create(
        survey=survey, position=position, kind=kind, required=required, texts={"sv": text}, options=opts
    )
    questions.append(
        {"pk": q.pk, "kind": kind, "options": [o["value"] for o in opts], "scale": [q.scale_min, q.scale_max]}
    )
from django.conf import settings

db = settings.DATABASES["default"]
db_settings = {"ENGINE": db["ENGINE"].rsplit(".", 1)[-1], "CONN_MAX_AGE": db.get("CONN_MAX_AGE")}
db_settings.update({k: v for k, v in db.get("OPTIONS", {}).items() if k in ("timeout", "transaction_mode")})
print(json.dumps({"survey": survey.pk, "token": survey.token, "questions": questions,
                  "min_fill": MIN_FILL_SECONDS, "settings": db_settings}))
"""

COUNT = """
import json, sys

import django

django.setup()
from surveys.models import Answer, Response

survey = int(sys.argv[1])
print(json.dumps({
    "responses": Response.objects.filter(survey_id=survey).count(),
    "answers": Answer.objects.filter(response__survey_id=survey).count(),
}))
"""


class Skipped(Exception):
    """A database part that cannot run here; the message says why."""


# --- Helpers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_json(env: dict, code: str, *args: str) -> dict:
    """Run code with django.setup() in a subprocess with env; its last line of output, as JSON."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [PYTHON, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise Skipped(f"{code.strip().splitlines()[0]}… failed: {tail(done.stderr)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def tail(text: str, lines: int = 6) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


def percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


# --- PostgreSQL ---------------------------------------------------------------------------


def start_postgres(tmp: Path) -> tuple[dict, Callable[[], None]]:
    """A throwaway cluster on a Unix socket in its data directory, as scripts/test starts one.
    Returns the settings' environment and a function that stops it."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not bins:
        raise Skipped("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian package postgresql)")
    pgbin = Path(bins[-1])
    as_root = os.geteuid() == 0
    if as_root and not shutil.which("runuser"):
        raise Skipped("running as root, and runuser (to run PostgreSQL as the postgres user) is missing")
    data = tmp / "pgdata"
    data.mkdir()
    as_pg = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(tmp, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()

    def run(cmd: list[str]) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)  # noqa: S603
        if done.returncode != 0:
            raise Skipped(f"{Path(cmd[len(as_pg)]).name} failed: {tail(done.stderr + done.stdout)}")

    def stop() -> None:
        subprocess.run(  # noqa: S603
            [*as_pg, str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True, timeout=60
        )

    run([*as_pg, str(pgbin / "initdb"), "-D", str(data), "-U", "inkludera", "--auth=trust",
         "--encoding=UTF8", "--locale=C.UTF-8"])  # fmt: skip
    options = f"-k {data} -p {port} -c listen_addresses=''"
    run([*as_pg, str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-o", options, "start"])
    try:
        run([str(pgbin / "createdb"), "-h", str(data), "-p", str(port), "-U", "inkludera", "inkludera_bench"])
    except Skipped:
        stop()
        raise
    out = subprocess.run([str(pgbin / "postgres"), "--version"], capture_output=True, text=True).stdout  # noqa: S603
    version = re.search(r"\(PostgreSQL\) (\S+)", out).group(1) if "(PostgreSQL)" in out else out.strip()
    env = {"DB": "postgres", "DB_NAME": "inkludera_bench", "DB_HOST": str(data), "DB_PORT": str(port),
           "DB_USER": "inkludera", "PG_VERSION": version}  # fmt: skip
    return env, stop


# --- gunicorn ----------------------------------------------------------------------------


def start_gunicorn(env: dict, port: int, args, log: Path) -> subprocess.Popen:
    cmd = [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
           "--workers", str(args.workers), "--threads", str(args.threads),
           "--timeout", str(args.timeout), "--graceful-timeout", "10",
           "--error-logfile", "-", "--log-level", "warning"]  # fmt: skip
    # No --access-logfile: gunicorn then writes no access log, so no address is kept.
    # Its own messages and Django's (the workers' stderr) go to one file.
    with log.open("ab") as out:
        return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def wait_ready(proc: subprocess.Popen, port: int, path: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Skipped(f"gunicorn exited with {proc.returncode}: {tail(log.read_text())}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
            raise Skipped(f"GET {path} answered {status}: {tail(log.read_text())}")
        except OSError:
            time.sleep(0.2)
    raise Skipped("gunicorn did not answer within 60 s")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def server_log_summary(log: Path) -> tuple[int, list[str]]:
    """The number of error-looking lines, and the distinct messages (Django's 4xx/5xx
    lines, exceptions, gunicorn's worker timeouts)."""
    if not log.exists():
        return 0, []
    lines = log.read_text(errors="replace").splitlines()
    ignore = ("No directory at",)  # WhiteNoise: collectstatic was not run; irrelevant here
    interesting = re.compile(
        r"(Error|Exception|Internal Server|Forbidden|Bad Request|Too Many|WORKER TIMEOUT|locked|\[ERROR\]|\[CRITICAL\])"
    )
    hits = [line for line in lines if interesting.search(line) and not any(s in line for s in ignore)]
    counted = Counter(re.sub(r"/e/[^/ ]+/", "/e/<token>/", re.sub(r"^\[[^]]*\] \[\d+\] ", "", h))[:200] for h in hits)
    return len(hits), [f"{n:5d} × {msg}" for msg, n in counted.most_common(8)]


# --- The clients -----------------------------------------------------------------------


@dataclass
class Client:
    number: int
    answers: dict[str, str | list[str]]
    cookie: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    get_ms: float | None = None
    shown_at: float = 0.0
    post_ms: float | None = None
    outcome: str = ""  # "accepted" or the kind of failure


def answers_for(number: int, questions: list[dict]) -> dict[str, str | list[str]]:
    rng = random.Random(number)  # noqa: S311 - made-up answers, not secrets
    answers: dict[str, str | list[str]] = {}
    for q in questions:
        name = f"q{q['pk']}"
        if q["kind"] in ("single", "age"):
            answers[name] = rng.choice(q["options"])
        elif q["kind"] == "multiple":
            answers[name] = rng.sample(q["options"], rng.randint(1, 2))
        elif q["kind"] == "scale":
            answers[name] = str(rng.randint(*q["scale"]))
        else:
            answers[name] = f"Svar nummer {number}: fler ramper vid biblioteket, och öppet på lördagar."
    return answers


def hidden_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else ""


def fetch_form(client: Client, port: int, path: str, timeout: float) -> None:
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        response = conn.getresponse()
        html = response.read().decode()
        conn.close()
    except TimeoutError:
        client.outcome = "GET timed out"
        return
    except OSError as exc:
        client.outcome = f"GET {type(exc).__name__}"
        return
    client.shown_at = time.monotonic()
    client.get_ms = (time.perf_counter() - start) * 1000
    if response.status != 200:
        client.outcome = f"GET answered {response.status}"
        return
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if "csrftoken" not in cookies:
        client.outcome = "GET set no CSRF cookie"
        return
    client.cookie = f"csrftoken={cookies['csrftoken'].value}"
    client.fields = {name: hidden_value(html, name) for name in ("csrfmiddlewaretoken", "stamp", "sprak")}


def post_answers(client: Client, port: int, path: str, timeout: float, barrier: threading.Barrier, opened: list):
    body = urllib.parse.urlencode({**client.fields, "webbplats": "", **client.answers}, doseq=True)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": client.cookie}
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        client.outcome = "barrier broken (not fired together)"
        return
    start = opened[0]
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        location = response.getheader("Location", "")
        if response.status == 302 and urllib.parse.urlsplit(location).path.endswith("/tack/"):
            client.outcome = "accepted"
        elif response.status == 302:
            client.outcome = f"302 to {location}"
        else:
            client.outcome = f"HTTP {response.status} {response.reason}"
    except TimeoutError:
        client.outcome = f"timed out after {timeout:.0f} s"
    except OSError as exc:
        client.outcome = f"{type(exc).__name__}: {exc}"[:80]
    except http.client.HTTPException as exc:
        client.outcome = f"{type(exc).__name__}"
    client.post_ms = (time.perf_counter() - start) * 1000


def fire(clients: list[Client], port: int, path: str, min_fill: float, timeout: float) -> dict:
    """GET every form at once, wait the minimum fill time, POST every answer at once."""
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(lambda c: fetch_form(c, port, path, timeout), clients))
    shown = [c for c in clients if not c.outcome]
    if not shown:
        return {"posted": 0, "waited": 0.0, "wall_ms": 0.0}
    last_shown = max((c.shown_at for c in shown), default=time.monotonic())
    wait = max(0.0, last_shown + min_fill + 0.5 - time.monotonic())
    time.sleep(wait)
    opened: list[float] = []
    barrier = threading.Barrier(len(shown), action=lambda: opened.append(time.perf_counter()), timeout=60)
    with ThreadPoolExecutor(max_workers=len(shown)) as pool:
        list(pool.map(lambda c: post_answers(c, port, path, timeout, barrier, opened), shown))
    wall = max((c.post_ms for c in shown if c.post_ms is not None), default=0.0)
    return {"posted": len(shown), "waited": wait, "wall_ms": wall}


# --- One database ---------------------------------------------------------------------------


def run_database(db: str, args, base_env: dict) -> dict:
    """Set up, fire, count and print one database's block; the figures for the summary."""
    tmp = Path(tempfile.mkdtemp(prefix=f"inkludera-bench-{db}."))
    stop_db = None
    proc = None
    log = tmp / "gunicorn.log"
    label = db
    try:
        env = dict(base_env)
        if db == "sqlite":
            env.update({"DB": "sqlite", "DB_NAME": str(tmp / "bench.sqlite3")})
            label = f"SQLite {sqlite_version()} (a file in a temporary directory)"
        else:
            pg_env, stop_db = start_postgres(tmp)
            label = f"PostgreSQL {pg_env.pop('PG_VERSION')} (own cluster, Unix socket, default durability)"
            env.update(pg_env)
        print(f"\n=== {label}; gunicorn {args.workers} workers × {args.threads} thread(s)")
        done = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise Skipped(f"migrate failed: {tail(done.stderr)}")
        setup = django_json(env, SETUP)
        path = f"/e/{setup['token']}/"
        print("settings        " + ", ".join(f"{k} {v}" for k, v in setup["settings"].items()))
        port = free_port()
        proc = start_gunicorn(env, port, args, log)
        wait_ready(proc, port, path, log)

        clients = [Client(n, answers_for(n, setup["questions"])) for n in range(args.submissions)]
        load_before = os.getloadavg()[0]
        fired = fire(clients, port, path, setup["min_fill"], args.timeout)
        load_after = os.getloadavg()[0]
        stop_gunicorn(proc)
        stored = django_json(env, COUNT, str(setup["survey"]))

        outcomes = Counter(c.outcome for c in clients)
        accepted = outcomes.pop("accepted", 0)
        failed = sum(outcomes.values())
        expected_answers = sum(len(c.answers) for c in clients if c.outcome == "accepted")
        post_ms = [c.post_ms for c in clients if c.post_ms is not None]
        get_ms = [c.get_ms for c in clients if c.get_ms is not None]
        lost = max(0, accepted - stored["responses"])
        extra = max(0, stored["responses"] - accepted)
        errors, messages = server_log_summary(log)
        print(f"forms shown     {len(get_ms)} of {len(clients)} GETs answered, "
              f"GET p50 {percentile(get_ms, 50):.0f} ms, p95 {percentile(get_ms, 95):.0f} ms; "
              f"then waited {fired['waited']:.1f} s (minimum fill time {setup['min_fill']} s)")  # fmt: skip
        print(f"fired           {fired['posted']} POSTs at once (barrier), load average {load_before:.1f} → "
              f"{load_after:.1f}, wall time of the burst {fired['wall_ms'] / 1000:.2f} s")  # fmt: skip
        print(f"accepted        {accepted}  (302 to tack/)")
        print(f"failed          {failed}")
        for kind, n in outcomes.most_common():
            print(f"                {n:5d} × {kind}")
        print(f"stored          {stored['responses']} Response rows; lost {lost}; unexpected extra {extra}")
        print(f"answers stored  {stored['answers']} Answer rows of {expected_answers} sent with accepted POSTs")
        print(f"POST latency    p50 {percentile(post_ms, 50):.0f} ms, p95 {percentile(post_ms, 95):.0f} ms, "
              f"max {max(post_ms, default=float('nan')):.0f} ms (all {len(post_ms)} POSTs, from the barrier "
              "to the answer)")  # fmt: skip
        print(f"server log      {errors} error or warning lines" + (":" if messages else ""))
        for line in messages:
            print(f"               {line}")
        verdict = "PASS" if failed == 0 and lost == 0 and extra == 0 else "target missed"
        print(f"target          none lost, none failed: {verdict}")
        return {
            "db": db,
            "fired": len(clients),
            "accepted": accepted,
            "failed": failed,
            "stored": stored["responses"],
            "lost": lost,
            "extra": extra,
            "p50": percentile(post_ms, 50),
            "p95": percentile(post_ms, 95),
            "max": max(post_ms, default=float("nan")),
            "wall": fired["wall_ms"] / 1000,
            "verdict": verdict,
        }
    except Skipped as exc:
        print(f"\n=== {label}: skipped: {exc}")
        return {"db": db, "skipped": str(exc)}
    except Exception as exc:  # a report: a part that breaks (others edit the app) is told, not fatal
        print(f"\n=== {label}: failed: {type(exc).__name__}: {exc}")
        if log.exists():
            print(f"    server log: {tail(log.read_text(errors='replace'))}")
        return {"db": db, "skipped": f"{type(exc).__name__}: {exc}"}
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        if stop_db is not None:
            stop_db()
        if args.keep:
            print(f"    kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def versions() -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "-c", "import django, gunicorn, platform; "
         "print(platform.python_version(), django.get_version(), gunicorn.__version__)"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    parts = done.stdout.split() or ["?", "?", "?"]
    return f"Python {parts[0]}, Django {parts[1]}, gunicorn {parts[2]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=200, help="clients posting at once (issue 5: 200 or more)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docs/operations.md: 3)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (above 1: gthread)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a client waits for an answer")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories (database, server log)")
    args = parser.parse_args()
    args.submissions = max(1, args.submissions)

    print("$ " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))
    print(f"{versions()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if args.submissions < 200:
        print(f"Note: {args.submissions} submissions, fewer than the 200 issue 5 asks for.")

    base_env = {k: v for k, v in os.environ.items() if k not in DB_VARIABLES}
    base_env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "BEHIND_TLS_PROXY": "0",
            "SURVEY_SUBMIT_LIMIT": "1000000",
            "LOG_LEVEL": "WARNING",
        }
    )
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [run_database(db, args, base_env) for db in databases]

    print(f"\n{'database':10} {'fired':>6} {'accepted':>9} {'failed':>7} {'stored':>7} {'lost':>5} {'extra':>6} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'wall s':>7}  none lost, none failed")  # fmt: skip
    for r in results:
        if "skipped" in r:
            print(f"{r['db']:10} skipped: {r['skipped'][:150]}")
            continue
        counts = f"{r['fired']:6d} {r['accepted']:9d} {r['failed']:7d} {r['stored']:7d} {r['lost']:5d} {r['extra']:6d}"
        times = f"{r['p50']:7.0f} {r['p95']:7.0f} {r['max']:7.0f} {r['wall']:7.2f}"
        print(f"{r['db']:10} {counts} {times}  {r['verdict']}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted")
    sys.exit(0)
