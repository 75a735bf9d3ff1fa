"""What being signed in costs a request: the bare view (bench/bench_urls.py,
``/_bench/bare/``: a tiny response through all of settings.MIDDLEWARE) timed
in process with Django's test client, anonymous and with a signed-in
coordinator's session cookie, and the queries each makes.

How to run it
-------------

    .venv/bin/python bench/signed_in_overhead.py [--requests 1000] [--rounds 5]
        [--cache db|locmem] [--profile anonymous|signed-in]

It uses a new temporary SQLite file (migrated first: about half a minute), the
production settings with bench/bench_settings.py's URLconf, ``DEBUG=0`` and a
random ``SECRET_KEY``, and the operator's default cache (the database cache;
``--cache locmem`` for one process's memory). One municipality, one coordinator
signed in with ``force_login`` (which runs the sign-in signals: the session
clock starts as at a real sign-in). Each round times ``--requests`` GETs of
each kind, alternating, after a warm-up; it prints the median over rounds of
the median request (ms), as wall time and as this process's CPU time (steadier
on a shared machine: it leaves out the time spent waiting for a core), the
ratios signed-in / anonymous, and the queries (and writes) of one request of
each kind. ``--profile`` prints cProfile's top
functions for 1000 requests of that kind instead.

The numbers are the middleware's cost, not a server's: gunicorn and wrk
(bench/server_pages.py) add the WSGI server and the network.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(cache: str) -> str:
    tmp = tempfile.mkdtemp(prefix="inkludera-signed-in-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "DB": "sqlite",
            "DB_NAME": str(Path(tmp) / "bench.sqlite3"),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_COOKIES": "0",
            "CACHE_URL": "" if cache == "db" else "locmem",
            # The coordinator is signed in with force_login, no second factor set up.
            "MFA_REQUIRED_ROLES": "",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    return tmp


def clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from organisations.models import Membership, Municipality

    municipality = Municipality.objects.create(name="Bänkstad", code="9998")
    user = get_user_model().objects.create_user("bench-samordnare", password=secrets.token_urlsafe(16))
    Membership.objects.create(user=user, municipality=municipality, role=Membership.Role.COORDINATOR)
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(user)
    return {"anonymous": anonymous, "signed-in": signed_in}


URL = "/_bench/bare/"


def one(client):
    response = client.get(URL)
    assert response.status_code == 200, response.status_code
    return response


def time_requests(client, n: int) -> tuple[float, float]:
    """The median wall time and the median CPU time of this process (ms) of n requests."""
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        one(client)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def queries(client) -> tuple[int, int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        one(client)
    sql = [q["sql"] for q in ctx.captured_queries]
    writes = [s for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))]
    return len(sql), len(writes), sql


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", choices=["db", "locmem"], default="db")
    parser.add_argument("--profile", choices=["anonymous", "signed-in"])
    parser.add_argument("--session-engine", help="another SESSION_ENGINE than the settings' (to compare)")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request of each kind")
    args = parser.parse_args()

    setup(args.cache)
    from django.conf import settings

    if args.session_engine:
        settings.SESSION_ENGINE = args.session_engine
    kinds = clients()
    for client in kinds.values():
        for _ in range(50):  # warm up: connection, templates, the first renewal
            one(client)

    if args.profile:
        client = kinds[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(1000):
            one(client)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(45)
        return

    medians = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind, client in kinds.items():
            medians[kind].append(time_requests(client, args.requests))
    load = os.getloadavg()[0]
    print(
        f"bare view {URL}, {args.requests} requests x {args.rounds} rounds, cache {args.cache}, "
        f"sessions {settings.SESSION_ENGINE}, load {load:.1f}"
    )
    print(f"{'':12} {'wall ms':>8} {'CPU ms':>8} {'queries':>8} {'writes':>7}")
    result = {}
    for kind, client in kinds.items():
        count, writes, sql = queries(client)
        result[kind] = [statistics.median(m[i] for m in medians[kind]) for i in (0, 1)]
        print(f"{kind:12} {result[kind][0]:8.3f} {result[kind][1]:8.3f} {count:8d} {writes:7d}")
        if args.sql:
            for statement in sql:
                print("    ", statement[:160])
    wall, cpu = (result["signed-in"][i] / result["anonymous"][i] for i in (0, 1))
    print(f"ratio signed-in / anonymous: wall {wall:.2f}, CPU {cpu:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
