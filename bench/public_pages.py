"""Transfer size of every public page (docs/public-site.md §5: at most 100 kB).

How to run it
-------------

    .venv/bin/python bench/public_pages.py [--no-city] [--sample 10] [--all] [--limit 100]
        [--units 45] [--activities 3200] [--years 10] [--indicators 220] [--goals 150] [--seed 1]
        [--keep-db]

About two minutes with the city at its default size (most of it is making the
city); ``--no-city`` measures the demo alone in a few seconds.

What it does
------------

Builds a throwaway SQLite database (or uses DB=postgres settings as given),
migrates it, loads the demo (Stockholm's and Huddinge's public sites) and,
unless ``--no-city``, makes bench/generate_city.py's Storstad (code 9999)
and publishes its site in Swedish, English and kalderash, with every
indicator public (its activities are about 60 % public already).

For each municipality with a published site it takes the addresses of
``public.walk.walk`` (the same list the access, leak and browser tests use):
every address in Swedish, and in each other language the first ``--sample``
addresses of each kind of page (``--all``: every one). Each page is requested
in process with ``Accept-Encoding: gzip`` and measured as sent: the gzipped
HTML, plus every stylesheet, icon and image it references (text files
gzipped at level 9, as WhiteNoise serves them; other files as they are),
each counted on every page, as on a first visit.

It prints the largest pages, a line per kind of page (count, median and
largest size) and every page over ``--limit`` kB. A report, never an
assertion: it always exits 0, and no test runs it.
"""

import argparse
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import warnings
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production
TEMP_DIR = None
if os.environ.get("DB", "sqlite") == "sqlite":
    TEMP_DIR = tempfile.mkdtemp()
    os.environ["DB_NAME"] = str(Path(TEMP_DIR) / "bench.sqlite3")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

import lxml.html  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import resolve  # noqa: E402

TEXT_ASSETS = (".css", ".svg", ".js", ".json", ".txt")
_assets: dict[str, int] = {}


def asset_size(url: str) -> int:
    """Bytes sent for a referenced file: gzipped at level 9 for text, as is otherwise."""
    if url not in _assets:
        path = urlsplit(url).path
        found = finders.find(path.removeprefix(settings.STATIC_URL)) if path.startswith(settings.STATIC_URL) else None
        if found is None:
            print(f"  (not found: {url})")
            _assets[url] = 0
        else:
            data = Path(found).read_bytes()
            _assets[url] = len(gzip.compress(data, 9)) if path.endswith(TEXT_ASSETS) else len(data)
    return _assets[url]


def referenced(html: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    urls = tree.xpath("//link[contains(@rel,'stylesheet') or contains(@rel,'icon')]/@href | //img/@src")
    return sorted({u for u in urls if not u.startswith("data:")})


def measure(client: Client, url: str) -> tuple[int, int] | None:
    """(gzipped HTML, referenced files) in bytes; None for an address that is not an HTML page."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        print(f"  {url}: status {response.status_code}")
        return None
    if not response["Content-Type"].startswith("text/html"):
        return None
    body = response.content
    html = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    return len(body), sum(asset_size(u) for u in referenced(html.decode()))


def addresses(municipality, *, sample: int, every: bool) -> list[str]:
    from public.walk import walk

    chosen, per_kind = [], defaultdict(int)
    for url in walk(municipality):
        match = resolve(urlsplit(url).path)
        kind = (match.view_name, match.kwargs.get("lang"))
        per_kind[kind] += 1
        if every or "lang" not in match.kwargs or per_kind[kind] <= sample:
            chosen.append(url)
    return chosen


def publish_city(municipality_id: int) -> None:
    from django.utils import timezone

    from indicators.models import Indicator
    from organisations.models import Municipality
    from public.services import site_for, site_publish, site_update, text_save

    municipality = Municipality.objects.get(pk=municipality_id)
    site = site_for(municipality)
    today = timezone.localdate()
    site_update(
        site=site,
        by=None,
        data={
            "contact_email": "romsk.inkludering@storstad.example",
            "languages": ["en", "rmy-x-kalderas"],
            "assessed_on": today,
            "statement_updated_on": today,
            "data_controller": "Kommunstyrelsen",
        },
    )
    text_save(
        obj=site,
        municipality=municipality,
        language="sv",
        texts={"intro": "Storstad arbetar för romsk inkludering.", "contact_text": "Skriv till oss."},
        by=None,
    )
    site_publish(site=site, by=None)
    Indicator.objects.filter(municipality=municipality).update(public=True)


def kb(n: float) -> str:
    return f"{n / 1000:7.1f}"


def report(results: list[tuple[str, str, int, int]], limit_kb: float) -> None:
    """results: (municipality code, url, html gz, referenced files)."""
    print(f"\n{'kB total':>9} {'html gz':>8} {'files':>8}  address")
    for _code, url, html, files in sorted(results, key=lambda r: -(r[2] + r[3]))[:15]:
        print(f"{kb(html + files):>9} {kb(html):>8} {kb(files):>8}  {url}")

    kinds = defaultdict(list)
    for _code, url, html, files in results:
        match = resolve(urlsplit(url).path)
        kinds[(url.split("/")[1], match.view_name, match.kwargs.get("lang", "sv"))].append(html + files)
    print(f"\n{'code':6} {'page':28} {'language':10} {'pages':>6} {'median kB':>10} {'max kB':>8}")
    for (code, name, lang), sizes in sorted(kinds.items()):
        print(f"{code:6} {name:28} {lang:10} {len(sizes):6} {kb(statistics.median(sizes)):>10} {kb(max(sizes)):>8}")

    over = [r for r in results if r[2] + r[3] > limit_kb * 1000]
    print(f"\n{len(results)} pages measured; {len(over)} over {limit_kb:g} kB.")
    for _code, url, html, files in over:
        print(f"  OVER {kb(html + files)} kB  {url}")


def run(args) -> None:
    from public.models import PublicSite

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--force", "--quiet-logins", verbosity=0)
    if args.city:
        from generate_city import generate, print_summary

        ids = generate(
            units=args.units, activities=args.activities, years=args.years, indicators=args.indicators,
            goals=args.goals, seed=args.seed,
        )  # fmt: skip
        print_summary(ids)
        publish_city(ids["municipality"])

    client = Client(SERVER_NAME="localhost")
    results = []
    for site in PublicSite.objects.filter(published=True).select_related("municipality").order_by("municipality"):
        municipality = site.municipality
        urls = addresses(municipality, sample=args.sample, every=args.all)
        print(f"{municipality.code} {municipality.name}: {len(urls)} addresses")
        for url in urls:
            measured = measure(client, url)
            if measured:
                results.append((municipality.code, url, *measured))
    if not results:
        print("No published public site.")
        return
    report(results, args.limit)
    if _assets:
        print("\nReferenced files (bytes as sent): " + ", ".join(f"{u} {n}" for u, n in sorted(_assets.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-city", dest="city", action="store_false", help="the demo only")
    parser.add_argument("--sample", type=int, default=10, help="pages of each kind in languages other than Swedish")
    parser.add_argument("--all", action="store_true", help="every address in every language")
    parser.add_argument("--limit", type=float, default=100.0, help="kB a page may take")
    parser.add_argument("--units", type=int, default=45)
    parser.add_argument("--activities", type=int, default=3200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=220)
    parser.add_argument("--goals", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true", help="keep the SQLite file (and print its path)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    try:
        run(args)
    finally:
        connection.close()
        if TEMP_DIR and args.keep_db:
            print(f"Database kept: {os.environ['DB_NAME']}")
        elif TEMP_DIR:
            shutil.rmtree(TEMP_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
