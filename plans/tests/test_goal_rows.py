"""Who answers for a goal, as the plan page's tree (plan_tags.goal_tree) and the
goal tables of the unit page and a contact's start page (plan_tags.responsible_goal_rows)
show it: written in Python, escaped."""

from django.urls import reverse

from organisations.models import OrgUnit
from plans.models import Goal, GoalResponsibility

CO_KS = (
    '<span class="tag tag-co" title="medansvarig">Kommunstyrelsen <span class="visually-hidden">(medansvarig)</span>'
    '<span aria-hidden="true">*</span></span>'
)


def test_unit_page_and_start_page_show_each_goal_with_who_answers_for_it(world):
    OrgUnit.objects.filter(pk=world.unit_a.pk).update(name="Socialnämnden <SN>")
    Goal.objects.filter(pk=world.result_goal.pk).update(title='Uppsökande "<i>arbete</i>"')
    url = reverse("plans:goal", args=[world.result_goal.pk])
    row = (
        f'<tr><td>Handlingsplan för romsk inkludering 2030</td><td>1.2.1</td><td><a href="{url}">'
        "Uppsökande &quot;&lt;i&gt;arbete&lt;/i&gt;&quot;</a></td>"
        f'<td>{CO_KS}<span class="tag">Socialnämnden &lt;SN&gt;</span><span class="tag">Stadsdelsnämnderna</span>'
        "</td></tr>"
    )  # co-responsible first, then by when they were named
    unit_page = world.client("reader").get(reverse("organisations:unit", args=[world.unit_b.pk])).content.decode()
    assert row in unit_page
    assert row in world.client("contact_b").get(reverse("home:start")).content.decode()

    Goal.objects.filter(pk=world.result_goal.pk).update(all_units=True)
    GoalResponsibility.objects.filter(goal=world.result_goal).exclude(unit=world.unit_ks).delete()
    unit_page = world.client("reader").get(reverse("organisations:unit", args=[world.unit_a.pk])).content.decode()
    assert f'<td><span class="tag tag-all">Samtliga nämnder och bolagsstyrelser</span>{CO_KS}</td></tr>' in unit_page


def test_plan_page_tree_shows_responsible_and_rights_areas_per_goal(world):
    world.result_goal.rights_areas.set(["utbildning", "kultur"])
    html = world.client("reader").get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    co = ' <span class="visually-hidden">(medansvarig)</span><span aria-hidden="true">*</span>'
    assert (
        '<p class="responsible"><span class="visually-hidden">Ansvariga: </span>'
        f'<span class="tag tag-co">Kommunstyrelsen{co}</span><span class="tag">Socialnämnden</span>'
        '<span class="tag">Stadsdelsnämnderna</span></p>'
    ) in html
    # In the rights areas' fixed order, whatever order they were set in.
    assert (
        '<p class="responsible"><span class="visually-hidden">Rättighetsområden: </span>'
        '<span class="tag tag-area">Utbildning</span><span class="tag tag-area">Kultur och språk</span></p>'
    ) in html
    assert html.count('class="tag tag-area"') == 2 and html.count("Kommunstyrelsen" + co) == 1
