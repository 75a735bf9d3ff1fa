"""Writes for surveys. Building and status changes are audited; answers are
not (an audit row would tie a person to an answer)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from lib.personal_data import remove_personal_details
from organisations.models import Municipality

from .languages import incomplete_message
from .models import Answer, Question, Response, Survey
from .selectors import release_tables


class SurveyLocked(Exception):
    """The survey has answers: its questions cannot change; make a new version."""


def _audit(survey: Survey, by, action: str, changes: dict[str, Any], obj=None) -> None:
    audit_record(municipality=survey.municipality, actor=by, action=action, obj=obj or survey, changes=changes)


def _snapshot(survey: Survey) -> dict[str, Any]:
    return {
        "name": survey.name,
        "unit": survey.unit.short_name if survey.unit_id else None,
        "inventory": survey.inventory.name if survey.inventory_id else None,
        "languages": survey.languages,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "status": survey.get_status_display(),
        "date_detail": survey.get_date_detail_display(),
        "results_published": survey.results_published,
        "texts": survey.texts,
    }


@transaction.atomic
def survey_create(*, municipality: Municipality, by, fields: dict[str, Any]) -> Survey:
    survey = Survey.objects.create(municipality=municipality, **fields)
    _audit(survey, by, AuditEvent.Action.CREATE, snapshot_created(_snapshot(survey)))
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by, fields: dict[str, Any]) -> Survey:
    """Change a survey's settings. Once its results are finalised, the survey
    stays in its inventory (or out of one): its frozen tables were protected
    for that place, and moved they could be played against the inventory's."""
    stored = Survey.objects.get(pk=survey.pk)
    before = _snapshot(stored)
    if stored.status == Survey.Status.FINALISED and fields.get("inventory", stored.inventory) != stored.inventory:
        raise SurveyLocked(_("The results are finalised: the survey cannot move to another needs inventory."))
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save()
    _audit(survey, by, AuditEvent.Action.UPDATE, diff(before, _snapshot(survey)))
    return survey


def require_unlocked(survey: Survey) -> None:
    """Refuse changes to the questions of a survey that has answers."""
    if survey.responses.exists():
        raise SurveyLocked(_("The survey has answers: its questions are locked. Make a new version to change them."))


def _question_snapshot(question: Question) -> dict[str, Any]:
    return {"texts": question.texts, "options": question.options, "kind": question.kind}


@transaction.atomic
def question_save(*, survey: Survey, by, question: Question | None, fields: dict[str, Any]) -> Question:
    require_unlocked(survey)
    creating = question is None
    if creating:
        top = survey.questions.aggregate(m=Max("position"))["m"] or 0
        question = Question(survey=survey, position=top + 1)
    before = {} if creating else _question_snapshot(question)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    after = _question_snapshot(question)
    _audit(survey, by, AuditEvent.Action.UPDATE, {f"question {question.position}: {k}": v for k, v in (
        snapshot_created(after) if creating else diff(before, after)).items()})  # fmt: skip
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    survey = question.survey
    require_unlocked(survey)
    _audit(survey, by, AuditEvent.Action.UPDATE, {f"question {question.position}": [question.text("sv"), None]})
    question.delete()


class NotFinalisable(Exception):
    """The survey cannot have its results finalised (yet)."""


@transaction.atomic
def survey_set_status(*, survey: Survey, by, status: str) -> Survey:
    """Open, close or return a survey to draft. Finalised results stay final:
    reopening means a new version (survey_new_version)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == Survey.Status.FINALISED or status == Survey.Status.FINALISED:
        raise SurveyLocked(_("The results are finalised: make a new version to ask again."))
    if status == Survey.Status.OPEN and not survey.questions.exists():
        raise SurveyLocked(_("Add at least one question before opening the survey."))
    if status == Survey.Status.OPEN and (incomplete := incomplete_message(survey)):  # surveys.languages
        raise SurveyLocked(incomplete)
    if status == Survey.Status.DRAFT and survey.responses.exists():
        raise SurveyLocked(_("A survey with answers cannot become a draft again."))
    old = survey.get_status_display()
    survey.status = status
    survey.save(update_fields=["status"])
    if status == Survey.Status.CLOSED:
        shuffle_storage(survey)
    _audit(survey, by, AuditEvent.Action.UPDATE, {"status": [old, survey.get_status_display()]})
    return survey


@transaction.atomic
def survey_finalise(*, survey: Survey, by) -> Survey:
    """Fix the results (fastställa): no answer can be added after this, the
    answers are stored again in random order, and the protected tables are
    frozen in ``survey.release`` — what every output of the survey shows from
    now on, and all it shows. Audited."""
    _submissions_lock(survey, exclusive=True)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if refused := survey_finalise_refused(survey):
        raise NotFinalisable(refused)
    shuffle_storage(survey)
    old = survey.get_status_display()
    survey.release = release_tables(survey)
    survey.status = Survey.Status.FINALISED
    survey.finalised_on = timezone.localdate()
    survey.save(update_fields=["release", "status", "finalised_on"])
    _audit(survey, by, AuditEvent.Action.UPDATE, {"status": [old, survey.get_status_display()]})
    return survey


def survey_finalise_refused(survey: Survey) -> str:
    """Why the survey's results cannot be finalised now ("" if they can): the confirmation page asks too."""
    if survey.status == Survey.Status.FINALISED:
        return _("The results are already finalised.")
    if survey.status == Survey.Status.DRAFT or survey.is_answerable():
        return _("Close the survey before finalising its results.")
    return ""


