"""Access checks for surveys: staff read their municipality's; the coordinator
and the contacts of the survey's unit change them. The public answers through
the survey's link only (no access check, no account)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import Question, Survey


def may_change(membership, survey: Survey) -> bool:
    if membership.is_coordinator:
        return True
    return survey.unit_id is not None and membership.may_edit_unit_work(survey.unit_id)


def get_survey_for_user(user, pk, *, write: bool = False) -> Survey:
    membership = membership_of(user)
    survey = get_object_or_404(
        Survey.objects.select_related("municipality", "unit", "inventory"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if not membership.is_staff_member or (write and not may_change(membership, survey)):
        raise PermissionDenied
    return survey


def get_question_for_user(user, pk, *, write: bool = False) -> Question:
    membership = membership_of(user)
    question = get_object_or_404(
        Question.objects.select_related("survey__municipality"),
        pk=pk,
        survey__municipality_id=membership.municipality_id,
    )
    get_survey_for_user(user, question.survey_id, write=write)
    return question
