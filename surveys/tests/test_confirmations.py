"""Finalising a survey's results and removing a question go through a confirmation page (lib/confirm.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from surveys.models import Question, Response, Survey
from tests.confirmations import open_confirmation, post_form, sv
from tests.test_access import survey_of


def test_finalising_says_how_many_answers_and_asks_first(world):
    survey = survey_of(world)
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(
        status=Survey.Status.CLOSED, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )
    for _i in range(3):
        Response.objects.create(survey=survey, language="sv", answered_on=today - timedelta(days=2))
    client = world.client("contact_a")
    url = reverse("surveys:finalise", args=[survey.pk])
    assert f'href="{url}"' in client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()

    text, form = open_confirmation(client, url)
    assert "Resultaten fastställs utifrån de 3 svar som enkäten har nu." in text
    assert sv("No answer can be added after this, not even a paper or interview answer.") in text
    assert sv("The results are not shown at the survey's link: the survey's results are not published.") in text
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.CLOSED

    assert post_form(client, form).status_code == 302
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.FINALISED


def test_an_open_survey_is_closed_before_the_confirmation_is_offered(world):
    survey = survey_of(world)  # open until 2099
    response = world.client("coordinator").get(reverse("surveys:finalise", args=[survey.pk]), follow=True)
    assert sv("Close the survey before finalising its results.") in response.content.decode()
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.OPEN


def test_removing_a_question_asks_first(world):
    survey = survey_of(world)
    question = survey.questions.get()
    client = world.client("coordinator")
    url = reverse("surveys:question_delete", args=[question.pk])
    assert f'href="{url}"' in client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()

    text, form = open_confirmation(client, url)
    assert sv("Remove the question?") in text and "Vad saknar du?" in text
    assert Question.objects.filter(pk=question.pk).exists()

    assert post_form(client, form).status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
