"""Server time of the follow-up pages for a large city, against a bare Django page.

How to run it
-------------

    .venv/bin/python bench/followup_pages.py [--requests 40] [--target 300]
        [--units 45] [--activities 3200] [--years 10] [--indicators 220] [--goals 150] [--seed 1]
        [--pages SUBSTRING ...] [--profile SUBSTRING ...] [--gc-freeze] [--keep-db]

Takes about a minute at the default size. Run it on a quiet
machine: the last line of the header gives the load average before and after
timing, and "CPU p50" (process time) is less sensitive to other processes
than the wall-clock columns.

What it does
------------

Builds a throwaway SQLite database (or uses DB=postgres settings as given),
migrates it and fills it with bench/generate_city.py (Storstad: 45 units,
150 goals, 3,200 activities, 30 tertial rounds, 220 indicators by default),
signs in the coordinator and Socialnämnden's unit contact (the unit with the
most entries and activities, and a previous approved report) with
force_login, and times each page through Django's full request cycle
(middleware, sessions, templates) in process: three warm-up requests, then
``--requests`` timed ones.

Columns: p50 and p95 wall-clock milliseconds; p50 as a ratio to a bare view
measured in the same run; CPU p50 (process time); then, from one extra
request that is not timed, the number of SQL queries (CaptureQueriesContext),
the time spent in the database driver (cProfile: the debug cursor's own
timings stop after execute(), while SQLite does most of its work during the
fetch), and the page size. Last, PASS or "over target" for p95 against
``--target`` (ms; the goal is 300 ms on a 2-core machine). A report, never an
assertion: it always exits 0.

``--pages`` keeps only the pages whose name contains one of the substrings
(the bare view is always measured). ``--profile`` runs cProfile over five
requests of the matching pages and prints the functions with the most
cumulative and own time, and the slowest SQL statements of one request.
``--gc-freeze`` freezes the heap before timing: the difference in p95 is what
CPython's cyclic garbage collector adds (a full collection every few
requests on the larger pages).
"""

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production
# Each request builds its page (lib/pagecache.py would serve repeats from the cache: the
# server benchmark measures that), and the coordinator signs in with a password alone.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("MFA_REQUIRED_ROLES", "")
TEMP_DIR = None
if os.environ.get("DB", "sqlite") == "sqlite":
    TEMP_DIR = tempfile.mkdtemp()
    os.environ["DB_NAME"] = str(Path(TEMP_DIR) / "bench.sqlite3")
# WhiteNoise warns once that collectstatic has not been run; irrelevant here.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from generate_city import generate, print_summary  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-bare/", bare), path("", include("config.urls"))]


