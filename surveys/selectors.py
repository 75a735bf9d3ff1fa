"""Results of a survey, with small counts suppressed (lib.suppression)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lib.barchart import BarChart, bar_chart
from lib.result_tables import ResultTable
from lib.suppression import Cell, suppress_1d

from .models import Answer, Question, Survey


@dataclass
class OptionRow:
    label: str
    cell: Cell
    share: int | None  # percent of all answers to the survey, None when suppressed


@dataclass
class QuestionResult:
    question: Question
    number: int
    total: Cell  # all answers to the survey: every question's table adds up to it
    k: int = 5
    rows: list[OptionRow] = field(default_factory=list)
    text_count: Cell | None = None
    withheld: bool = False  # asked only after an answer whose count is hidden

    @property
    def chart(self) -> BarChart:
        title = _("%(question)s (counts below %(k)d hidden)") % {"question": self.question.text("sv"), "k": self.k}
        return bar_chart(f"q{self.number}", title, [(row.label, row.cell) for row in self.rows])

    @property
    def table(self) -> ResultTable:
        title = f"{self.number}. {self.question.text('sv')}"
        table = ResultTable(title=title, header=[_("Answer"), _("Number"), _("Share")])
        for row in self.rows:
            table.rows.append([row.label, row.cell, f"{row.share} %" if row.share is not None else "—"])
        table.rows.append([_("All responses"), self.total, ""])
        return table


@dataclass
class SurveyResults:
    survey: Survey
    k: int
    total: Cell
    questions: list[QuestionResult]


NO_ANSWER = "__inget_svar__"


def survey_results(survey: Survey) -> SurveyResults:
    """Per question: how many chose each option (or scale step) and how many
    gave no answer, out of all responses, every count below the municipality's
    k suppressed together with whatever would give it away. Every question's
    table adds up to the same total, so no difference between two questions
    reveals a small group; a question shown only after a given answer is
    withheld when that answer's count is hidden. Free-text answers are only
    counted here. Three queries."""
    k = survey.municipality.suppression_k
    questions = list(survey.questions.order_by("position", "pk"))
    total_responses = survey.responses.count()
    answers: dict[int, list] = {}
    for question_id, value in Answer.objects.filter(response__survey=survey).values_list("question_id", "value"):
        answers.setdefault(question_id, []).append(value)
    _cells, total = suppress_1d({"all": total_responses}, k=k, total=total_responses)
    out: list[QuestionResult] = []
    hidden_answers: dict[int, set[str]] = {}  # question id: option keys whose count is hidden
    for number, q in enumerate(questions, start=1):
        given = answers.get(q.pk, [])
        skipped = total_responses - len(given)
        withheld = q.show_if_id is not None and q.show_if_value in hidden_answers.get(q.show_if_id, set())
        if q.kind == Question.Kind.TEXT:
            cells, _t = suppress_1d({"text": len(given), NO_ANSWER: skipped}, k=k, total=total_responses)
            text_count = None if withheld else cells["text"]
            out.append(QuestionResult(q, number, total, k=k, text_count=text_count, withheld=withheld))
            continue
        counts: Counter = Counter()
        for a in given:
            value = a.get("value")
            for v in value if isinstance(value, list) else [value]:
                counts[str(v)] += 1
        if q.kind == Question.Kind.SCALE:
            labels = [(str(n), str(n)) for n in range(q.scale_min, q.scale_max + 1)]
        else:
            labels = q.option_labels("sv")
            if q.allow_other:
                labels.append(("__annat__", "Annat"))
        labels.append((NO_ANSWER, _("No answer")))
        cells, _t = suppress_1d({key: counts.get(key, 0) for key, _l in labels}, k=k, total=total_responses)
        hidden_answers[q.pk] = {key for key, _l in labels if cells[key].suppressed}
        rows = []
        for key, label in labels:
            cell = cells[key]
            share = round(100 * cell.value / total_responses) if cell.value is not None and total_responses else None
            rows.append(OptionRow(label=label, cell=cell, share=share if not total.suppressed else None))
        out.append(QuestionResult(q, number, total, k=k, rows=[] if withheld else rows, withheld=withheld))
    return SurveyResults(survey=survey, k=k, total=total, questions=out)


def survey_tables(results: SurveyResults) -> list[ResultTable]:
    """One table per question with answer options: the page, XLSX and CSV all use these."""
    return [r.table for r in results.questions if r.rows]
