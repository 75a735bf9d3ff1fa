import re

from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Membership, OrgUnit, UnitGroup


def test_unit_page_shows_contacts_and_the_goals_it_answers_for(world):
    world.goal.all_units = True
    world.goal.save()
    page = world.client("reader").get(reverse("organisations:unit", args=[world.unit_b.pk]))
    html = page.content.decode()
    assert "Contact Testsson" in html and "contact_b@example.se" in html
    # Through the group (1.2.1) and through "samtliga nämnder och bolagsstyrelser" (1.2).
    assert [g.code for g in page.context["goals"]] == ["1.2", "1.2.1"]


def test_advisory_councils_are_not_in_all_units(world):
    council = OrgUnit.objects.create(
        municipality=world.municipality, kind=OrgUnit.Kind.RAD, name="Minoritetsrådet", short_name="MR"
    )
    world.goal.all_units = True
    world.goal.save()
    page = world.client("reader").get(reverse("organisations:unit", args=[council.pk]))
    assert page.context["goals"] == []


def test_coordinator_adds_a_unit(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("organisations:unit_create"),
        {"kind": "namnd", "name": "Kulturnämnden", "short_name": "KN", "valid_from": "2024-01-01"},
    )
    unit = OrgUnit.objects.get(short_name="KN")
    assert response["Location"] == reverse("organisations:unit", args=[unit.pk])
    assert unit.municipality == world.municipality
    assert AuditEvent.objects.filter(object_id=unit.pk, action="create").exists()


def test_unit_short_names_are_unique_across_units_and_groups(world):
    client = world.client("coordinator")
    for short_name in ("sn", "Stadsdelsnämnderna"):
        response = client.post(
            reverse("organisations:unit_create"), {"kind": "namnd", "name": "Ny nämnd", "short_name": short_name}
        )
        assert "short_name" in response.context["form"].errors
    assert not OrgUnit.objects.filter(name="Ny nämnd").exists()


def test_a_unit_ends_by_date_not_by_deletion(world):
    client = world.client("coordinator")
    url = reverse("organisations:unit_edit", args=[world.unit_b.pk])
    data = {"kind": "stadsdelsnamnd", "name": world.unit_b.name, "short_name": world.unit_b.short_name}
    response = client.post(url, data | {"valid_from": "2020-01-01", "valid_to": "2019-12-31"})
    assert "valid_to" in response.context["form"].errors
    client.post(url, data | {"valid_from": "2020-01-01", "valid_to": "2024-12-31"})
    world.unit_b.refresh_from_db()
    assert not world.unit_b.is_active()
    assert world.result_goal.responsibilities.filter(group=world.group).exists()  # history intact


def test_coordinator_edits_a_group(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("organisations:group_edit", args=[world.group.pk]),
        {
            "name": "Stadsdelsnämnderna",
            "short_name": "Stadsdelsnämnderna",
            "members": [world.unit_b.pk, world.unit_a.pk],
        },
    )
    assert response.status_code == 302
    assert set(world.group.members.all()) == {world.unit_a, world.unit_b}
    event = AuditEvent.objects.get(object_id=world.group.pk, action="update")
    assert event.changes["members"] == [["Hägersten-Älvsjö"], ["Hägersten-Älvsjö", "SN"]]


def test_group_members_must_be_in_the_municipality(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("organisations:group_create"),
        {"name": "Blandat", "short_name": "Blandat", "members": [world.other_unit.pk]},
    )
    assert "members" in response.context["form"].errors
    assert not UnitGroup.objects.filter(name="Blandat").exists()


