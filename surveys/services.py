"""Writes for surveys. Building and status changes are audited; answers are
not (an audit row would tie a person to an answer)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from organisations.models import Municipality

from .models import Answer, Question, Response, Survey


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
        "texts": str(survey.texts),
    }


@transaction.atomic
def survey_create(*, municipality: Municipality, by, fields: dict[str, Any]) -> Survey:
    survey = Survey.objects.create(municipality=municipality, **fields)
    _audit(survey, by, AuditEvent.Action.CREATE, snapshot_created(_snapshot(survey)))
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by, fields: dict[str, Any]) -> Survey:
    before = _snapshot(Survey.objects.get(pk=survey.pk))
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
    return {"texts": str(question.texts), "options": str(question.options), "kind": question.kind}


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


@transaction.atomic
def survey_set_status(*, survey: Survey, by, status: str) -> Survey:
    if status == Survey.Status.OPEN and not survey.questions.exists():
        raise SurveyLocked(_("Add at least one question before opening the survey."))
    old = survey.get_status_display()
    survey.status = status
    survey.save(update_fields=["status"])
    _audit(survey, by, AuditEvent.Action.UPDATE, {"status": [old, survey.get_status_display()]})
    return survey


@transaction.atomic
def survey_new_version(*, survey: Survey, by) -> Survey:
    """A copy of the survey and its questions, as a draft, for changing questions after answers came in."""
    new = Survey.objects.create(
        municipality=survey.municipality,
        unit=survey.unit,
        inventory=survey.inventory,
        name=f"{survey.name} ({_('version %(n)d') % {'n': survey.version + 1}})",
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


@transaction.atomic
def response_submit(
    *, survey: Survey, language: str, answers: dict[int, dict[str, Any]], on: date, source: str = Response.Source.WEB
) -> Response:
    """Store one anonymous response: no person, address, session or time of day."""
    response = Response.objects.create(
        survey=survey, language=language, source=source, answered_on=survey.answer_date(on)
    )
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, value=value) for question_id, value in answers.items()
    )
    return response
