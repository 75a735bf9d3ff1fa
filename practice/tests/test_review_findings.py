"""The review of the knowledge bank (findings 3, 5, 13, 14): a second take-up is
asked for, the origin is named once, the words, the prose and tags, the
breadcrumb of sharing."""

import re

from django.urls import reverse
from lxml import html as lxml_html

from activities.models import Activity
from practice.models import Adoption
from practice.services import example_adopt, example_update

from .factories import make_example
from .test_practice import form_of


def main_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


# Finding 5: taking up an example twice


def test_a_municipality_that_took_an_example_up_is_told_and_asked_before_a_second(world):
    example = make_example(world.municipality, published=True)
    client = world.client("other_coordinator")  # Huddinge, reading Stockholm's example
    detail = reverse("practice:detail", args=[example.pk])
    url = reverse("practice:adopt", args=[example.pk])
    first = form_of(client, url, mal=world.other_goal.pk)
    assert "again" not in first and "Ta upp exemplet en gång till" not in main_of(client.get(url))
    assert "Er kommun har tagit upp exemplet" not in main_of(client.get(detail))
    client.post(url, first | {"owner": str(world.other_unit.pk)})
    (activity,) = Activity.objects.filter(municipality=world.other_municipality)

    link = (
        f'<a href="{reverse("activities:detail", args=[activity.pk])}">{activity.reference} Stötta föräldranätverk</a>'
    )
    page = main_of(client.get(detail))
    assert f"Er kommun har tagit upp exemplet: {link}." in page
    assert "Huddinge kommun: 1 aktivitet" in page
    # Stockholm, whose example it is, sees Huddinge by name and count, without links or "Er kommun".
    owner_page = main_of(world.client("coordinator").get(detail))
    assert "Huddinge kommun: 1 aktivitet" in owner_page
    assert "Er kommun har tagit upp" not in owner_page and link not in owner_page

    # The form says so at the top, and a second take-up needs the box ticked.
    form_page = main_of(client.get(url))
    assert form_page.index("Er kommun har tagit upp exemplet") < form_page.index("<form")
    data = form_of(client, url, mal=world.other_goal.pk) | {"owner": str(world.other_unit.pk)}
    assert "again" not in data  # not ticked: as the browser sends it
    refused = client.post(url, data)
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert list(errors) == ["again"] and "Kryssa i ”Ta upp exemplet en gång till”" in errors["again"][0]
    assert Adoption.objects.count() == 1
    again = client.post(url, data | {"again": "on"})
    assert again.status_code == 302 and Adoption.objects.count() == 2
    assert "Huddinge kommun: 2 aktiviteter" in main_of(client.get(detail))


def test_the_new_activity_names_its_example_once_below_what_was_done(world):
    example = make_example(world.municipality, published=True, summary="Ett möte.\n\nEtt nätverk.")
    activity = example_adopt(example=example, by=None, goals=[world.other_goal], owner=world.other_unit)
    assert activity.description == "Ett möte.\n\nEtt nätverk."
    page = main_of(world.client("other_coordinator").get(reverse("activities:detail", args=[activity.pk])))
    tree = lxml_html.fromstring(page)
    (description,) = tree.xpath("//div[@class='prose']")
    assert description.text_content() == "Ett möte.\n\nEtt nätverk."  # what was done, only
    (origin,) = tree.xpath("//p[@class='adopted-from']")
    assert origin.text_content() == "Skapad utifrån exemplet på insats Stötta föräldranätverk (Haninge kommun)."
    assert "kunskapsbanken" not in page and page.count("Skapad utifrån exemplet") == 1


# Finding 13: the words


def test_kind_of_goal_and_has_been_taken_up_are_the_words_used(world):
    example = make_example(world.municipality)
    client = world.client("coordinator")
    example_update(example=example, by=world.users["coordinator"], fields={"goal_kinds": ["effektmal"]})
    pages = [
        main_of(client.get(reverse("practice:detail", args=[example.pk]))),
        main_of(client.get(reverse("practice:create"))),
        main_of(client.get(reverse("practice:edit", args=[example.pk]))),
        main_of(client.get(reverse("practice:list"))),
    ]
    for page in pages:
        assert "Typ av mål" in page and "målslag" not in page.lower()
    detail = pages[0]
    assert "<dt>Typ av mål</dt>" in detail
    assert '<th scope="row">Typ av mål</th>' in detail  # the history's change, too
    assert '<h2 id="taken-up">Har tagits upp av</h2>' in detail


# Finding 14: prose, tags and labels


def test_prose_keeps_its_line_breaks_without_paragraph_gaps(world):
    example = make_example(world.municipality, summary="Första stycket.\n\nAndra stycket.", tips="Ett tips.\nEtt till.")
    page = main_of(world.client("coordinator").get(reverse("practice:detail", args=[example.pk])))
    tree = lxml_html.fromstring(page)
    proses = tree.xpath("//*[@class='prose']")
    assert len(proses) == 3  # what was done, prerequisites, tips
    for prose in proses:
        assert not prose.xpath(".//p|.//br")  # white-space: pre-line does the breaks
    assert proses[0].text == "Första stycket.\n\nAndra stycket."


def test_tags_are_read_one_by_one_and_form_labels_are_capitalised(world):
    example = make_example(world.municipality, areas=("utbildning", "civilsamhalle"))
    client = world.client("coordinator")
    page = main_of(client.get(reverse("practice:detail", args=[example.pk])))
    (tags,) = lxml_html.fromstring(page).xpath("//ul[@class='tag-list']")
    assert [li.text for li in tags.xpath("li")] == ["Utbildning", "Civilsamhällets organisering"]
    assert tags.text_content() == "Utbildning Civilsamhällets organisering"

    activity = example_adopt(example=example, by=None, goals=[world.result_goal], owner=world.unit_a)
    act = main_of(client.get(reverse("activities:detail", args=[activity.pk])))
    (dd,) = [dt.getnext() for dt in lxml_html.fromstring(act).xpath("//dt") if dt.text == "Målgrupper"]
    assert dd.text_content() == "föräldrar barn och unga"

    form = main_of(client.get(reverse("practice:create")))
    tree = lxml_html.fromstring(form)
    labels = {
        name: [
            re.sub(r"\s+", " ", box.getparent().text_content()).strip()
            for box in tree.xpath(f"//input[@name='{name}']")
        ]
        for name in ("rights_areas", "goal_kinds", "target_groups")
    }
    assert labels["rights_areas"][0] == "Utbildning"
    assert labels["goal_kinds"] == ["Effektmål", "Resultatmål"]
    assert "Föräldrar" in labels["target_groups"] and "Barn och unga" in labels["target_groups"]


# Finding 3: the breadcrumb of sharing


def test_the_share_page_breadcrumb_says_share_or_stop_sharing(world):
    example = make_example(world.municipality)
    client = world.client("coordinator")
    url = reverse("practice:publish", args=[example.pk])

    def crumb():
        page = main_of(client.get(url))
        (current,) = lxml_html.fromstring(page).xpath("//nav[@class='breadcrumbs']//*[@aria-current='page']")
        return current.text

    assert crumb() == "Dela"
    client.post(url)
    assert crumb() == "Sluta dela"
