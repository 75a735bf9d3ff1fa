"""A published remiss on the public site (public/selectors/remiss.py): units' answers
in full, an external organisation's only with its consent, no officer, e-mail address
or link token anywhere, in any language; 404 unless published; fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans.models import Plan
from remiss.models import Answer, Body, Comment, Remiss
from remiss.services import remiss_unpublish

from .conftest import publish_site
from .published import published_remiss

LANGUAGES = ("", "en/", "kalderash/")
SECRETS = (
    "Hemliga föreningen",  # the name of an organisation that has not agreed
    "HEMLIG-SAMMANFATTNING",
    "HEMLIG-ALLMANT",
    "HEMLIG-SYNPUNKT",
    "Olle Hemligsson",  # its case officer
    "Kim Handläggare",  # a unit's case officer
    "hemlig@forening.example",
    "info@kvinnor.example",
    "styrelsen@ej-svar.example",
    "Föreningen som inte svarat",  # never answered, so never agreed
)


@pytest.fixture
def remiss(world):
    publish_site(world.municipality)
    remiss = published_remiss(world)
    secret = Answer.objects.create(
        body=Body.objects.create(remiss=remiss, name="Hemliga föreningen", email="hemlig@forening.example"),
        stance=Answer.Stance.OPPOSES, summary="HEMLIG-SAMMANFATTNING", general_comments="HEMLIG-ALLMANT",
        officer="Olle Hemligsson", publish_consent=False, received_via=Answer.Via.LINK,
    )  # fmt: skip
    Comment.objects.create(answer=secret, section=Comment.Section.GOAL, goal=world.goal, text="HEMLIG-SYNPUNKT")
    # A unit's comment that names the organisation, its officer and an address: replaced by markers.
    Comment.objects.create(
        answer=Answer.objects.get(body__unit=world.unit_a), section=Comment.Section.FOLLOW_UP,
        text="Som Hemliga föreningen och Olle Hemligsson skrev (hemlig@forening.example): följ upp årligen.",
    )  # fmt: skip
    return remiss


def page(world, remiss, language="") -> str:
    response = world.client("anonymous").get(f"/0180/{language}remiss/{remiss.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_units_and_consenting_organisations_are_shown_with_stance_comments_and_handling(world, remiss):
    html = page(world, remiss, "en/")
    assert '<h1 lang="sv">Remiss: Handlingsplan 2030</h1>' in html and "KS 2025/101" in html
    assert '<span lang="sv">Socialnämnden</span>' in html
    assert "Supports with comments" in html and "Supports" in html
    assert '<span lang="sv">Romska kvinnoföreningen</span>' in html
    assert "Socialnämnden tillstyrker förslaget med synpunkter." in html
    assert "Föreningen välkomnar planen." in html
    # Comments per goal, with the handling once recorded.
    assert f'<a href="/0180/en/mal/{world.result_goal.pk}/" lang="sv">' in html
    assert '<blockquote lang="sv"><p>Uppsökande arbete kräver resurser.</p></blockquote>' in html
    assert "Taken into account" in html and "Resurser för uppsökande arbete läggs till." in html
    assert "Kvinnors röster ska höras." in html
    assert "Inledningen bör nämna barnen." in html and "not yet handled" in html.lower()
    # The organisations not agreeing: counted as rows, never named.
    assert html.count("An organisation that has not agreed to publication") == 2
    assert "Answered (not published)" in html
    # The plan page lists the remiss.
    plan = world.client("anonymous").get(f"/0180/en/plan/{world.plan.pk}/").content.decode()
    assert f'href="/0180/en/remiss/{remiss.pk}/"' in plan


def test_what_an_organisation_did_not_agree_to_is_on_no_page_in_any_language(world, remiss):
    for language in LANGUAGES:
        html = page(world, remiss, language)
        for secret in SECRETS:
            assert secret.lower() not in html.lower(), f"{secret} on /{language}"
        assert "Avstyrker" not in html and "Opposes" not in html  # its stance
        for body in remiss.bodies.all():
            assert body.link_token not in html
        # The unit's comment is there, with the names and address replaced.
        assert "följ upp årligen." in html and "[borttaget]" in html and "[e-postadress borttagen]" in html
    plan = world.client("anonymous").get(f"/0180/plan/{world.plan.pk}/").content.decode()
    assert "Hemlig" not in plan


def test_a_remiss_is_public_only_while_published_sent_and_its_plan_published(world, remiss):
    url = f"/0180/remiss/{remiss.pk}/"
    client = world.client("anonymous")
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.REVISION)
    assert client.get(url).status_code == 404
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.REPLACED)
    assert client.get(url).status_code == 200
    Remiss.objects.filter(pk=remiss.pk).update(status=Remiss.Status.CLOSED)
    assert "Closed" in client.get(f"/0180/en/remiss/{remiss.pk}/").content.decode()
    remiss_unpublish(remiss=remiss, by=None)
    assert client.get(url).status_code == 404
    assert f"/remiss/{remiss.pk}/" not in client.get(f"/0180/plan/{world.plan.pk}/").content.decode()
    # Another municipality's address for it.
    publish_site(world.other_municipality)
    Remiss.objects.filter(pk=remiss.pk).update(published_at=timezone.now())
    assert client.get(url).status_code == 200
    assert client.get(f"/{world.other_municipality.code}/remiss/{remiss.pk}/").status_code == 404


def grow(world, remiss, n, start=0):
    for i in range(start, start + n):
        consent = i % 2 == 0
        answer = Answer.objects.create(
            body=Body.objects.create(remiss=remiss, name=f"Förening {i}", email=f"f{i}@example.se"),
            stance=Answer.Stance.SUPPORTS, publish_consent=consent, received_via=Answer.Via.LINK,
            summary=f"Sammanfattning {i}",
        )  # fmt: skip
        Comment.objects.create(answer=answer, section=Comment.Section.GOAL, goal=world.goal, text=f"Synpunkt {i}")
        Comment.objects.create(answer=answer, section=Comment.Section.OTHER, text=f"Övrigt {i}", handling="delvis")


def test_the_page_takes_the_same_number_of_queries_for_2_and_20_bodies(world, remiss):
    client = world.client("anonymous")
    url = f"/0180/en/remiss/{remiss.pk}/"
    counts = []
    for n in (2, 18):  # 2, then 20 organisations
        grow(world, remiss, n, start=len(counts) * 100)
        client.get(url)  # content types and the like, once
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        counts.append(len(queries))
        assert html.count("Synpunkt ") == (1 if n == 2 else 10), n  # the consenting half
    assert counts[0] == counts[1] <= 9, counts


def test_the_demo_publishes_stockholms_remiss_without_officers(db, settings):
    """The demo's 2030 remiss is on the public walk (so the browser walk checks it with axe)."""
    from django.core.management import call_command

    from organisations.models import Municipality
    from public.walk import walk

    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    stockholm = Municipality.objects.get(code="0180")
    remiss = Remiss.objects.get(dnr="E2025-02080-1")
    url = f"/0180/remiss/{remiss.pk}/"
    assert url in walk(stockholm)
    html = Client().get(url).content.decode()
    assert "Hägersten-Älvsjö" in html and "Jens Westlund" not in html and "@" not in html.split("<footer")[0]
    # The organisation that answered through its link and agreed is named with its comments;
    # the one that did not answer (so never agreed) is not.
    assert "Romska ungdomsdelegationen" in html and "läxhjälp och studiestöd" in html
    assert "Kvinnocenter" not in html
