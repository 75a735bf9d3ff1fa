"""The review of issue 16 (remiss side): the plan version's status follows the remiss,
handling reasons, the contact's read-only answer, the generated remissunderlag locked
once sent, answer dates, Swedish labels and dates, "Inkom". Forms as the browser sends them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from documents.models import Attachment
from lib.formatting import short_date, short_datetime
from outbox.models import OutgoingMail
from plans.models import Plan
from remiss import services
from remiss.models import Answer, Comment, Remiss, Underlag
from remiss.tests.test_remiss import field_error, form_on, new_remiss, post, sv
from tests.formreader import submissions


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sent(world, *, days_ago=10, deadline_days=30, **kwargs):
    remiss = new_remiss(world, deadline_days=deadline_days, **kwargs)
    services.remiss_send(
        remiss=remiss, by=world.users["coordinator"], on=timezone.localdate() - timedelta(days=days_ago)
    )
    remiss.refresh_from_db()
    return remiss


def answered(world, remiss, **comments):
    body = remiss.bodies.get(unit=world.unit_a)
    services.answer_save(
        body=body,
        by=world.users["contact_a"],
        via=Answer.Via.APP,
        fields={"stance": "tillstyrker_med_synpunkter", "answered_on": timezone.localdate(), "dnr": "SN 2026/12"},
        comments=comments or {f"goal:{world.result_goal.pk}": "Brobyggare behövs i socialtjänsten."},
    )
    return body


def generated(remiss) -> list[Attachment]:
    remiss_type = ContentType.objects.get_for_model(Remiss)
    return list(Attachment.objects.filter(content_type=remiss_type, object_id=remiss.pk).order_by("kind"))


# --- 1. The plan version's status follows the remiss ------------------------------------------


def test_sending_puts_the_draft_version_on_remiss_and_closing_moves_it_to_revision(
    world, django_capture_on_commit_callbacks
):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    remiss = new_remiss(world)
    coordinator = world.client("coordinator")
    send = form_on(coordinator, reverse("remiss:send", args=[remiss.pk]), "remiss:send")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(coordinator, send).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.CONSULTATION
    event = AuditEvent.objects.filter(object_id=world.plan.pk, content_type__model="plan").latest("pk")
    with translation.override("sv"):
        assert event.changes == {"status": [str(Plan.Status.DRAFT.label), str(Plan.Status.CONSULTATION.label)]}
    # The remissunderlag, made after the commit, has the version on remiss, not a draft.
    assert remiss.underlag_builds.get().status == Underlag.Status.DONE
    text = services.underlag_document(Remiss.objects.get(pk=remiss.pk)).text()
    with translation.override("sv"):
        assert str(Plan.Status.CONSULTATION.label) in text and str(Plan.Status.DRAFT.label) not in text
    # The publish page no longer says the version is not on remiss.
    publish = coordinator.get(reverse("remiss:publish", args=[remiss.pk])).content.decode()
    not_on_remiss = (
        "The plan version it was sent on is not on the public site: "
        "it must be out for consultation, adopted or replaced."
    )
    assert sv(not_on_remiss) not in publish
    close = form_on(coordinator, reverse("remiss:close", args=[remiss.pk]), "remiss:close")
    assert post(coordinator, close).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.REVISION


def test_an_adopted_version_keeps_its_status(world):
    assert world.plan.status == Plan.Status.ADOPTED
    remiss = sent(world)
    services.remiss_close(remiss=remiss, by=world.users["coordinator"])
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.ADOPTED
    assert not AuditEvent.objects.filter(object_id=world.plan.pk, content_type__model="plan").exists()


# --- 2. "Ej beaktad" and "delvis beaktad" say why ---------------------------------------------


@pytest.mark.parametrize(
    "handling, message",
    [
        ("ej_beaktad", "Say why the comment was not taken into account."),
        ("delvis", "Say what of the comment was taken into account and what was not."),
    ],
)
def test_a_handling_without_its_reason_is_refused(world, handling, message):
    remiss = sent(world)
    comment = Comment.objects.get(answer__body=answered(world, remiss))
    coordinator = world.client("coordinator")
    url = reverse("remiss:compilation", args=[remiss.pk])
    (form,) = [s for s in submissions(url, coordinator.get(url).content) if s.name == "remiss:handle"]
    response = post(coordinator, form, **{f"c{comment.pk}-handling": handling})
    assert response.status_code == 400
    assert field_error(response, f"c{comment.pk}-handling_text") == sv(message)
    comment.refresh_from_db()
    assert comment.handling == ""
    with pytest.raises(services.RemissRefused):
        services.comment_handle(comment=comment, by=world.users["coordinator"], handling=handling, text="  ")
    response = post(coordinator, form, **{f"c{comment.pk}-handling": handling, f"c{comment.pk}-handling_text": "Skäl."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.handling, comment.handling_text) == (handling, "Skäl.")


# --- 3. The contact reads the unit's answer once they may no longer write ---------------------


def test_a_contact_reads_their_units_answer_after_the_remiss_closed(world):
    remiss = sent(world)
    body = answered(world, remiss)
    comment = Comment.objects.get(answer__body=body)
    services.comment_handle(
        comment=comment, by=world.users["coordinator"], handling="ej_beaktad", text="Planen anger redan det."
    )
    from django.core.files.base import ContentFile

    from documents.services import attachment_add
    from documents.validators import check_upload

    upload = ContentFile(b"%PDF-1.4\n%%EOF\n", name="beslut.pdf")
    attachment_add(obj=body, by=world.users["contact_a"], upload=upload, checked=check_upload(upload))
    services.remiss_close(remiss=remiss, by=world.users["coordinator"])
    contact = world.client("contact_a")
    url = reverse("remiss:answer", args=[body.pk])
    detail = contact.get(reverse("remiss:detail", args=[remiss.pk])).content.decode()
    assert f'href="{url}"' in detail and sv("Read the answer") in detail
    page = contact.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Brobyggare behövs i socialtjänsten." in html and "Planen anger redan det." in html
    assert "beslut.pdf" in html and "SN 2026/12" in html
    assert "<form" not in html.split("<main", 1)[1].split("attachments", 1)[0]  # no answer form
    assert 'id="history-heading"' in html
    assert contact.post(url, {"stance": "avstyrker"}).status_code == 403
    assert Answer.objects.get(body=body).stance == "tillstyrker_med_synpunkter"
    # Another unit's contact still sees nothing of it.
    assert world.client("contact_b").get(url).status_code == 404


# --- 4. The generated pair of a sent remiss is locked -----------------------------------------


def test_the_generated_remissunderlag_of_a_sent_remiss_cannot_be_removed(world, django_capture_on_commit_callbacks):
    remiss = new_remiss(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.underlag_request(remiss=remiss, by=world.users["coordinator"])
    coordinator = world.client("coordinator")
    detail = reverse("remiss:detail", args=[remiss.pk])
    draft_pdf, _draft_docx = generated(remiss)
    # A draft's pair may be removed.
    assert reverse("documents:delete", args=[draft_pdf.pk]) in coordinator.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    pdf, docx = generated(remiss)
    page = coordinator.get(detail).content.decode()
    for attachment in (pdf, docx):
        url = reverse("documents:delete", args=[attachment.pk])
        assert url not in page
        response = coordinator.post(url, follow=True)
        assert sv(
            "The generated remissunderlag of a sent remiss cannot be removed: it is what the bodies were sent."
        ) in (response.content.decode())
    assert len(generated(remiss)) == 2


# --- 5. "Being made" only while a build waits -------------------------------------------------


def test_without_generated_files_the_pages_do_not_promise_them(world):
    remiss = sent(world)
    Underlag.objects.filter(remiss=remiss).delete()  # an old remiss: nothing was generated
    services.remiss_close(remiss=remiss, by=world.users["coordinator"])
    org = remiss.bodies.get(name="Romska kvinnoföreningen")
    link = world.client("anonymous").get(reverse("remiss_public:answer", args=[org.link_token])).content.decode()
    with translation.override("sv"):
        being_made = _("No documents yet: the plan as PDF and Word is being made. Reload this page in a while.")
    assert being_made not in link and sv("No documents are attached to the remiss.") in link
    detail = world.client("coordinator").get(reverse("remiss:detail", args=[remiss.pk])).content.decode()
    assert sv(
        "The plan version as PDF and Word is made when the remiss is sent, and attached under Documents."
    ) not in (detail)
    # While a build waits, the link page says it is being made.
    Underlag.objects.create(remiss=remiss)
    link = world.client("anonymous").get(reverse("remiss_public:answer", args=[org.link_token])).content.decode()
    assert being_made in link


# --- 6. Answer dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, days, message",
    [
        ("answered_on", 1, "The date of the answer cannot be in the future."),
        ("decided_on", 3, "The decision date cannot be in the future."),
    ],
)
def test_answer_dates_in_the_future_are_refused(world, field, days, message):
    remiss = sent(world)
    body = remiss.bodies.get(unit=world.unit_a)
    contact = world.client("contact_a")
    url = reverse("remiss:answer", args=[body.pk])
    day = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = post(contact, form_on(contact, url), stance="tillstyrker", **{field: day})
    assert response.status_code == 400 and field_error(response, field) == sv(message)
    assert not Answer.objects.exists()


def test_an_answer_dated_before_the_remiss_was_sent_is_refused(world):
    remiss = sent(world, days_ago=10)
    org = remiss.bodies.get(name="Romska kvinnoföreningen")
    anonymous = world.client("anonymous")
    url = reverse("remiss_public:answer", args=[org.link_token])
    day = (timezone.localdate() - timedelta(days=11)).isoformat()
    response = post(anonymous, form_on(anonymous, url), stance="tillstyrker", answered_on=day)
    assert response.status_code == 400
    with translation.override("sv"):
        expected = _("The date of the answer cannot be before the remiss was sent (%(date)s).") % {
            "date": short_date(remiss.sent_on)
        }
    assert field_error(response, "answered_on") == expected
    assert not Answer.objects.exists()
    # The day it was sent is fine.
    response = post(anonymous, form_on(anonymous, url), stance="tillstyrker", answered_on=remiss.sent_on.isoformat())
    assert response.status_code == 302


# --- 7. "Skickad" ----------------------------------------------------------------------------


def test_a_sent_remiss_reads_skickad(world):
    remiss = sent(world)
    with translation.override("sv"):
        assert remiss.get_status_display() == "skickad"
    page = world.client("coordinator").get(reverse("remiss:list")).content.decode()
    assert "Skickad<" in page and "Skickade" not in page
    event = AuditEvent.objects.filter(object_id=remiss.pk, content_type__model="remiss").latest("pk")
    assert event.changes["status"][1] in ("skickad", "sent")


# --- 8. The remissunderlag carries the remiss's dnr -------------------------------------------


def test_the_remissunderlag_names_the_remiss_and_its_dnr(world):
    remiss = new_remiss(world)
    Remiss.objects.filter(pk=remiss.pk).update(dnr="KS 2026/1234")
    remiss.refresh_from_db()
    assert services.underlag_names(remiss) == ("remissunderlag-ks-2026-1234.pdf", "remissunderlag-ks-2026-1234.docx")
    text = services.underlag_document(remiss).text()
    assert "KS 2026/1234" in text and remiss.title in text


# --- 9. When each answer came in --------------------------------------------------------------


def test_the_registrar_sees_when_each_answer_came_in(world):
    remiss = sent(world)
    body = answered(world, remiss)
    with translation.override("sv"):
        received = short_datetime(Answer.objects.get(body=body).submitted_at)
    coordinator = world.client("coordinator")
    for url in (
        reverse("remiss:detail", args=[remiss.pk]),
        reverse("remiss:answer", args=[body.pk]),
        reverse("remiss:compilation", args=[remiss.pk]),
    ):
        page = coordinator.get(url).content.decode()
        assert received in page, url
        assert "Inkom" in page, url
    from remiss.document import compilation_document
    from remiss.selectors import compilation

    assert received in compilation_document(compilation(remiss)).text()


# --- 10. Histories ----------------------------------------------------------------------------


def test_the_answer_page_and_the_remiss_history_read_in_swedish(world):
    remiss = sent(world)
    body = answered(world, remiss)
    services.remiss_publish(remiss=remiss, by=world.users["coordinator"], confirmed_personal_data=True)
    coordinator = world.client("coordinator")
    answer_page = coordinator.get(reverse("remiss:answer", args=[body.pk])).content.decode()
    assert 'id="history-heading"' in answer_page and "SN 2026/12" in answer_page.split('id="history-heading"')[1]
    detail = coordinator.get(reverse("remiss:detail", args=[remiss.pk])).content.decode()
    history = detail.split('id="history-heading"')[1]
    for raw in ("Organisations<", "published on the public site<", "Published on the public site<", "Event<"):
        assert raw not in history
    assert "Externa organisationer" in history and "Publicerad på den offentliga webbplatsen" in history


# --- 11, 14. Section names, wording ----------------------------------------------------------


def test_section_names_are_capitalised_and_the_wording_suits_who_reads_it(world):
    remiss = sent(world)
    body = answered(world, remiss, uppfoljning="Uppföljningen bör ledas av stadsledningskontoret.")
    coordinator = world.client("coordinator")
    form = coordinator.get(reverse("remiss:answer", args=[body.pk])).content.decode()
    for name in ("Inledning", "Ansvar", "Uppföljning", "Annat"):
        assert f">{name}<" in form or f">{name}\n" in form or f"{name}</label>" in form, name
    compilation = coordinator.get(reverse("remiss:compilation", args=[remiss.pk])).content.decode()
    assert ">Uppföljning</h3>" in compilation
    # The organisation's link form: a hint for an association.
    org = remiss.bodies.get(name="Romska kvinnoföreningen")
    link = world.client("anonymous").get(reverse("remiss_public:answer", args=[org.link_token])).content.decode()
    assert sv("E.g. the association's board.") in link and "stadsdelsnämnd" not in link.split("decided_by")[1][:400]
    # The coordinator's form on a closed remiss does not welcome "your" answer.
    services.remiss_close(remiss=remiss, by=world.users["coordinator"])
    other = remiss.bodies.get(name="Romska kvinnoföreningen")
    closed_form = coordinator.get(reverse("remiss:answer", args=[other.pk])).content.decode()
    assert "välkommet" not in closed_form and "inkommet för sent" in closed_form
    # Word writes the stances as the page does.
    from remiss.document import compilation_document
    from remiss.selectors import compilation as compile_

    text = compilation_document(compile_(remiss)).text()
    assert "Tillstyrker med synpunkter" in text and "Uppföljning" in text


# --- 12, 13. Dates and e-mails ---------------------------------------------------------------


def test_dates_in_the_house_style_and_subjects_without_a_doubled_remiss(world):
    remiss = new_remiss(world)
    Remiss.objects.filter(pk=remiss.pk).update(title="Remiss av Handlingsplan 2030")
    remiss.refresh_from_db()
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    with translation.override("sv"):
        deadline = short_date(remiss.deadline)
    mails = list(OutgoingMail.objects.all())
    assert mails and all("Remiss: Remiss" not in m.subject and deadline in m.body for m in mails)
    assert remiss.deadline.isoformat() not in "".join(m.body for m in mails)
    coordinator = world.client("coordinator")
    for url in (reverse("remiss:list"), reverse("remiss:detail", args=[remiss.pk])):
        page = coordinator.get(url).content.decode()
        assert deadline in page and remiss.deadline.isoformat() not in page, url
    # The reminder after the deadline.
    count = services.send_remiss_reminders(today=remiss.deadline + timedelta(days=1))
    reminders = list(OutgoingMail.objects.filter(kind=services.MAIL_REMISS_REMINDER))
    assert count and reminders
    assert all("Remissen Remiss" not in m.body and "remiss Remiss" not in m.subject for m in reminders)
    assert all(deadline in m.body for m in reminders)
