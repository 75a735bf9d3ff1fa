"""The search page on a large city: the index rebuild and the time of a few
searches, as the coordinator and as a unit contact (docs/search.md).

How to run it
-------------

    cp /tmp/lead.sqlite3 /tmp/search-bench.sqlite3
    DB_NAME=/tmp/search-bench.sqlite3 DEBUG=1 .venv/bin/python manage.py migrate
    DB_NAME=/tmp/search-bench.sqlite3 DEBUG=1 .venv/bin/python bench/search_pages.py [--requests 15]

(or DB=postgres with its settings). Runs ``rebuild_search_index`` once, then
times each search through Django's full request cycle in process (two warm-up
requests, then ``--requests`` timed ones): p50 wall and CPU (process time)
milliseconds, the number of SQL queries and of hits shown (at most five per kind). A report, never an
assertion."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

QUERIES = ["bostäder", "utbildning barn", "brobyggare", "samråd", "kvinnor arbete", "zzzyx"]
USERS = ["storstad-samordnare", "storstad-kontakt-sn"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=15)
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("rebuild_search_index", verbosity=0)
    print(f"rebuild_search_index: {time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    print(f"{'user':22} {'query':18} {'p50 ms':>7} {'CPU ms':>7} {'SQL':>4} {'shown':>5}")
    for username in USERS:
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        for q in QUERIES:
            for _ in range(2):
                client.get("/sok/", {"q": q})
            walls, cpus = [], []
            for _ in range(args.requests):
                w, c = time.perf_counter(), time.process_time()
                response = client.get("/sok/", {"q": q})
                walls.append(time.perf_counter() - w)
                cpus.append(time.process_time() - c)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/sok/", {"q": q})
            total = response.content.decode().count("<li>\n      <a href=")
            print(
                f"{username:22} {q:18} {statistics.median(walls) * 1000:7.1f} "
                f"{statistics.median(cpus) * 1000:7.1f} {len(ctx.captured_queries):4} {total:>5}"
            )


if __name__ == "__main__":
    main()
