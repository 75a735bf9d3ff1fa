"""The confirmation page helper (lib/confirm.py): every part it is given, and nothing else."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from lxml import html as lxml_html

from lib.confirm import confirmation


def render_page(**options):
    request = RequestFactory().get("/planer/1/ta-bort/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    defaults = {"title": "Ta bort?", "what": "Planen tas bort.", "button": "Ja, ta bort", "cancel_url": "/planer/1/"}
    response = confirmation(request, **(defaults | options))
    return response, lxml_html.document_fromstring(response.content.decode())


def test_the_page_posts_back_to_its_own_address_and_links_back(db):
    response, doc = render_page(consequences=["Tre mål tas bort.", "", "Historiken sparas."], danger=True)
    assert response.status_code == 200
    assert doc.xpath("//h1")[0].text_content() == "Ta bort?"
    [form] = doc.xpath("//main//form[@method='post']")
    assert form.get("action") == "/planer/1/ta-bort/"
    assert form.xpath(".//input[@name='csrfmiddlewaretoken']")
    assert [li.text_content() for li in doc.xpath("//ul[@class='confirm-consequences']/li")] == [
        "Tre mål tas bort.",
        "Historiken sparas.",
    ]  # an empty line (a condition not met) is left out
    [button] = form.xpath(".//button[@type='submit']")
    assert button.text_content() == "Ja, ta bort" and "button-danger" in button.get("class")
    [cancel] = form.xpath(".//a")
    assert cancel.get("href") == "/planer/1/"
    assert doc.xpath("//*[@role='note']")  # "This cannot be undone."


def test_the_title_names_the_question_and_the_object_without_doubled_punctuation(db):
    _response, doc = render_page(subject="Handlingsplan 2030")
    title = doc.xpath("//title")[0].text_content()
    assert title.startswith("Ta bort? – Handlingsplan 2030 · ") and "?:" not in title


def test_a_reversible_step_with_a_choice_carried_over_and_a_trail(db):
    _response, doc = render_page(
        irreversible=False, hidden=[("reviewers", "7"), ("reviewers", "9")], breadcrumbs=[("Planer", "/planer/")]
    )
    assert not doc.xpath("//*[@role='note']")
    assert [i.get("value") for i in doc.xpath("//form//input[@name='reviewers'][@type='hidden']")] == ["7", "9"]
    assert doc.xpath("//nav[@class='breadcrumbs']//a[@href='/planer/']")
    assert "button-danger" not in doc.xpath("//form//button")[0].get("class")
