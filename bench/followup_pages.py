"""Server time of the follow-up pages for a large city, against a bare Django page.

How to run it
-------------

    .venv/bin/python bench/followup_pages.py [--requests 40] [--target 300]
        [--units 45] [--activities 3200] [--years 10] [--indicators 220] [--goals 150] [--seed 1]
        [--pages SUBSTRING ...] [--profile SUBSTRING ...]

Builds a throwaway SQLite database (or uses DB=postgres settings as given),
migrates it and fills it with bench/generate_city.py (Storstad: 45 units,
3,200 activities, 30 tertial rounds, 220 indicators by default), signs in
the coordinator and Socialnämnden's unit contact (the unit with the most
entries and activities) with force_login, and times each page through
Django's full request cycle (middleware, sessions, templates) in process:
three warm-up requests, then ``--requests`` timed ones. Prints p50/p95 in
milliseconds, each page's p50 as a ratio to a bare view measured in the same
run, the number of SQL queries and their summed time (from one extra request
under CaptureQueriesContext, which is not timed), the size of the page, and
PASS or OVER against ``--target`` (p95, ms; the goal is 300 ms on a 2-core
machine). A report, never an assertion: it always exits 0.

``--pages`` keeps only the pages whose name contains one of the substrings
(the bare view is always measured). ``--profile`` runs cProfile over a few
requests of the matching pages and prints the functions with the most
cumulative time, and the slowest SQL statements of one request.
"""

import argparse
import cProfile
import io
import os
import pstats
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
if os.environ.get("DB", "sqlite") == "sqlite":
    os.environ["DB_NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
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


def timed(client: Client, url: str, n: int) -> list[float]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def queries(client: Client, url: str) -> tuple[int, float, int, list[dict]]:
    """Number of queries, their summed time (ms), the page size (bytes) and the queries."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    captured = list(ctx.captured_queries)
    return len(captured), sum(float(q["time"]) for q in captured) * 1000, len(response.content), captured


def profile(client: Client, url: str, name: str, rounds: int = 5) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(30)
    print(f"\n=== profile: {name} ({url}), {rounds} requests, by cumulative time")
    print("\n".join(out.getvalue().splitlines()[4:]))
    count, sql_ms, _size, captured = queries(client, url)
    print(f"--- {count} queries, {sql_ms:.1f} ms in SQL; the slowest:")
    for q in sorted(captured, key=lambda q: -float(q["time"]))[:8]:
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")


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
    args = parser.parse_args()
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
        }
        if args.pages:
            pages = {
                name: page
                for name, page in pages.items()
                if name == "bare Django view" or any(s in name for s in args.pages)
            }
        results = {}
        for name, (client, url) in pages.items():
            values = timed(client, url, args.requests)
            results[name] = (values, *queries(client, url)[:3])
        base = statistics.median(results["bare Django view"][0])
        db = os.environ.get("DB", "sqlite")
        counts = ids["counts"]
        print(
            f"\n{counts['activities']} activities, {counts['goals']} goals, {counts['units']} units, "
            f"{counts['rounds']} rounds, {counts['indicators']} indicators; "
            f"{args.requests} requests per page, DB={db}, {os.cpu_count()} CPUs"
        )
        header = f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'p50 / bare':>11} {'queries':>8} {'SQL ms':>8} {'KB':>6}"
        print(f"{header}  p95 < {args.target:.0f} ms")
        for name, (values, count, sql_ms, size) in results.items():
            median, high = statistics.median(values), p95(values)
            mark = "" if name == "bare Django view" else ("PASS" if high < args.target else "OVER")
            print(
                f"{name:28} {median:8.1f} {high:8.1f} {median / base:11.1f} {count:8d} {sql_ms:8.1f} "
                f"{size / 1024:6.0f}  {mark}"
            )
        for name, (client, url) in pages.items():
            if args.profile and any(s in name for s in args.profile):
                profile(client, url, name)


if __name__ == "__main__":
    main()
