"""The error pages: in Swedish, in the site's layout; the 500 page without the database."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.template import loader
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import translation

from config.urls import urlpatterns as site_urlpatterns
from organisations.models import OrgUnit
from tests.test_browser import assert_accessible, browser, page  # noqa: F401  (fixtures)

FOOTER = "Inkludera – uppföljning av arbetet för de nationella minoriteternas"


def broken(request):
    raise RuntimeError("a bug")


def unreadable(request):
    raise SuspiciousOperation("a request nobody sends")


# This module is the URL configuration of the tests that need a failing view.
urlpatterns = [*site_urlpatterns, path("test/trasig/", broken), path("test/olasbar/", unreadable)]


def test_404_is_swedish_in_the_layout(db):
    response = Client().get("/finns-inte/")
    assert response.status_code == 404
    text = response.content.decode()
    assert '<html lang="sv">' in text and "<title>Sidan finns inte" in text
    assert "<h1>Sidan finns inte</h1>" in text and "Det finns ingen sida på den här adressen." in text
    assert 'class="site-header"' in text and FOOTER in text
    assert "Not Found" not in text


def test_404_for_a_member_keeps_the_menu(world):
    response = world.client("reader").get(reverse("organisations:unit", args=[world.other_unit.pk]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Sidan finns inte" in text and "Sidor som hör till en annan kommun visas inte heller." in text
    assert 'class="main-nav"' in text
    assert "Kultur- och fritidsnämnden" not in text  # nothing of the other municipality


def test_403_is_swedish_and_says_who_you_are(world):
    response = world.client("reader").get(reverse("organisations:members"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "<h1>Inte tillåtet</h1>" in text and "Din roll ger inte tillgång till den här sidan eller åtgärden." in text
    assert "Du är inloggad som läsare i Stockholms stad." in text
    assert FOOTER in text and "403 Forbidden" not in text


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_swedish_and_standalone(db):
    client = Client(raise_request_exception=False)
    response = client.get("/test/trasig/")
    assert response.status_code == 500
    text = response.content.decode()
    assert '<html lang="sv">' in text and "<h1>Något gick fel</h1>" in text
    assert "Ett fel i Inkludera stoppade sidan." in text and FOOTER in text
    assert "a bug" not in text and "Traceback" not in text and "Server Error" not in text


def test_the_500_page_needs_neither_database_nor_request():
    """Django renders it with no request and no context. Without the db fixture any
    database access raises here, as it would fail with the database down."""
    with translation.override("sv"):
        text = loader.get_template("500.html").render()
    assert "Något gick fel" in text and 'href="/"' in text


@override_settings(ROOT_URLCONF=__name__)
def test_400_is_swedish(db):
    response = Client().get("/test/olasbar/")
    assert response.status_code == 400
    text = response.content.decode()
    assert "<h1>Förfrågan kunde inte läsas</h1>" in text and FOOTER in text
    assert "a request nobody sends" not in text


def test_opening_an_address_meant_for_a_button_gives_a_swedish_page(world):
    """Sign-out, removals and workflow steps take only POST. Opened in the address bar
    (a bookmarked /logga-ut/), Django's empty 405 became the browser's own English error page."""
    client = world.client("coordinator")
    for url in (reverse("logout"), reverse("plans:make_current", args=[world.plan.pk])):
        response = client.get(url)
        assert response.status_code == 405 and "POST" in response["Allow"]
        text = response.content.decode()
        assert '<html lang="sv">' in text and "<h1>Adressen kan inte öppnas så här</h1>" in text
        assert "Ingenting har ändrats." in text
        assert 'class="main-nav"' in text and FOOTER in text
    assert client.get(reverse("home:start")).status_code == 200  # still signed in


def test_403_for_an_account_without_a_municipality_is_no_dead_end(world):
    """A superuser (docs/operations.md: for the admin only) who signs in on the site: the start
    page is refused, so "Go to the start page" would lead back here; the admin is the way on."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.se", "x-Lösenord-2026"))
    response = client.get(reverse("home:start"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Ditt konto hör inte till någon kommun" in text
    assert f'href="{reverse("admin:index")}"' in text
    assert f'class="button" href="{reverse("home:start")}"' not in text  # it would lead back here


def test_csrf_failure_explains_cookies_in_swedish_and_saves_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("organisations:unit_create"), {"kind": "namnd", "name": "Ny", "short_name": "NY"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "<h1>Formuläret kunde inte skickas</h1>" in text
    assert "Inkluderas formulär behöver en kaka (cookie)" in text
    assert "Din webbläsare skickade ingen sådan kaka." in text
    assert "Gå tillbaka till formuläret med webbläsarens bakåtknapp" in text
    assert 'class="main-nav"' in text and FOOTER in text  # in the layout, still signed in
    assert "CSRF" not in text
    assert not OrgUnit.objects.filter(short_name="NY").exists()


def test_csrf_failure_from_another_site_says_so(world):
    secure = True  # Django checks the Origin header on HTTPS (and on HTTP when it is sent)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    form_page = client.get(reverse("organisations:unit_create"), secure=secure)
    token = form_page.context["csrf_token"]
    response = client.post(
        reverse("organisations:unit_create"),
        {"csrfmiddlewaretoken": token, "kind": "namnd", "name": "Ny", "short_name": "NY"},
        secure=secure,
        HTTP_ORIGIN="https://elak.example",
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "Formuläret skickades från en sida som inte hör till Inkludera" in text
    assert "kaka" not in text
    assert not OrgUnit.objects.filter(short_name="NY").exists()


@pytest.mark.browser
def test_error_pages_in_a_browser_are_accessible_and_a_survey_needs_no_cookie(page, monkeypatch):  # noqa: F811
    """In Chromium: the 404 page and the CSRF page (cookies gone before signing in) pass the
    accessibility check, and a survey answered with every cookie removed is stored."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from organisations.models import Municipality
    from surveys import forms as survey_forms
    from surveys.models import Question, Response, Survey

    page.goto("/finns-inte/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    assert_accessible(page)

    page.goto(reverse("login"))
    page.context.clear_cookies()
    page.get_by_label("Användarnamn eller e-post").fill("sthlm-samordnare")
    page.get_by_label("Lösenord").fill("inkludera-demo")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Formuläret kunde inte skickas"
    assert "Din webbläsare skickade ingen sådan kaka." in page.get_by_role("main").inner_text()
    assert_accessible(page)

    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 0)  # the live server runs in this process
    cache.clear()
    today = timezone.localdate()
    survey = Survey.objects.create(
        municipality=Municipality.objects.get(code="0180"), name="Utan kakor", languages=["sv"],
        texts={"sv": {"title": "Hur trivs du?"}}, opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30), status=Survey.Status.OPEN,
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=1, kind=Question.Kind.SINGLE, texts={"sv": "Trivs du?"},
        options=[{"value": "ja", "texts": {"sv": "Ja"}}, {"value": "nej", "texts": {"sv": "Nej"}}],
    )  # fmt: skip
    page.goto(reverse("survey_public:answer", args=[survey.token]))
    page.get_by_label("Ja").check()
    page.context.clear_cookies()
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/tack/**")
    (response,) = Response.objects.filter(survey=survey)
    assert [a.value for a in response.answers.all()] == [{"value": "ja"}]
