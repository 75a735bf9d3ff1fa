from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from audit.models import AuditEvent
from consultations.models import Consultation
from decisions.models import Body, ConsequenceAnalysis, Decision, Meeting
from decisions.selectors import decision_log
from decisions.services import body_save, decision_save, meeting_create
from documents.registry import may_change, may_view
from tests.formreader import submissions


def form_of(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return dict(sub.data)


def audited(obj, action) -> AuditEvent:
    return AuditEvent.objects.get(object_id=str(obj.pk), content_type__model=obj._meta.model_name, action=action)


def steering_group(world) -> Body:
    return body_save(
        municipality=world.municipality, by=None, fields={"name": "Styrgruppen", "kind": Body.Kind.STEERING_GROUP}
    )


def make_decision(world, body=None, *, decided_on=date(2026, 3, 20), goals=(), **fields) -> Decision:
    values = {"body": body or steering_group(world), "decided_on": decided_on, "title": "Beslut", **fields}
    return decision_save(municipality=world.municipality, by=None, fields=values, relations={"goals": goals})


def test_the_coordinator_records_a_decision_linked_to_a_samrad(world):
    body = steering_group(world)
    meeting = meeting_create(body=body, by=None, fields={"held_on": date(2026, 3, 20)})
    client = world.client("coordinator")
    url = reverse("decisions:create")
    data = form_of(client, url) | {
        "body": [str(body.pk)], "meeting": [str(meeting.pk)], "decided_on": ["2026-03-20"], "paragraph": ["§ 4"],
        "dnr": ["KS 2026/112"], "title": ["Brobyggarverksamheten permanentas"], "text": ["Styrgruppen beslutar…"],
        "affects_minority": ["on"], "goals": [str(world.result_goal.pk)], "activities": [str(world.activity.pk)],
        "consultations": [str(world.consultation.pk)],
    }  # fmt: skip
    response = client.post(url, data)
    decision = Decision.objects.get(title="Brobyggarverksamheten permanentas")
    assert response["Location"] == reverse("decisions:detail", args=[decision.pk])
    assert decision.municipality == world.municipality and decision.meeting == meeting and decision.affects_minority
    assert list(decision.consultations.all()) == [world.consultation]
    assert list(decision.goals.all()) == [world.result_goal]
    assert audited(decision, AuditEvent.Action.CREATE).changes["dnr"][1] == "KS 2026/112"
    page = client.get(response["Location"]).content.decode()
    assert "Styrgruppen 20 mars 2026 § 4" in page
    assert "saknar ännu konsekvensanalys" in page
    assert reverse("consultations:detail", args=[world.consultation.pk]) in page


def test_a_meeting_of_another_body_and_another_municipalitys_samrad_are_refused(world):
    body = steering_group(world)
    council = body_save(
        municipality=world.municipality, by=None, fields={"name": "Rådet", "kind": Body.Kind.MINORITY_COUNCIL}
    )
    meeting = meeting_create(body=council, by=None, fields={"held_on": date(2026, 3, 20)})
    foreign = Consultation.objects.create(
        municipality=world.other_municipality, title="Samråd i Huddinge", form="oppet",
        starts_at=world.consultation.starts_at, ends_at=world.consultation.ends_at,
    )  # fmt: skip
    client = world.client("coordinator")
    url = reverse("decisions:create")
    base = form_of(client, url) | {"body": [str(body.pk)], "decided_on": ["2026-03-20"], "title": ["X"]}
    assert client.post(url, base | {"meeting": [str(meeting.pk)]}).status_code == 200
    assert client.post(url, base | {"consultations": [str(foreign.pk)]}).status_code == 200
    assert not Decision.objects.exists()


def test_the_consequence_analysis_names_the_samrad_that_informed_it(world):
    decision = make_decision(world, affects_minority=True)
    decision.consultations.set([world.consultation])
    client = world.client("coordinator")
    url = reverse("decisions:analysis", args=[decision.pk])
    data = form_of(client, url)
    # Offered with the decision's samråd chosen.
    assert data["consultations"] == [str(world.consultation.pk)] and data["consultation_held"] == ["on"]
    response = client.post(url, data | {"consultations": []})
    assert response.status_code == 200 and not ConsequenceAnalysis.objects.exists()
    response = client.post(url, data | {"consultation_held": [], "consultations": []})
    assert response.status_code == 200 and not ConsequenceAnalysis.objects.exists()
    data |= {
        "effects": ["Fler romska familjer får stöd i kontakten med skolan."],
        "minority_rights": ["5 § information, 5 b § samråd."],
        "children_rights": ["Barnets bästa: skolnärvaro."],
        "conclusion": ["Beslutet stärker minoritetens rättigheter."],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    analysis = decision.analysis
    assert list(analysis.consultations.all()) == [world.consultation] and analysis.consultation_held
    event = audited(decision, AuditEvent.Action.UPDATE)
    assert "analysis_conclusion" in event.changes and "analysis_consultations" in event.changes
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "Beslutet stärker minoritetens rättigheter." in page


def test_readers_read_the_log_but_only_the_coordinator_writes(world):
    decision = make_decision(world)
    reader = world.client("reader")
    page = reader.get(reverse("decisions:list")).content.decode()
    assert decision.title in page and reverse("decisions:create") not in page
    for url in (reverse("decisions:create"), reverse("decisions:edit", args=[decision.pk])):
        assert reader.post(url, {"title": "Ändrat"}).status_code == 403
    assert world.client("other_coordinator").get(reverse("decisions:detail", args=[decision.pk])).status_code == 404
    decision.refresh_from_db()
    assert decision.title == "Beslut"
    # Attachments follow the same rules.
    assert may_view(world.users["reader"], decision) and not may_change(world.users["reader"], decision)
    assert may_change(world.users["coordinator"], decision)
    assert not may_view(world.users["other_coordinator"], decision)
    assert not may_view(world.users["representative"], decision)


def test_the_log_filters_by_body_year_and_goal_newest_first(world):
    group = steering_group(world)
    council = body_save(
        municipality=world.municipality, by=None, fields={"name": "Rådet", "kind": Body.Kind.MINORITY_COUNCIL}
    )
    old = make_decision(world, group, decided_on=date(2025, 5, 1), title="Gammalt")
    new = make_decision(world, group, decided_on=date(2026, 5, 1), title="Nytt", goals=[world.result_goal])
    other = make_decision(world, council, decided_on=date(2026, 6, 1), title="Rådets")
    assert list(decision_log(world.municipality)) == [other, new, old]
    assert list(decision_log(world.municipality, body=group)) == [new, old]
    assert list(decision_log(world.municipality, year=2026)) == [other, new]
    assert list(decision_log(world.municipality, goal=world.result_goal)) == [new]
    page = world.client("reader").get(reverse("decisions:list"), {"organ": group.pk, "ar": 2026})
    titles = lxml_html.fromstring(page.content).xpath('//table[@id="decision-log"]//td/a/text()')
    assert titles == ["Nytt"]
    assert not list(decision_log(world.other_municipality))


def test_a_body_name_is_unique_and_a_meeting_one_per_day(world):
    body = steering_group(world)
    client = world.client("coordinator")
    url = reverse("decisions:body_create")
    data = form_of(client, url) | {"name": ["styrgruppen"], "kind": ["styrgrupp"]}
    assert client.post(url, data).status_code == 200 and Body.objects.count() == 1
    meeting_create(body=body, by=None, fields={"held_on": date(2026, 3, 20)})
    url = reverse("decisions:meeting_create", args=[body.pk])
    data = form_of(client, url) | {"held_on": ["2026-03-20"]}
    assert client.post(url, data).status_code == 200 and Meeting.objects.count() == 1
    assert client.post(url, data | {"held_on": ["2026-04-20"]}).status_code == 302 and Meeting.objects.count() == 2
    assert audited(Meeting.objects.get(held_on=date(2026, 4, 20)), AuditEvent.Action.CREATE)


@pytest.mark.parametrize("n", [5, 50])
def test_the_log_takes_a_fixed_number_of_queries(world, n):
    body = steering_group(world)
    for i in range(n):
        decision = make_decision(
            world, body, title=f"Beslut {i}", goals=[world.result_goal], affects_minority=i % 2 == 0
        )
        if i % 4 == 0:
            ConsequenceAnalysis.objects.create(decision=decision, effects="E", conclusion="K")
    client = world.client("coordinator")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("decisions:list"))
    assert page.content.decode().count("/beslut/") >= n
    assert len(queries) == 13  # the same for 5 and 50 decisions


def test_goal_and_consultation_pages_list_their_decisions_for_staff_only(world):
    decision = make_decision(world, title="Brobyggarna permanentas", goals=[world.result_goal])
    decision.consultations.set([world.consultation])
    link = reverse("decisions:detail", args=[decision.pk])
    goal_page = world.client("reader").get(reverse("plans:goal", args=[world.result_goal.pk])).content.decode()
    assert link in goal_page and "Brobyggarna permanentas" in goal_page
    consultation = reverse("consultations:detail", args=[world.consultation.pk])
    assert link in world.client("contact_b").get(consultation).content.decode()
    shown = world.client("representative").get(consultation)
    assert shown.status_code == 200 and link not in shown.content.decode()
    assert "Brobyggarna permanentas" not in shown.content.decode()


def _crumbs(content: bytes) -> list[str]:
    doc = lxml_html.fromstring(content)
    return [li.text_content().strip() for li in doc.xpath('//nav[contains(@class, "breadcrumbs")]//li')]


def test_the_deciding_body_is_an_organ_not_a_remissinstans(world):
    """The remiss app's "Body" is a remissinstans; the decision log's is an organ."""
    body = steering_group(world)
    decision = make_decision(world, body)
    client = world.client("coordinator")
    log = lxml_html.fromstring(client.get(reverse("decisions:list")).content)
    assert log.xpath('//label[@for="id_organ"]')[0].text_content() == "Organ"
    assert "Organ" in [th.text_content() for th in log.xpath('//table[@id="decision-log"]//th')]
    detail = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "<dt>Organ</dt>" in detail
    for url in (
        reverse("decisions:list"),
        reverse("decisions:detail", args=[decision.pk]),
        reverse("decisions:bodies"),
        reverse("decisions:body", args=[body.pk]),
        reverse("decisions:body_create"),
        reverse("decisions:meeting_create", args=[body.pk]),
    ):
        assert "Remissinstans" not in client.get(url).content.decode(), url
    # Every page under the log starts its breadcrumb at "Beslut"; organ is neuter: "Nytt".
    assert _crumbs(client.get(reverse("decisions:body_create")).content) == ["Beslut", "Organ och möten", "Nytt"]
    assert _crumbs(client.get(reverse("decisions:bodies")).content) == ["Beslut", "Organ och möten"]
    assert _crumbs(client.get(reverse("decisions:meeting_create", args=[body.pk])).content) == [
        "Beslut", "Organ och möten", "Styrgruppen", "Nytt möte",
    ]  # fmt: skip
    assert _crumbs(client.get(reverse("decisions:create")).content) == ["Beslut", "Nytt"]


def test_decision_pages_and_pickers_write_dates_as_text(world):
    from django.utils import translation

    from lib.formatting import short_date

    body = steering_group(world)
    meeting = meeting_create(body=body, by=None, fields={"held_on": date(2026, 3, 20)})
    decision = make_decision(world, body, meeting=meeting, paragraph="§ 4", goals=[world.result_goal])
    decision.consultations.set([world.consultation])
    with translation.override("sv"):
        held = short_date(world.consultation.starts_at)
    iso = f"{world.consultation.starts_at:%Y-%m-%d}"
    client = world.client("coordinator")
    pages = {
        "list": reverse("decisions:list"),
        "detail": reverse("decisions:detail", args=[decision.pk]),
        "body": reverse("decisions:body", args=[body.pk]),
        "goal": reverse("plans:goal", args=[world.result_goal.pk]),
        "create": reverse("decisions:create"),
        "analysis": reverse("decisions:analysis", args=[decision.pk]),
    }
    content = {name: client.get(url).content.decode() for name, url in pages.items()}
    for name in ("list", "detail", "body", "goal"):
        assert "20 mars 2026" in content[name], name
    assert "Styrgruppen 20 mars 2026 § 4" in content["detail"] and "Styrgruppen 20 mars 2026 § 4" in content["goal"]
    assert f"{held} {world.consultation.title}" in content["detail"]
    for name, page in content.items():
        page = page.split('<section class="history"')[0]  # the audit trail shows the stored values (all apps)
        assert "2026-03-20" not in page, name
        if name != "goal":
            assert iso not in page.replace(f'value="{iso}', ""), name
    # The pickers: the meeting and the samråd by their dates as text.
    create = lxml_html.fromstring(content["create"])
    assert [o.text_content() for o in create.xpath('//select[@id="id_meeting"]/option[@value]') if o.get("value")] == [
        "Styrgruppen 20 mars 2026"
    ]
    analysis = lxml_html.fromstring(content["analysis"])
    labels = [label.text_content().strip() for label in analysis.xpath('//input[@name="consultations"]/..')]
    assert labels == [f"{held} {world.consultation.title}"]


def test_the_decision_forms_long_lists_are_filterable(world):
    client = world.client("coordinator")
    doc = lxml_html.fromstring(client.get(reverse("decisions:create")).content)
    for name in ("goals", "activities", "consultations"):
        assert doc.xpath(f'//input[@name="{name}"]/ancestor::*[@data-filter-picker]'), name
    (samrad,) = doc.xpath('//input[@name="consultations"]/ancestor::*[@data-filter-picker]')
    assert samrad.get("data-filter-label") == "Filtrera samråden"


def test_the_activity_page_lists_the_decisions_linked_to_it_for_staff(world):
    decision = make_decision(world, title="Brobyggarverksamheten permanentas", paragraph="§ 4")
    url = reverse("activities:detail", args=[world.activity.pk])
    assert b'id="decisions-heading"' not in world.client("reader").get(url).content
    decision.activities.set([world.activity])
    doc = lxml_html.fromstring(world.client("reader").get(url).content)
    (section,) = doc.xpath('//section[@aria-labelledby="decisions-heading"]')
    (link,) = section.xpath(".//a")
    assert link.get("href") == reverse("decisions:detail", args=[decision.pk])
    assert link.text_content() == "Brobyggarverksamheten permanentas"
