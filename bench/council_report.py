"""Build the council report of a large city: a two-year report (six tertial rounds).

How to run it (after `bench/generate_city.py --db /tmp/city.sqlite3`):

    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/council_report.py pdf sammanfattning
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/council_report.py docx sammanfattning
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/council_report.py pdf full

The first argument is the format (pdf, docx or both), the second the report's
content (`sammanfattning`, the summary; `full`, with every committee's texts).
It assembles the report from the approved rounds as the background job does,
writes the file(s) to /tmp and prints the time of each step and the page count.
A long PDF is rendered in parts in parallel processes (reports.pdf_parts);
`--processes N` sets how many (default REPORT_RENDER_PROCESSES, else the cores;
1 renders the parts one after another); `--whole` renders it in one piece in this
process, as before parts existed, to compare. The PDF is timed as the worker makes
it: WeasyPrint and its fonts loaded at the worker's start (reports.render.warm_up,
timed on its own line); `--cold` times a worker's very first report instead. For the PDF it also prints the CPU time
of the whole process tree (this process, the forkserver and the processes that
render the parts) and the peak of the tree's summed resident memory (VmRSS read
from /proc every 0.1 s, as bench/server_pages.py does for the worker).
The whole command can be timed from outside too (farm-bench, `/usr/bin/time -v`).

    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/council_report.py pdf full --processes 2
"""

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

# Django is set up in main(): the processes that render a PDF's parts start from a
# forkserver, which imports this module again (as __mp_main__) and must find it cheap.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production

TICK = os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


class TreeMeter:
    """CPU seconds (user + system) and the peaks of this process's tree's summed VmRSS and summed
    Pss (a page shared by several processes counted once) while it runs."""

    def __init__(self) -> None:
        self.cpu: dict[int, float] = {}
        self.peak_kib = self.peak_pss_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _sample(self) -> None:
        rss = pss = 0
        for pid in _tree(os.getpid()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
            rss += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            pss += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
        self.peak_kib = max(self.peak_kib, rss)
        self.peak_pss_kib = max(self.peak_pss_kib, pss)

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    def __enter__(self):
        self.start_cpu = sum(os.times()[:2])
        self._sample()
        self.before = dict(self.cpu)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def cpu_seconds(self) -> float:
        """CPU used in the block: this process exactly, the others as last seen (a part's last 0.1 s may be missed)."""
        own = sum(os.times()[:2]) - self.start_cpu
        others = sum(v - self.before.get(pid, 0) for pid, v in self.cpu.items() if pid != os.getpid())
        return own + others


class Rollback(Exception):
    pass


def main() -> None:
    import argparse

    import django

    django.setup()

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from followups.models import Round, UnitReport
    from plans.models import Plan
    from reports.assemble import council_document
    from reports.models import CouncilReport
    from reports.render import render_docx, render_pdf, render_processes, warm_up

    parser = argparse.ArgumentParser(description="Build the council report of a large city.")
    parser.add_argument("format", nargs="?", default="both", choices=["pdf", "docx", "both"])
    parser.add_argument("detail", nargs="?", default=CouncilReport.Detail.SUMMARY)
    parser.add_argument("--processes", type=int, default=0, help="processes rendering the PDF's parts")
    parser.add_argument("--whole", action="store_true", help="render the PDF whole in this process (as before parts)")
    parser.add_argument(
        "--cold", action="store_true", help="time the PDF with WeasyPrint not yet loaded (a worker's first report)"
    )
    args = parser.parse_args()
    if args.whole:
        import reports.render

        reports.render.SPLIT_FROM = float("inf")
    fmt, detail = args.format, args.detail
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
    if not args.cold:
        # As the worker does at start (run_worker): WeasyPrint loaded, its fonts too.
        start = time.perf_counter()
        warm_up()
        print(f"warm-up (the worker's, at its start): {time.perf_counter() - start:.2f} s")
    if fmt in ("pdf", "both"):
        processes = args.processes or render_processes()
        start = time.perf_counter()
        with TreeMeter() as meter:
            pdf = render_pdf(document, processes=processes)
        Path(tempfile.gettempdir(), "council-report.pdf").write_bytes(pdf.data)
        print(
            f"pdf: {time.perf_counter() - start:.2f} s, {pdf.pages} pages, {len(pdf.data) // 1024} kB; "
            f"{processes} processes, CPU of the process tree {meter.cpu_seconds():.1f} s, "
            f"peak memory of the tree {meter.peak_pss_kib / 1024:.0f} MiB "
            f"(Pss; summed RSS {meter.peak_kib / 1024:.0f} MiB)"
        )
    if fmt in ("docx", "both"):
        start = time.perf_counter()
        docx = render_docx(document)
        Path(tempfile.gettempdir(), "council-report.docx").write_bytes(docx.data)
        print(f"docx: {time.perf_counter() - start:.2f} s, {len(docx.data) // 1024} kB")


if __name__ == "__main__":
    main()
