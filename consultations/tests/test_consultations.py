from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from conftest import make_activity, make_consultation, make_user
from consultations.models import AgendaItem, Consultation, Feedback, MinutesVersion, View
from consultations.selectors import figures, overdue_views
from consultations.services import (
    NotAllowedNow,
    feedback_save,
    minutes_approve,
    minutes_save,
    send_feedback_reminders,
)
from organisations.models import Membership

TODAY = date(2026, 11, 22)


def consultation_post(world, **overrides):
    data = {
        "title": "Öppet samråd om läxhjälp",
        "form": "oppet",
        "organisers": [world.unit_a.pk],
        "starts_at": "2026-12-03T17:30",
        "ends_at": "2026-12-03T19:30",
        "place": "Medborgarhuset",
        "services": ["tolk", "barnpassning"],
        "influence": "samrad",
        "influence_note": "Hur läxhjälpen ska organiseras under våren.",
        "representatives": [world.membership("representative").pk],
        "att_vuxna_kvinnor": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_contact_schedules_a_consultation_and_the_representative_is_invited(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("contact_a").post(reverse("consultations:create"), consultation_post(world))
    consultation = Consultation.objects.get(title="Öppet samråd om läxhjälp")
    assert response.status_code == 302
    assert list(consultation.organisers.all()) == [world.unit_a]
    assert consultation.services == ["tolk", "barnpassning"]
    assert [m.to for m in mail.outbox] == [["representative@example.se"]]
    assert "Medborgarhuset" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2026-12-03T16:00"}, "ends_at"),
        ({"influence_note": ""}, "influence_note"),
        ({"organisers": []}, "organisers"),
        ({"compensation_total": "5000"}, "compensation_total"),
        ({"attendance_total": "3", "att_vuxna_kvinnor": "5"}, "attendance_total"),
        ({"attendance_total": "-1"}, "attendance_total"),
    ],
)
def test_bad_consultation_input_saves_nothing(world, overrides, field):
    before = (Consultation.objects.count(), AuditEvent.objects.count())
    response = world.client("coordinator").post(reverse("consultations:create"), consultation_post(world, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (Consultation.objects.count(), AuditEvent.objects.count()) == before


def test_a_contact_cannot_organise_for_another_unit(world):
    response = world.client("contact_b").post(
        reverse("consultations:create"), consultation_post(world, organisers=[world.unit_a.pk])
    )
    assert "organisers" in response.context["form"].errors


def test_attendance_is_numbers_only(world):
    data = consultation_post(world, att_vuxna_kvinnor="9", att_vuxna_man="4", att_aldre_kvinnor="2")
    world.client("coordinator").post(reverse("consultations:create"), data)
    consultation = Consultation.objects.get(title="Öppet samråd om läxhjälp")
    assert consultation.attendance == {"vuxna": {"kvinnor": 9, "man": 4}, "aldre": {"kvinnor": 2}}
    assert consultation.attendance_total == 15


def test_an_item_decided_before_the_meeting_is_flagged(world):
    client = world.client("contact_a")
    url = reverse("consultations:item_create", args=[world.consultation.pk])
    data = {
        "question": "Ska öppettiderna ändras?", "responsible_unit": world.unit_a.pk, "decision_body": "Socialnämnden",
        "decision_date": "2026-03-01", "decision_ref": "SN 2026/0099", "goals": [world.result_goal.pk],
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("consultations:detail", args=[world.consultation.pk])).content.decode()
    assert "före mötet" in page or "before the meeting" in page


def test_a_goal_or_activity_of_another_municipality_is_refused(world):
    client = world.client("coordinator")
    before = AgendaItem.objects.count()
    data = {
        "question": "X?", "responsible_unit": world.unit_a.pk, "decision_body": "KS",
        "decision_date": "2026-05-01", "goals": [world.other_goal.pk],
    }  # fmt: skip
    response = client.post(reverse("consultations:item_create", args=[world.consultation.pk]), data)
    assert "goals" in response.context["form"].errors
    assert AgendaItem.objects.count() == before
    # Feedback pointing at another municipality's goal: refused too.
    response = client.post(
        reverse("consultations:feedback", args=[world.view.pk]),
        {
            "status": "beaktad",
            "reasoning": "Ja.",
            "unit": world.unit_a.pk,
            "given_on": "2026-05-02",
            "goals": [world.other_goal.pk],
        },
    )
    assert "goals" in response.context["form"].errors
    assert not Feedback.objects.exists()


def test_a_named_view_needs_a_representative_who_agreed(world):
    client = world.client("contact_a")
    url = reverse("consultations:view_create", args=[world.item.pk])
    response = client.post(url, {"text": "Fler tider på kvällen.", "given_by": "representant"})
    assert "representative" in response.context["form"].errors
    rep = world.membership("representative")
    client.post(url, {"text": "Fler tider på kvällen.", "given_by": "representant", "representative": rep.pk})
    assert View.objects.get(text="Fler tider på kvällen.").representative == rep
    rep.named_consent = False
    rep.save()
    response = client.post(url, {"text": "Något annat.", "given_by": "representant", "representative": rep.pk})
    assert "representative" in response.context["form"].errors


def test_feedback_needs_reasoning_and_comes_from_the_responsible_unit(world):
    url = reverse("consultations:feedback", args=[world.view.pk])
    data = {"status": "beaktad", "reasoning": "  ", "unit": world.unit_a.pk, "given_on": "2026-05-02"}
    response = world.client("contact_a").post(url, data)
    assert "reasoning" in response.context["form"].errors
    assert not Feedback.objects.exists()
    assert world.client("contact_b").post(url, data | {"reasoning": "Ja."}).status_code == 403
    assert world.client("representative").post(url, data | {"reasoning": "Ja."}).status_code == 403
    assert not Feedback.objects.exists()


def test_the_trace_from_view_to_result(world):
    world.activity.notes.update(date=date(2026, 6, 1))
    world.activity.notes.create(date=date(2026, 9, 1), text="40 familjer har fått stöd.")
    world.activity.visibility = "publik"
    world.activity.save()
    internal = make_activity(world.plan, world.unit_a, [world.goal], title="Intern kartläggning")
    data = {
        "status": "beaktad", "reasoning": "Nämnden anställer två brobyggare till.", "decision_ref": "SN 2026-04-23 § 7",
        "unit": world.unit_a.pk, "given_on": "2026-05-02", "activities": [world.activity.pk, internal.pk],
        "goals": [world.result_goal.pk],
    }  # fmt: skip
    response = world.client("contact_a").post(reverse("consultations:feedback", args=[world.view.pk]), data)
    assert response.status_code == 302
    page = world.client("representative").get(reverse("consultations:trace", args=[world.view.pk]))
    text = page.content.decode()
    for part in ("Fler brobyggare behövs", "SN 2026/0412", "Nämnden anställer", "Brobyggare i socialtjänsten",
                 "40 familjer har fått stöd."):  # fmt: skip
        assert part in text
    assert "/aktiviteter/" not in text  # a representative gets no links into internal pages
    assert "Intern kartläggning" not in text  # nor sees internal activities
    staff = world.client("reader").get(reverse("consultations:trace", args=[world.view.pk])).content.decode()
    assert "Intern kartläggning" in staff


def test_overdue_views_and_reminders(world):
    assert overdue_views(world.municipality, today=date(2026, 5, 20)) == []
    assert overdue_views(world.municipality, today=TODAY) == [world.view]
    assert send_feedback_reminders(today=TODAY) == 2  # one e-mail each to the coordinator and unit A's contact
    assert send_feedback_reminders(today=TODAY) == 0
    call_command("send_feedback_reminders", "--date", "2026-11-23")
    assert sorted(m.to[0] for m in mail.outbox) == ["contact_a@example.se", "coordinator@example.se"]
    assert "Fler brobyggare behövs i söderort." in mail.outbox[0].body
    feedback_save(
        view=world.view, by=None, fields={"status": "bereds", "reasoning": "Utreds.", "unit": world.unit_a},
        goals=[], activities=[], version=None,
    )  # fmt: skip
    assert overdue_views(world.municipality, today=TODAY) == [world.view]  # "under preparation" is not an answer
    page = world.client("contact_a").get(reverse("consultations:overdue"))
    assert list(page.context["views"]) == [world.view]
    assert world.client("contact_b").get(reverse("consultations:overdue")).context["views"] == []


def test_minutes_review_approval_and_immutability(world, django_capture_on_commit_callbacks):
    rep = world.membership("representative")
    contact, rep_client = world.client("contact_a"), world.client("representative")
    minutes = world.minutes
    assert rep_client.get(reverse("consultations:minutes", args=[minutes.pk])).status_code == 404  # a draft

    with django_capture_on_commit_callbacks(execute=True):
        contact.post(reverse("consultations:minutes_send", args=[minutes.pk]), {"reviewers": [rep.pk]})
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.REVIEW
    assert mail.outbox[-1].to == ["representative@example.se"]
    assert rep_client.get(reverse("home:start")).context["rep"].to_review == [minutes]
    rep_client.post(reverse("consultations:minutes_comment", args=[minutes.pk]), {"text": "Lägg till tolkfrågan."})
    assert minutes.comments.get().text == "Lägg till tolkfrågan."

    contact.post(reverse("consultations:minutes_approve", args=[minutes.pk]))
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.APPROVED
    # Approved minutes cannot be edited, by the form or by a crafted POST.
    response = contact.post(reverse("consultations:minutes_edit", args=[world.consultation.pk]), {"text": "Ändrat"})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.text == "Minnesanteckningar: utkast."
    with pytest.raises(NotAllowedNow):
        minutes_save(consultation=world.consultation, by=None, text="Ändrat", minutes=minutes, version=minutes.version)
    with pytest.raises(NotAllowedNow):
        minutes_approve(minutes=minutes, by=None)

    # Superseding keeps the approved version and starts a new one with a reason.
    contact.post(reverse("consultations:minutes_supersede", args=[minutes.pk]), {"reason": "Fel datum."})
    new = world.consultation.minutes.get(number=2)
    assert (new.supersedes, new.supersede_reason, new.status) == (minutes, "Fel datum.", "utkast")
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.APPROVED and minutes.text == "Minnesanteckningar: utkast."


def test_publishing_checks_for_personal_details(world):
    minutes = world.minutes
    minutes.text = "Anna nås på anna@example.se eller 070-123 45 67. Personnummer 19800101-1234."
    minutes.status = MinutesVersion.Status.APPROVED
    minutes.save()
    client = world.client("coordinator")
    page = client.get(reverse("consultations:minutes_publish", args=[minutes.pk]))
    assert len(page.context["found"]) == 3
    client.post(reverse("consultations:minutes_publish", args=[minutes.pk]), {"checked": "on"})
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.APPROVED  # refused
    MinutesVersion.objects.filter(pk=minutes.pk).update(text="Gruppen önskade fler kvällstider.")
    assert client.post(reverse("consultations:minutes_publish", args=[minutes.pk]), {}).status_code == 200  # no tick
    client.post(reverse("consultations:minutes_publish", args=[minutes.pk]), {"checked": "on"})
    minutes.refresh_from_db()
    assert minutes.status == MinutesVersion.Status.PUBLISHED


def test_a_representative_sees_only_their_consultations_and_nothing_internal(world):
    world.consultation.internal_notes = "Internt: budgetläget."
    world.consultation.compensation_paid = True
    world.consultation.compensation_total = 4500
    world.consultation.save()
    world.item.goals.set([world.result_goal])
    world.item.activities.set([world.activity])
    other = make_consultation(world.municipality, world.unit_b, title="Samråd om bostäder")
    client = world.client("representative")
    listing = client.get(reverse("consultations:list"))
    assert [c.title for c in listing.context["consultations"]] == ["Öppet samråd om brobyggare"]
    assert client.get(reverse("consultations:detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("consultations:detail", args=[world.consultation.pk])).content.decode()
    assert "budgetläget" not in page and "4500" not in page and "4 500" not in page
    assert "/planer/" not in page and "/aktiviteter/" not in page  # no links into internal pages
    assert "Öppet samråd om brobyggare" in page
    for name in ("plans:list", "activities:list", "organisations:units", "followups:rounds", "indicators:list"):
        assert client.get(reverse(name)).status_code == 403


def test_figures_per_unit(world):
    feedback_save(
        view=world.view, by=None, fields={"status": "beaktad", "reasoning": "Ja.", "unit": world.unit_a,
                                          "given_on": date(2026, 5, 10)},
        goals=[], activities=[], version=None,
    )  # fmt: skip
    late = View.objects.create(item=world.item, text="Sen fråga.")
    feedback_save(
        view=late, by=None, fields={"status": "delvis", "reasoning": "Delvis.", "unit": world.unit_a,
                                    "given_on": date(2026, 7, 1)},
        goals=[], activities=[], version=None,
    )  # fmt: skip
    View.objects.create(item=world.item, text="Obesvarad.")
    (row,) = figures(world.municipality, 2026, today=TODAY)
    assert row.unit == world.unit_a and row.held == 1 and row.views == 3
    assert row.answered_in_time == 1 and row.answered_late == 1 and row.overdue == 1
    assert row.share_in_time == 33
    assert row.median_days == (17 + 69) / 2


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow(world):
    client = world.client("coordinator")
    urls = [
        reverse("consultations:list"),
        reverse("consultations:detail", args=[world.consultation.pk]),
        reverse("consultations:overdue"),
        reverse("consultations:trace", args=[world.view.pk]),
        reverse("consultations:figures") + "?ar=2026",
        reverse("consultations:list") + "?ordning=-svar&sida=2",  # sorted by an aggregate, paged
    ]
    feedback_save(
        view=world.view, by=None, fields={"status": "beaktad", "reasoning": "Ja.", "unit": world.unit_a},
        goals=[world.result_goal], activities=[world.activity], version=None,
    )  # fmt: skip
    View.objects.create(item=world.item, text="Obesvarad 0.")
    [_queries(client, url) for url in urls]  # warm the content-type cache
    before = [_queries(client, url) for url in urls]
    rep_client = world.client("representative")
    rep_before = [_queries(rep_client, url) for url in (reverse("home:start"), reverse("consultations:list"))]
    rep = world.membership("representative")
    for i in range(49):
        c = make_consultation(world.municipality, world.unit_a if i % 2 else world.unit_b, title=f"Samråd {i}",
                              representatives=[rep])  # fmt: skip
        item = AgendaItem.objects.create(
            consultation=world.consultation, position=i + 2, question=f"Fråga {i}", responsible_unit=world.unit_a,
            decision_body="SN", decision_date=date(2026, 4, 1),
        )  # fmt: skip
        item.goals.set([world.result_goal])
        v = View.objects.create(item=item, text=f"Synpunkt {i}")
        if i % 2:
            feedback_save(view=v, by=None, fields={"status": "delvis", "reasoning": "D.", "unit": world.unit_a},
                          goals=[], activities=[world.activity], version=None)  # fmt: skip
        View.objects.create(item=c.items.get(), text=f"Obesvarad {i + 1}")
    world.view.feedback.activities.add(
        *[make_activity(world.plan, world.unit_a, [world.goal], title=f"A{i}") for i in range(49)]
    )
    after = [_queries(client, url) for url in urls]
    assert after == before
    assert [_queries(rep_client, url) for url in (reverse("home:start"), reverse("consultations:list"))] == rep_before


REP2 = {"username": "rep2", "first_name": "Rosa", "last_name": "Taikon", "email": "rosa@example.se",
        "role": "representative"}  # fmt: skip


def test_representative_accounts_are_created_by_the_coordinator(world, django_capture_on_commit_callbacks):
    client = world.client("coordinator")
    response = client.post(
        reverse("organisations:member_create"),
        {
            "username": "rep2",
            "first_name": "Rosa",
            "last_name": "Taikon",
            "email": "rosa@example.se",
            "role": "representative",
            "organisation": "",
        },
    )
    assert "organisation" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):  # the invitation is sent after the commit (outbox)
        client.post(
            reverse("organisations:member_create"),
            {
                "username": "rep2",
                "first_name": "Rosa",
                "last_name": "Taikon",
                "email": "rosa@example.se",
                "role": "representative",
                "organisation": "Romska rådet",
            },
        )
    member = Membership.objects.get(user__username="rep2")
    assert (member.role, member.organisation, member.named_consent) == ("representative", "Romska rådet", False)
    assert mail.outbox[-1].to == ["rosa@example.se"]


def test_other_municipality_representative_sees_nothing(world):
    outsider = make_user("rep_other", world.other_municipality, Membership.Role.REPRESENTATIVE)
    from django.test import Client

    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("consultations:detail", args=[world.consultation.pk])).status_code == 404
    assert list(client.get(reverse("consultations:list")).context["consultations"]) == []


def test_a_representative_who_withdraws_consent_is_no_longer_named(world):
    rep = world.membership("representative")
    named = View.objects.create(item=world.item, text="Egen synpunkt.", given_by="representant", representative=rep)
    assert named.given_by_display.startswith("Representative Testsson")
    rep.named_consent = False
    rep.save()
    named = View.objects.select_related("representative__user").get(pk=named.pk)
    assert "Testsson" not in named.given_by_display and "Romska kvinnoföreningen" in named.given_by_display


def test_a_contact_editing_keeps_the_other_units_organisers(world):
    world.consultation.organisers.add(world.unit_b)
    client = world.client("contact_a")
    url = reverse("consultations:edit", args=[world.consultation.pk])
    form = client.get(url).context["form"]
    data = consultation_post(world, title="Nytt namn", version=form["version"].value())
    assert client.post(url, data).status_code == 302
    assert set(world.consultation.organisers.all()) == {world.unit_a, world.unit_b}
    # A second save from the same stale form is refused and keeps what was typed.
    response = client.post(url, data | {"title": "Ännu ett namn"})
    assert response.status_code == 409
    assert response.context["form"]["title"].value() == "Ännu ett namn"


def test_kept_things_cannot_be_deleted_or_published_twice(world):
    client = world.client("coordinator")
    feedback_save(
        view=world.view, by=None, fields={"status": "beaktad", "reasoning": "Ja.", "unit": world.unit_a},
        goals=[], activities=[], version=None,
    )  # fmt: skip
    client.post(reverse("consultations:delete", args=[world.consultation.pk]))
    assert Consultation.objects.filter(pk=world.consultation.pk).exists()  # answered views are kept
    with pytest.raises(NotAllowedNow):  # invited representatives review before approval
        minutes_approve(minutes=world.minutes, by=None)
    MinutesVersion.objects.filter(pk=world.minutes.pk).update(status="justerad", text="Gruppen ville ha fler tider.")
    world.minutes.refresh_from_db()
    client.post(reverse("consultations:minutes_supersede", args=[world.minutes.pk]), {"reason": "Fel datum."})
    client.post(reverse("consultations:minutes_publish", args=[world.minutes.pk]), {"checked": "on"})
    world.minutes.refresh_from_db()
    assert world.minutes.status == "justerad"  # superseded minutes are not published


def test_personal_details_are_reported_once_each(world):
    from consultations.services import personal_details_in

    found = personal_details_in("Ring 0701234567 eller skriv till a.b@example.se; pnr 19800101-1234.")
    assert len(found) == 3 and sum("0701234567" in f for f in found) == 1
