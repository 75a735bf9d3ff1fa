"""A goal's code is text a coordinator types: whatever the form accepts, the pages
that list goals in code order show it (1.2 before 1.10, other text after numbers)."""

from django.urls import reverse

from plans.models import Goal
from plans.selectors import sort_in_tree_order
from plans.tests.test_views import browser_form


def test_codes_sort_as_numbers_and_other_digits_as_text(world):
    codes = ["1.10", "1.²", "1.2", "1.١٢", "1.a", "1.9"]
    goals = [Goal(plan=world.plan, code=code) for code in codes]
    assert [g.code for g in sort_in_tree_order(goals)] == ["1.2", "1.9", "1.10", "1.a", "1.²", "1.١٢"]


def test_a_goal_code_with_a_superscript_digit_breaks_no_page(world):
    """ "1.²" is one line of text, so the goal form saves it; sorting read "²" as a
    digit (str.isdigit) that int() cannot read, and every page listing goals in
    code order answered 500 to everyone in the municipality."""
    client = world.client("coordinator")
    url = reverse("plans:goal_edit", args=[world.goal.pk])
    data = browser_form(client.get(url), url)
    data["code"] = ["1.²"]
    assert client.post(url, data).status_code == 302
    world.goal.refresh_from_db()
    assert world.goal.code == "1.²"
    for page in [
        reverse("plans:xlsx", args=[world.plan.pk]),
        reverse("followups:coverage"),
        reverse("consultations:item_create", args=[world.consultation.pk]),
    ]:
        assert client.get(page).status_code == 200, page