def close_ended_surveys(*, on: date | None = None) -> int:
    """Close the open surveys whose last day has passed (and so shuffle their
    answers' storage order); the daily ``close_surveys`` command runs this."""
    on = on or timezone.localdate()
    closed = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, closes_on__lt=on):
        survey_set_status(survey=survey, by=None, status=Survey.Status.CLOSED)
        closed += 1
    return closed


def shuffle_storage(survey: Survey) -> None:
    """Store the survey's responses and answers again, in random order.

    Both databases keep rows in the order they arrived (SQLite's rowid,
    PostgreSQL's physical order), and with any request log that order gives the
    time of day of an answer. Deleting the rows and inserting them again in a
    random order leaves nothing of it in the tables. Foreign keys are checked at
    commit, so the answers and their codings keep pointing at the same ids.
    Runs inside the caller's transaction."""
    rng = random.SystemRandom()
    responses = list(Response.objects.filter(survey=survey))
    answers = list(Answer.objects.filter(response__survey=survey))
    rng.shuffle(responses)
    rng.shuffle(answers)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Answer._meta.db_table} WHERE response_id IN "  # noqa: S608 - table names from the models
            f"(SELECT id FROM {Response._meta.db_table} WHERE survey_id = %s)",
            [survey.pk],
        )
        cursor.execute(f"DELETE FROM {Response._meta.db_table} WHERE survey_id = %s", [survey.pk])  # noqa: S608
    Response.objects.bulk_create(responses, batch_size=500)
    Answer.objects.bulk_create(answers, batch_size=500)


SUBMIT_LOCK = 7401  # the advisory-lock class for "answers to one survey are being stored"


def _submissions_lock(survey: Survey, *, exclusive: bool) -> None:
    """On PostgreSQL, a transaction lock on storing answers to the survey: shared
    while an answer is stored (response_submit), exclusive while the results are
    finalised, which so waits for answers being stored and keeps new ones out.
    SQLite writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        lock = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {lock}(%s, %s)", [SUBMIT_LOCK, survey.pk])


@transaction.atomic
def survey_new_version(*, survey: Survey, by) -> Survey:
    """A copy of the survey and its questions, as a draft, for changing questions after answers came in."""
    new = Survey.objects.create(
        municipality=survey.municipality,
        unit=survey.unit,
        inventory=survey.inventory,
        name=_("%(name)s (version %(n)d)") % {"name": survey.name, "n": survey.version + 1},
        languages=survey.languages,
        texts=survey.texts,
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        date_detail=survey.date_detail,
        version_of=survey,
        version=survey.version + 1,
    )
    mapping = {}
    for q in survey.questions.order_by("position", "pk"):
        old_pk = q.pk
        q.pk = None
        q.survey = new
        q.show_if_id = mapping.get(q.show_if_id)
        q.save()
        mapping[old_pk] = q.pk
    _audit(new, by, AuditEvent.Action.CREATE, {"version_of": [None, survey.name]})
    return new


@transaction.atomic
def survey_delete(*, survey: Survey, by) -> None:
    if survey.responses.exists():
        raise SurveyLocked(_("A survey with answers is kept."))
    _audit(survey, by, AuditEvent.Action.DELETE, snapshot_deleted(_snapshot(survey)))
    survey.delete()


class NotAccepting(Exception):
    """The survey takes no more answers."""


@transaction.atomic
def response_submit(
    *, survey: Survey, language: str, answers: dict[int, dict[str, Any]], on: date, source: str = Response.Source.WEB
) -> Response:
    """Store one anonymous response: no person, address, session or time of day.
    A web answer only while the survey is answerable, a typed-in one while it is
    open or closed — never once the results are finalised (checked under a lock
    that finalising waits for)."""
    _submissions_lock(survey, exclusive=False)
    current = Survey.objects.get(pk=survey.pk)
    if not (current.is_answerable(on) if source == Response.Source.WEB else current.accepts_entries):
        raise NotAccepting(_("The survey takes no more answers."))
    response = Response.objects.create(
        survey=survey, language=language, source=source, answered_on=survey.answer_date(on)
    )
    # Free text is stored without personnummer, phone numbers and e-mail addresses (lib.personal_data).
    free_text = set(survey.questions.filter(kind=Question.Kind.TEXT).values_list("pk", flat=True))
    Answer.objects.bulk_create(
        Answer(
            response=response, question_id=question_id, value=_without_personal_details(value, question_id in free_text)
        )
        for question_id, value in answers.items()
    )
    return response


def _without_personal_details(value: dict[str, Any], free_text: bool) -> dict[str, Any]:
    """An answer with its free text (a text question's answer, an "other" text) scrubbed."""
    value = dict(value)
    for key in ("value", "other") if free_text else ("other",):
        if isinstance(value.get(key), str):
            value[key] = remove_personal_details(value[key])
    return value
