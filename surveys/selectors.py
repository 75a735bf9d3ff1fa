"""Results of a survey, with small counts suppressed (lib.suppression)."""

from __future__ import annotations

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
OTHER = "__annat__"
RELEASE_SCHEMA = 1


def _given(value) -> list[str]:
    """The option keys an answer chose, each once, in order; [] for no answer."""
    value = value.get("value") if isinstance(value, dict) else None
    values = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(str(v) for v in values if v not in (None, "")))


def _option_keys(q: Question) -> list[str]:
    """The rows of a question's table, "no answer" last (labels are made when reading)."""
    if q.kind == Question.Kind.SCALE:
        keys = [str(n) for n in range(q.scale_min, q.scale_max + 1)]
    else:
        keys = [value for value, _label in q.option_labels("sv")]
        if q.allow_other:
            keys.append(OTHER)
    return [*keys, NO_ANSWER]


def age_withheld(survey: Survey, q: Question) -> bool:
    """A survey's age question is counted in its needs inventory's results, together
    with the dialogue meetings: the same counts protected twice, apart, could be
    played against each other, so the survey's own table leaves it out."""
    return q.kind == Question.Kind.AGE and survey.inventory_id is not None


def release_tables(survey: Survey) -> dict:
    """The survey's protected tables, to be frozen when its results are finalised:
    option keys and counts (None where hidden), never display text.

    Per question, every response is counted once: under the options it chose
    (an option repeated in one answer counts once; a value that is not an
    option counts as no answer), or under "no answer" — skipped, or not shown
    because of its condition. So every question's table adds up to the number
    of responses. Counts below the municipality's k are hidden together with
    whatever would give them away (lib.suppression). A question asked only
    after an answer whose count is hidden is withheld. Three queries."""
    k = survey.municipality.suppression_k
    questions = list(survey.questions.order_by("position", "pk"))
    total_responses = survey.responses.count()
    chosen: dict[int, list[list[str]]] = {}
    for question_id, value in Answer.objects.filter(response__survey=survey).values_list("question_id", "value"):
        chosen.setdefault(question_id, []).append(_given(value))
    _cells, total = suppress_1d({"all": total_responses}, k=k, total=total_responses)
    out = []
    hidden_answers: dict[int, set[str]] = {}  # question id: option keys whose count is hidden
    for q in questions:
        given = [keys for keys in chosen.get(q.pk, []) if keys]
        withheld = (
            q.show_if_id is not None and q.show_if_value in hidden_answers.get(q.show_if_id, set())
        ) or age_withheld(survey, q)
        if q.kind == Question.Kind.TEXT:
            cells, _t = suppress_1d(
                {"text": len(given), NO_ANSWER: total_responses - len(given)}, k=k, total=total_responses
            )
            out.append({"id": q.pk, "withheld": withheld, "text": None if withheld else cells["text"].value})
            continue
        keys = _option_keys(q)
        counts = dict.fromkeys(keys, 0)
        answered = 0
        for chosen_keys in given:
            valid = [key for key in chosen_keys if key in counts and key != NO_ANSWER]
            for key in valid:
                counts[key] += 1
            answered += bool(valid)
        counts[NO_ANSWER] = total_responses - answered
        cells, _t = suppress_1d(counts, k=k, total=total_responses, no_answer=NO_ANSWER)
        hidden_answers[q.pk] = {key for key in keys if cells[key].suppressed}
        rows = [] if withheld else [[key, cells[key].value] for key in keys]
        out.append({"id": q.pk, "withheld": withheld, "rows": rows})
    return {"schema": RELEASE_SCHEMA, "k": k, "total": total.value, "questions": out}


def survey_results(survey: Survey) -> SurveyResults:
    """The finalised results, read from the frozen release (labels in the
    reader's language); ValueError for a survey whose results are not
    finalised: nobody sees tables that move with each answer. Two queries."""
    if not survey.is_finalised:
        raise ValueError("the survey's results are not finalised")
    release = survey.release
    k = release["k"]

    def cell(value) -> Cell:
        return Cell(value, value is None, k)

    total = cell(release["total"])
    questions = {q.pk: q for q in survey.questions.all()}
    out: list[QuestionResult] = []
    for number, frozen in enumerate(release["questions"], start=1):
        q = questions.get(frozen["id"])
        if q is None:
            continue
        if q.kind == Question.Kind.TEXT:
            text_count = None if frozen["withheld"] else cell(frozen["text"])
            out.append(QuestionResult(q, number, total, k=k, text_count=text_count, withheld=frozen["withheld"]))
            continue
        labels = dict(q.option_labels("sv")) | {OTHER: _("Other"), NO_ANSWER: _("No answer")}
        rows = []
        for key, value in frozen["rows"]:
            c = cell(value)
            share = round(100 * value / release["total"]) if value is not None and release["total"] else None
            rows.append(OptionRow(label=labels.get(key, key), cell=c, share=share))
        out.append(QuestionResult(q, number, total, k=k, rows=rows, withheld=frozen["withheld"]))
    return SurveyResults(survey=survey, k=k, total=total, questions=out)


def survey_tables(results: SurveyResults) -> list[ResultTable]:
    """One table per question with answer options: the page, XLSX and CSV all use these."""
    return [r.table for r in results.questions if r.rows]
