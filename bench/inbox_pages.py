"""What "Väntar på dig" costs for a large city: the inbox of the coordinator and
of Socialnämnden's contact, the queries and CPU time of computing it, and of
the inbox page and a page with the header count (docs/inbox.md).

How to run it
-------------

    cp /tmp/lead.sqlite3 /tmp/inbox-bench.sqlite3
    DEBUG=1 DB_NAME=/tmp/inbox-bench.sqlite3 .venv/bin/python manage.py migrate -v0
    DEBUG=1 DB_NAME=/tmp/inbox-bench.sqlite3 MFA_REQUIRED_ROLES="" .venv/bin/python bench/inbox_pages.py [--runs 15]

(the database made by bench/generate_city.py: 45 units, 150 goals, 3,200
activities, 30 rounds; kommunkod 9999). Prints, per person: the items by kind,
the number of SQL queries, and the median CPU time (time.process_time) of
``inbox_items`` and of GET /vantar/ and GET /aktiviteter/ through Django's
request cycle with the page cache off (the count computed on every page) and on
(the count read from the shared cache). A report, never an assertion.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from inbox.selectors import inbox_items  # noqa: E402
from organisations.models import Membership  # noqa: E402


def cpu_ms(fn, runs: int) -> tuple[float, int]:
    fn()
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times), len(seen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for username in ("storstad-samordnare", "storstad-kontakt-sn"):
        membership = Membership.objects.select_related("user", "municipality").get(user__username=username)
        items = inbox_items(membership)
        print(f"{username}: {len(items)} items", dict(Counter(i.kind for i in items)))
        ms, queries = cpu_ms(lambda m=membership: inbox_items(m), args.runs)
        print(f"  inbox_items: {queries} queries, CPU p50 {ms:.1f} ms")
        client = Client()
        client.force_login(membership.user)
        for seconds in (0, 60):
            with override_settings(PAGE_CACHE_SECONDS=seconds, ALLOWED_HOSTS=["testserver"]):
                for url in ("/vantar/", "/aktiviteter/"):
                    assert client.get(url, secure=True).status_code == 200, url
                    ms, queries = cpu_ms(lambda u=url, c=client: c.get(u, secure=True), args.runs)
                    print(
                        f"  GET {url} (page cache {'on' if seconds else 'off'}): {queries} queries, CPU p50 {ms:.1f} ms"
                    )


if __name__ == "__main__":
    main()