def test_coordinator_adds_a_contact_person_who_sets_their_own_password(
    world, client, django_capture_on_commit_callbacks
):
    coordinator = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):  # the invitation is sent after the commit (outbox)
        response = coordinator.post(
            reverse("organisations:member_create"),
            {
                "username": "ny.kontakt",
                "first_name": "Ny",
                "last_name": "Kontakt",
                "email": "ny.kontakt@example.se",
                "role": "contact",
                "units": [world.unit_a.pk],
                "title": "Kontaktperson för romsk inkludering",
            },
        )
    assert response.status_code == 302
    member = Membership.objects.get(user__username="ny.kontakt")
    assert member.municipality == world.municipality and list(member.units.all()) == [world.unit_a]
    assert not member.user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny.kontakt@example.se"]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ett-långt-lösenord-2026", "new_password2": "ett-långt-lösenord-2026"},
    )
    member.user.refresh_from_db()
    assert member.user.check_password("ett-långt-lösenord-2026")


def test_a_contact_person_needs_units(world):
    response = world.client("coordinator").post(
        reverse("organisations:member_create"),
        {"username": "x", "first_name": "X", "last_name": "Y", "email": "x@example.se", "role": "contact"},
    )
    assert "units" in response.context["form"].errors


def test_coordinator_cannot_demote_themselves(world):
    me = world.membership("coordinator")
    response = world.client("coordinator").post(
        reverse("organisations:member_edit", args=[me.pk]),
        {"first_name": "C", "last_name": "T", "email": "coordinator@example.se", "role": "reader", "active": "on"},
    )
    assert "role" in response.context["form"].errors
    me.refresh_from_db()
    assert me.role == "coordinator"


def test_coordinator_changes_a_persons_units(world):
    member = world.membership("contact_a")
    response = world.client("coordinator").post(
        reverse("organisations:member_edit", args=[member.pk]),
        {
            "first_name": "Contact_a",
            "last_name": "Testsson",
            "email": "contact_a@example.se",
            "role": "contact",
            "units": [world.unit_b.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert list(member.units.all()) == [world.unit_b]
    assert AuditEvent.objects.get(object_id=member.pk).changes["units"] == [["SN"], ["Hägersten-Älvsjö"]]


def test_the_coordinator_sets_the_municipalitys_prefix_and_feedback_days(world):
    client = world.client("coordinator")
    url = reverse("organisations:settings")
    response = client.post(url, {"reference_prefix": "st hlm", "feedback_days": "0", "suppression_k": "2"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reference_prefix", "feedback_days", "suppression_k"}
    client.post(url, {"reference_prefix": "sthlm", "feedback_days": "21", "suppression_k": "6"})
    world.municipality.refresh_from_db()
    m = world.municipality
    assert (m.reference_prefix, m.feedback_days, m.suppression_k) == ("STHLM", 21, 6)


def test_the_unit_page_pages_its_activities(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_activity

    client = world.client("reader")
    url = reverse("organisations:unit", args=[world.unit_b.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_activity(world.plan, world.unit_b, [world.result_goal], title="Aktivitet 00")
    client.get(url)  # the first request after signing in
    one = queries()
    for i in range(1, 55):
        make_activity(world.plan, world.unit_b, [world.result_goal], title=f"Aktivitet {i:02}")
    assert queries() == one
    response = client.get(url)
    page = response.content.decode()
    assert response.context["activities"].paginator.count == 55
    assert "Aktivitet 49" in page and "Aktivitet 50" not in page and "1–50" in page
    assert 'href="?sida=2#unit-activities" rel="next"' in page
    assert f'href="{reverse("activities:list")}?enhet={world.unit_b.pk}"' in page
    assert "Aktivitet 54" in client.get(url, {"sida": 2}).content.decode()
    # Sorted by title, descending: page 2 keeps the sort, in the same number of queries.
    ordered = client.get(url, {"ordning": "-titel"})
    assert [a.title for a in ordered.context["activities"]][:2] == ["Aktivitet 54", "Aktivitet 53"]
    assert 'href="?ordning=-titel&amp;sida=2#unit-activities" rel="next"' in ordered.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        last = client.get(url, {"ordning": "-titel", "sida": 2})
    assert len(ctx.captured_queries) == one
    assert [a.title for a in last.context["activities"]] == [f"Aktivitet {i:02}" for i in range(4, -1, -1)]
