"""Build the council report of a large city: a two-year report (six tertial rounds).

How to run it (after `bench/generate_city.py --db /tmp/city.sqlite3`):

    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/council_report.py pdf sammanfattning
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/council_report.py docx sammanfattning
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/council_report.py pdf full

The first argument is the format (pdf, docx or both), the second the report's
content (`sammanfattning`, the summary; `full`, with every committee's texts).
It assembles the report from the approved rounds as the background job does,
writes the file(s) to /tmp and prints the time of each step and the page count.
The whole command can be timed from outside too (farm-bench, `/usr/bin/time -v`).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from followups.models import Round, UnitReport  # noqa: E402
from plans.models import Plan  # noqa: E402
from reports.assemble import council_document  # noqa: E402
from reports.models import CouncilReport  # noqa: E402
from reports.render import render_docx, render_pdf  # noqa: E402


class Rollback(Exception):
    pass


def main() -> None:
    fmt = sys.argv[1] if len(sys.argv) > 1 else "both"
    detail = sys.argv[2] if len(sys.argv) > 2 else CouncilReport.Detail.SUMMARY
    plan = max(Plan.objects.all(), key=lambda p: p.activities.count())
    # The six newest rounds whose reports are all approved: two years of tertials.
    rounds = [
        r for r in Round.objects.filter(plan=plan).order_by("-period_end")
        if not UnitReport.objects.filter(round=r).exclude(status=UnitReport.Status.APPROVED).exists()
    ][:6]  # fmt: skip
    try:
        with transaction.atomic():
            report = CouncilReport.objects.create(
                municipality=plan.municipality, plan=plan, title="Uppföljning till kommunfullmäktige", detail=detail,
                summary="Sammanfattning.", analysis="Analys.", conclusions="Slutsatser.",
            )  # fmt: skip
            report.rounds.set(rounds)
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                document, sources = council_document(report)
            print(
                f"{plan.municipality.name}: {len(rounds)} rounds ({rounds[-1].name} – {rounds[0].name}), "
                f"{len(sources['approved_reports'])} approved reports, {plan.activities.count()} activities, "
                f"content {detail}"
            )
            print(f"assemble: {time.perf_counter() - start:.2f} s, {len(queries.captured_queries)} queries")
            raise Rollback
    except Rollback:
        pass
    if fmt in ("pdf", "both"):
        start = time.perf_counter()
        pdf = render_pdf(document)
        Path(tempfile.gettempdir(), "council-report.pdf").write_bytes(pdf.data)
        print(f"pdf: {time.perf_counter() - start:.2f} s, {pdf.pages} pages, {len(pdf.data) // 1024} kB")
    if fmt in ("docx", "both"):
        start = time.perf_counter()
        docx = render_docx(document)
        Path(tempfile.gettempdir(), "council-report.docx").write_bytes(docx.data)
        print(f"docx: {time.perf_counter() - start:.2f} s, {len(docx.data) // 1024} kB")


if __name__ == "__main__":
    main()
