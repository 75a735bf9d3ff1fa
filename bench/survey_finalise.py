"""Close and finalise a large survey: store its answers again in random order
and freeze its protected tables.

How to run it, on a throwaway database (it is migrated and filled here):

    DB_NAME=/tmp/finalise.sqlite3 .venv/bin/python bench/survey_finalise.py 5000
    DB=postgres DB_HOST=... DB_NAME=... .venv/bin/python bench/survey_finalise.py 5000

The argument is the number of responses (each with six answers: an age
group, two single-choice questions, a multiple-choice one with "other", a
scale and a free text). It fills the survey, then times closing (which
stores the rows again in random order) and finalising (again, and the
tables), and prints each step's time and the rank correlation between the
stored order and the order of arrival. Everything is rolled back at the end.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from organisations.models import Municipality  # noqa: E402
from surveys.models import Answer, Question, Response, Survey  # noqa: E402
from surveys.services import survey_finalise, survey_set_status  # noqa: E402


class Rollback(Exception):
    pass


def physical_order(survey) -> list[str]:
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM surveys_response WHERE survey_id = %s ORDER BY {position}", [survey.pk])  # noqa: S608
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


def spearman(first: list, second: list) -> float:
    rank = {item: i for i, item in enumerate(second)}
    n = len(first)
    return 1 - 6 * sum((i - rank[item]) ** 2 for i, item in enumerate(first)) / (n * (n * n - 1))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            municipality = Municipality.objects.create(name="Benchkommun", code="9999")
            survey = Survey.objects.create(
                municipality=municipality, name="Bench", languages=["sv"], texts={"sv": {"title": "B"}},
                opens_on=date(2025, 1, 1), closes_on=date(2025, 12, 31), status=Survey.Status.OPEN,
            )  # fmt: skip
            options = [{"value": f"o{i}", "texts": {"sv": f"Alternativ {i}"}} for i in range(1, 6)]
            kinds = ["age", "single", "single", "multiple", "scale", "text"]
            questions = [
                Question.objects.create(
                    survey=survey,
                    position=i,
                    kind=kind,
                    texts={"sv": f"Fråga {i}"},
                    options=options,
                    allow_other=kind == "multiple",
                )
                for i, kind in enumerate(kinds, start=1)
            ]
            start = time.perf_counter()
            responses = Response.objects.bulk_create(
                Response(survey=survey, language="sv", answered_on=date(2025, 3, 1)) for _ in range(n)
            )
            answers = []
            for r_i, response in enumerate(responses):
                for q in questions:
                    value = {
                        "age": f"o{1 + r_i % 4}", "single": f"o{1 + (r_i * 7 + q.position) % 5}",
                        "multiple": [f"o{1 + r_i % 5}", f"o{1 + (r_i // 5) % 5}"], "scale": 1 + r_i % 5,
                        "text": "Mer läxhjälp och en mötesplats.",
                    }[q.kind]  # fmt: skip
                    answers.append(Answer(response=response, question=q, value={"value": value}))
            Answer.objects.bulk_create(answers, batch_size=2000)
            arrived = [str(r.pk).replace("-", "") for r in responses]
            print(
                f"{connection.vendor}: {n} responses, {len(answers)} answers "
                f"filled in {time.perf_counter() - start:.2f} s"
            )
            print(f"  stored order vs arrival before closing: rho = {spearman(physical_order(survey), arrived):+.3f}")
            start = time.perf_counter()
            survey_set_status(survey=survey, by=None, status=Survey.Status.CLOSED)
            print(f"  close (store again in random order): {time.perf_counter() - start:.2f} s")
            print(f"  stored order vs arrival after closing: rho = {spearman(physical_order(survey), arrived):+.3f}")
            Survey.objects.filter(pk=survey.pk).update(closes_on=date(2025, 12, 31))
            start = time.perf_counter()
            survey_finalise(survey=Survey.objects.get(pk=survey.pk), by=None)
            print(f"  finalise (store again, freeze the tables): {time.perf_counter() - start:.2f} s")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
