"""Time the remissammanställning's Word and PDF export, which the download view
renders synchronously (remiss.views.compilation_file; docs/remiss.md).

    .venv/bin/python bench/remiss_export.py [--bodies 20] [--comments 6] [--runs 5]

Builds a compilation in memory (no database): BODIES bodies that all answered,
each with COMMENTS comments of about 60 words on goals of a 150-goal plan, half
of them handled; prints the median and spread of the wall and CPU time
(time.process_time) of assembling the document and rendering each format.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())

TEXT = (
    "Förvaltningen välkomnar att staden tagit fram en handlingsplan för romsk inkludering och att planen ger "
    "en tydlig riktning hur stadens nämnder och bolag ska arbeta för att informera romer om deras rättigheter "
    "och inkludera romer i samhällsgemenskapen samt att stadsledningskontoret avser att leda samordna och följa upp"
)
WORDS = TEXT.split()


def build(bodies: int, comments: int):
    from organisations.models import Municipality, OrgUnit
    from plans.models import Goal, Plan
    from remiss.models import Answer, Body, Comment, Remiss
    from remiss.selectors import CommentGroup, Compilation

    m = Municipality(name="Storstad", code="9999")
    plan = Plan(pk=1, municipality=m, title="Handlingsplan för romsk inkludering 2030")
    goals = [Goal(pk=i, plan=plan, code=f"{i // 10 + 1}.{i % 10 + 1}", title=" ".join(WORDS[:12])) for i in range(150)]
    remiss = Remiss(pk=1, municipality=m, plan=plan, title="Remiss", dnr="E2025-02080-1", deadline=date(2025, 10, 31))
    remiss.sent_on = date(2025, 8, 29)
    groups = {g.pk: CommentGroup(f"{g.code} {g.title}", g, "mal") for g in goals}
    body_list = []
    for b in range(bodies):
        unit = OrgUnit(pk=b + 1, municipality=m, name=f"Stadsdelsnämnd {b}", short_name=f"SD{b}")
        body = Body(pk=b + 1, remiss=remiss, unit=unit)
        answer = Answer(
            pk=b + 1, body=body, stance="tillstyrker_med_synpunkter", dnr=f"SD{b} 2025/{b}",
            answered_on=date(2025, 10, 1),
            summary=" ".join(WORDS * 2), general_comments=" ".join(WORDS * 3), received_via="app",
        )  # fmt: skip
        body.answer_or_none = answer
        body_list.append(body)
        for c in range(comments):
            goal = goals[(b * 7 + c * 13) % len(goals)]
            comment = Comment(
                pk=b * 100 + c, answer=answer, section="mal", goal=goal, text=" ".join(WORDS * 2),
                handling="delvis" if c % 2 else "", handling_text=" ".join(WORDS[:20]) if c % 2 else "",
            )  # fmt: skip
            comment.body = body
            groups[goal.pk].comments.append(comment)
    return Compilation(remiss=remiss, bodies=body_list, groups=[g for g in groups.values() if g.comments])


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--comments", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from remiss.document import compilation_document
    from reports.render import render_docx, render_pdf, warm_up

    warm_up()  # as a long-running web process has: WeasyPrint and its fonts loaded
    c = build(args.bodies, args.comments)
    rows = {"assemble": [], "docx": [], "pdf": []}
    for _ in range(args.runs):
        doc, wall, cpu = timed(lambda: compilation_document(c))
        rows["assemble"].append((wall, cpu))
        docx, wall, cpu = timed(lambda doc=doc: render_docx(doc))
        rows["docx"].append((wall, cpu))
        pdf, wall, cpu = timed(lambda doc=doc: render_pdf(doc, processes=1))
        rows["pdf"].append((wall, cpu))
    print(f"{args.bodies} bodies, {len(c.comments)} comments, {pdf.pages} PDF pages, {len(docx.data) // 1024} kB docx")
    for step, values in rows.items():
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        print(
            f"{step:9} wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}); "
            f"CPU median {statistics.median(cpus):.2f} s"
        )


if __name__ == "__main__":
    main()
