"""The knowledge bank in the browser: Huddinge's coordinator finds an example
Stockholm shares, by its rights area, and takes it up as a draft activity in
Huddinge's plan. Axe on every page."""

import pytest
from django.urls import reverse

from activities.models import Activity
from practice.models import Adoption
from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_a_coordinator_takes_up_another_municipalitys_example(page):  # noqa: F811
    sign_in(page, "huddinge-samordnare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Exempel på insatser").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Exempel på insatser"
    assert_accessible(page)
    page.get_by_label("Rättighetsområde").select_option("bostad")
    page.get_by_role("button", name="Visa").click()
    table = page.get_by_role("table")
    assert table.get_by_role("link").all_inner_texts() == ["Utbildning av kommunalt bostadsbolag"]
    assert "Stockholms stad" in table.inner_text()
    assert_accessible(page)

    page.get_by_label("Rättighetsområde").select_option("kultur")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("link", name="Katitzi-föreställning").click()
    main = page.get_by_role("main")
    assert "Förutsättningar för att arbetet ska lyckas" in main.inner_text()
    assert "Redigera exemplet" not in main.inner_text()  # Stockholm's: read, not changed
    assert_accessible(page)
    main.get_by_role("link", name="Ta upp som aktivitet").click()
    assert_accessible(page)
    page.get_by_label("3 Synliggör romsk kultur").check()
    page.get_by_label("Ansvarig enhet").select_option(label="Kultur- och fritidsnämnden")
    page.get_by_role("button", name="Skapa utkastet till aktivitet").click()

    assert page.get_by_role("heading", level=1).inner_text().endswith("Katitzi-föreställning")
    made = page.get_by_role("main").inner_text()
    assert made.count("Skapad utifrån exemplet på insats") == 1 and "Upptaget från kunskapsbanken" not in made
    assert page.get_by_role("link", name="Katitzi-föreställning").count() == 1  # back to the example
    assert_accessible(page)
    activity = Activity.objects.get(adopted_from__example__title="Katitzi-föreställning")
    assert activity.municipality.code == "0126" and activity.status.summary == "ej_paborjad"
    assert [g.code for g in activity.goals.all()] == ["3"]

    page.go_back()
    page.go_back()
    page.reload()
    taken = page.get_by_role("main").inner_text()
    assert "Huddinge kommun: 1 aktivitet" in taken and activity.reference in taken
    assert f"Er kommun har tagit upp exemplet: {activity.reference} Katitzi-föreställning." in taken
    assert Adoption.objects.filter(example__title="Katitzi-föreställning").count() == 1
    assert_accessible(page)
    # A second take-up is asked for: the form says so and has the box to tick.
    page.get_by_role("main").get_by_role("link", name="Ta upp som aktivitet").click()
    assert "Er kommun har tagit upp exemplet" in page.get_by_role("main").inner_text()
    assert page.get_by_label("Ta upp exemplet en gång till").count() == 1
    assert_accessible(page)

    # The goal's page: examples of its rights area (kultur), to take up with the goal chosen.
    goal = activity.goals.get()
    page.goto(reverse("plans:goal", args=[goal.pk]))
    section = page.get_by_role("region", name="Exempel att lära av")
    assert section.get_by_role("link", name="Idag är jag rom", exact=True).count() == 1
    assert section.get_by_role("link", name="ta upp Idag är jag rom").count() == 1
    assert_accessible(page)