def timed(client: Client, url: str, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of n requests after three warm-up ones."""
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return wall, cpu


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


DB_CALLS = ("execute", "executemany", "fetchone", "fetchmany", "fetchall")


def db_seconds(stats: pstats.Stats) -> float:
    """Time spent inside the database driver: for SQLite the sqlite3 cursor's C
    methods (the statement runs while rows are fetched, so the debug cursor's
    own timings, which stop after execute(), undercount it); for psycopg its
    cursor methods, cumulative."""
    total = 0.0
    for (filename, _line, func), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
        if "sqlite3.Cursor" in func or "sqlite3.Connection" in func:
            total += tottime
        elif filename.endswith(os.path.join("psycopg", "cursor.py")) and func in DB_CALLS:
            total += cumtime
    return total


def queries(client: Client, url: str) -> tuple[int, float, int, list[dict]]:
    """From one request (not timed): the number of queries, the time in the
    database driver (ms, measured with cProfile), the page size (bytes) and the queries."""
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as ctx:
        profiler.enable()
        response = client.get(url)
        profiler.disable()
    captured = list(ctx.captured_queries)
    return len(captured), db_seconds(pstats.Stats(profiler)) * 1000, len(response.content), captured


def profile(client: Client, url: str, name: str, rounds: int = 5) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(url)
    profiler.disable()
    for order, limit in (("cumulative", 45), ("tottime", 20)):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(limit)
        print(f"\n=== profile: {name} ({url}), {rounds} requests, by {order} time (cProfile roughly doubles it)")
        print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))
    count, db_ms, _size, captured = queries(client, url)
    print(f"--- {count} queries, {db_ms:.1f} ms in the database driver; the slowest by the debug cursor's timing:")
    for q in sorted(captured, key=lambda q: -float(q["time"]))[:8]:
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")


def busiest_goal(plan_id: int) -> int:
    """The plan's goal with the most activities (the goal page lists them, 50 a page)."""
    from django.db.models import Count

    from plans.models import Goal

    return Goal.objects.filter(plan_id=plan_id).annotate(n=Count("activities")).order_by("-n", "pk")[0].pk


def first_indicator(municipality_id: int) -> int:
    from indicators.models import Indicator

    return Indicator.objects.filter(municipality_id=municipality_id).order_by("name", "pk")[0].pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--target", type=float, default=300.0, help="p95 goal per page, ms")
    parser.add_argument("--units", type=int, default=45)
    parser.add_argument("--activities", type=int, default=3200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=220)
    parser.add_argument("--goals", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose name contains one of these")
    parser.add_argument("--profile", nargs="*", default=[], help="profile pages whose name contains one of these")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() the heap before timing, to see how much of p95 is the cyclic garbage collector",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the SQLite file (and print its path)")
    args = parser.parse_args()
    try:
        run(args)
    finally:
        connection.close()
        if TEMP_DIR and args.keep_db:
            print(f"Database kept: {os.environ['DB_NAME']}")
        elif TEMP_DIR:
            shutil.rmtree(TEMP_DIR, ignore_errors=True)


def run(args) -> None:
    call_command("migrate", verbosity=0)
    ids = generate(
        units=args.units,
        activities=args.activities,
        years=args.years,
        indicators=args.indicators,
        goals=args.goals,
        seed=args.seed,
    )
    print_summary(ids)
    gc.collect()  # the generator's garbage is not the pages' to collect

    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk([ids["coordinator"], ids["contact"]])
    # Not setup_test_environment(): its instrumented template rendering would distort the figures.
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        coordinator, contact = Client(), Client()
        coordinator.force_login(users[ids["coordinator"]])
        contact.force_login(users[ids["contact"]])
        pages = {
            "bare Django view": (coordinator, "/bench-bare/"),
            "coverage matrix": (coordinator, reverse("followups:coverage")),
            "coordinator dashboard": (coordinator, reverse("home:start")),
            "activity list, page 1": (coordinator, reverse("activities:list")),
            "activity list, by unit": (coordinator, reverse("activities:list") + f"?enhet={ids['unit']}"),
            "unit report (contact)": (contact, reverse("followups:report", args=[ids["report"]])),
            "unit report edit (contact)": (contact, reverse("followups:report_edit", args=[ids["report"]])),
            "round overview": (coordinator, reverse("followups:round", args=[ids["round"]])),
            "indicator list": (coordinator, reverse("indicators:list")),
            "start page (contact)": (contact, reverse("home:start")),
            "plan page": (coordinator, reverse("plans:detail", args=[ids["plan"]])),
            "goal page (most activities)": (coordinator, reverse("plans:goal", args=[busiest_goal(ids["plan"])])),
            "unit page": (coordinator, reverse("organisations:unit", args=[ids["unit"]])),
            "indicator page": (coordinator, reverse("indicators:detail", args=[first_indicator(ids["municipality"])])),
        }
        if args.pages:
            pages = {
                name: page
                for name, page in pages.items()
                if name == "bare Django view" or any(s in name for s in args.pages)
            }
        for _name, (client, url) in pages.items():
            client.get(url)  # compile every template before a frozen heap is taken
        errors = {}
        if args.gc_freeze:
            gc.collect()
            gc.freeze()
        load_before = os.getloadavg()[0]
        results = {}
        for name, (client, url) in pages.items():
            try:
                wall, cpu = timed(client, url, args.requests)
                results[name] = (wall, cpu, *queries(client, url)[:3])
            except Exception as exc:  # a report: a page that fails (others edit the apps) is listed, not fatal
                errors[name] = f"{type(exc).__name__}: {exc}"[:200]
        load_after = os.getloadavg()[0]
        base = statistics.median(results["bare Django view"][0])
        db = os.environ.get("DB", "sqlite")
        counts = ids["counts"]
        print(
            f"\n{counts['activities']} activities, {counts['goals']} goals, {counts['units']} units, "
            f"{counts['rounds']} rounds, {counts['indicators']} indicators; "
            f"{args.requests} requests per page, DB={db}, {os.cpu_count()} CPUs, "
            f"load average {load_before:.1f} before and {load_after:.1f} after timing"
            + (", heap frozen" if args.gc_freeze else "")
        )
        header = (
            f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'p50 / bare':>11} {'CPU p50':>8} "
            f"{'queries':>8} {'DB ms':>7} {'KB':>6}"
        )
        print(f"{header}  p95 < {args.target:.0f} ms")
        for name, (wall, cpu, count, db_ms, size) in results.items():
            median, high = statistics.median(wall), p95(wall)
            mark = "" if name == "bare Django view" else ("PASS" if high < args.target else "over target")
            print(
                f"{name:28} {median:8.1f} {high:8.1f} {median / base:11.1f} {statistics.median(cpu):8.1f} "
                f"{count:8d} {db_ms:7.1f} {size / 1024:6.0f}  {mark}"
            )
        for name, error in errors.items():
            print(f"{name:28} failed: {error}")
        for name, (client, url) in pages.items():
            if name in results and args.profile and any(s in name for s in args.profile):
                profile(client, url, name)


if __name__ == "__main__":
    main()
