"""Times the remissunderlag (the plan version as a document, then PDF and Word; made by
the worker, remiss.services.underlag_build) and the comparison with tracked changes
(plans/versions_tracked.py), on the plans of the database (docs/remiss.md,
docs/plan-versions.md).

    DEBUG=1 DB_NAME=<a copy> .venv/bin/python manage.py shell < bench/remissunderlag.py

Each plan whose title contains BENCH_PLANS (comma-separated, environment; default:
every plan with goals) is timed RUNS times (environment, default 5): CPU time
(time.process_time) and wall time, medians and ranges; the PDF in PROCESSES processes
(environment, default 1: then its CPU time is all counted). The tracked-changes Word
compares the plan with a new version (plan_new_version) in which every tenth goal is
retitled and one goal removed, in a transaction rolled back afterwards. WeasyPrint is
warmed up first, as the worker does at start (reports.render.warm_up).
"""

import os
import statistics
import time

from django.db import transaction

from plans.models import Plan
from plans.plan_document import plan_version_document
from plans.services import plan_new_version
from plans.versions_tracked import tracked_changes_docx
from reports.render import render_docx, render_pdf, warm_up

RUNS = int(os.environ.get("RUNS", "5"))
# The PDF in one process (PROCESSES=1, the default here), so that its CPU time is all in
# time.process_time; the worker renders a long PDF's parts on every core (reports.render).
PROCESSES = int(os.environ.get("PROCESSES", "1"))
WANTED = [w for w in os.environ.get("BENCH_PLANS", "").split(",") if w]


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def summary(name, rows):
    walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
    print(
        f"  {name:<22} wall {statistics.median(walls):6.2f} s ({min(walls):.2f}–{max(walls):.2f})"
        f"   CPU {statistics.median(cpus):6.2f} s ({min(cpus):.2f}–{max(cpus):.2f})"
    )


warm_up()
plans = [p for p in Plan.objects.select_related("municipality").order_by("pk") if p.goals.exists()]
if WANTED:
    plans = [p for p in plans if any(w in p.title for w in WANTED)]
for plan in plans:
    times = {"document": [], "pdf": [], "docx": [], "tracked docx": []}
    pages = size_pdf = size_docx = size_tracked = 0
    for _run in range(RUNS):
        doc, w, c = timed(lambda plan=plan: plan_version_document(plan))
        times["document"].append((w, c))
        pdf, w, c = timed(lambda doc=doc: render_pdf(doc, processes=PROCESSES))
        times["pdf"].append((w, c))
        docx, w, c = timed(lambda doc=doc: render_docx(doc))
        times["docx"].append((w, c))
        pages, size_pdf, size_docx = pdf.pages, len(pdf.data), len(docx.data)
        with transaction.atomic():
            new = plan_new_version(plan=plan, by=None)
            for i, goal in enumerate(new.goals.order_by("depth", "position", "pk")):
                if i % 10 == 5:
                    goal.title = goal.title + " och i samverkan med civilsamhället"
                    goal.save(update_fields=["title"])
            new.goals.filter(children__isnull=True).order_by("-pk").first().delete()
            tracked, w, c = timed(lambda new=new, plan=plan: tracked_changes_docx(plan, new))
            times["tracked docx"].append((w, c))
            size_tracked = len(tracked)
            transaction.set_rollback(True)
    print(f"{plan.title} ({plan.municipality.name}): {plan.goals.count()} goals, {RUNS} runs")
    for name, rows in times.items():
        summary(name, rows)
    print(
        f"  PDF {pages} pages, {size_pdf // 1024} kB; Word {size_docx // 1024} kB;"
        f" tracked-changes Word {size_tracked // 1024} kB"
    )
