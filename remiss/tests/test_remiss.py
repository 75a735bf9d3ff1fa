"""A remiss from the coordinator's draft to the compilation, as the browser
sends the forms; bad input; access; reminders; the compilation's query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import html as lxml_html

from audit.models import AuditEvent
from outbox.models import OutgoingMail
from remiss import services
from remiss.models import Answer, Body, Comment, ReminderSent, Remiss
from tests.formreader import submissions


def form_on(client, url, action_name: str | None = None):
    """The form a page renders (the first, or the one posting to ``action_name``) as the browser would send it."""
    page = client.get(url)
    assert page.status_code == 200, url
    forms = submissions(url, page.content)
    if action_name:
        forms = [f for f in forms if f.name.split("|")[0] == action_name]
    else:  # the page's own form, not the header's language switch or sign-out
        forms = [f for f in forms if f.action.split("?")[0] == url]
    assert forms, f"no form on {url}"
    return forms[0]


def post(client, sub, **changes):
    data = {k: v for k, v in sub.data.items()}
    for key, value in changes.items():
        data[key] = value if isinstance(value, list) else [value]
    return client.post(sub.action, data)


def field_error(response, field: str) -> str:
    """The error text shown under a field (form_field.html: id_<field>_error)."""
    doc = lxml_html.document_fromstring(response.content.decode())
    found = doc.xpath(f'//*[@id="id_{field}_error"]')
    return " ".join(found[0].text_content().split()) if found else ""


def sv(text: str) -> str:
    with translation.override("sv"):
        return _(text)


def new_remiss(world, *, deadline_days=30, organisations="Romska kvinnoföreningen, info@example.se", units=None):
    return services.remiss_create(
        plan=world.plan,
        by=world.users["coordinator"],
        title="Remiss: Handlingsplan 2030",
        dnr="E2025-02080-1",
        deadline=timezone.localdate() + timedelta(days=deadline_days),
        units=[world.unit_a] if units is None else units,
        organisations=services_orgs(organisations),
    )


def services_orgs(text):
    from remiss.forms import parse_organisations

    return parse_organisations(text)


# --- The whole flow ---------------------------------------------------------------------------


def test_a_remiss_from_draft_to_compilation(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    coordinator = world.client("coordinator")

    # The coordinator starts from the plan's page.
    plan_page = coordinator.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    create_url = reverse("remiss:create", args=[world.plan.pk])
    assert create_url in plan_page

    sub = form_on(coordinator, create_url)
    response = post(
        coordinator,
        sub,
        dnr="E2025-02080-1",
        deadline=(today + timedelta(days=21)).isoformat(),
        letter="Kommunstyrelsen remitterar handlingsplanen.",
        units=[str(world.unit_a.pk), str(world.unit_b.pk)],
        organisations="Romska kvinnoföreningen, info@example.se\nLänsstyrelsen i Stockholms län, lst@example.se",
    )
    assert response.status_code == 302
    remiss = Remiss.objects.get()
    assert (remiss.status, remiss.plan, remiss.dnr) == (Remiss.Status.DRAFT, world.plan, "E2025-02080-1")
    assert remiss.bodies.count() == 4
    assert not OutgoingMail.objects.exists()

    # The draft's edit form, posted back unchanged, changes nothing.
    edit = form_on(coordinator, reverse("remiss:edit", args=[remiss.pk]))
    events = AuditEvent.objects.count()
    assert post(coordinator, edit).status_code == 302
    assert AuditEvent.objects.count() == events

    # Send it, from the detail page's link to the confirmation page and its form.
    detail_url = reverse("remiss:detail", args=[remiss.pk])
    send_url = reverse("remiss:send", args=[remiss.pk])
    assert f'href="{send_url}"' in coordinator.get(detail_url).content.decode()
    send = form_on(coordinator, send_url, "remiss:send")
    assert post(coordinator, send).status_code == 302
    remiss.refresh_from_db()
    assert (remiss.status, remiss.sent_on) == (Remiss.Status.SENT, today)
    mails = {m.to: m for m in OutgoingMail.objects.all()}
    assert set(mails) == {"contact_a@example.se", "contact_b@example.se", "info@example.se", "lst@example.se"}
    org = remiss.bodies.get(name="Romska kvinnoföreningen")
    assert reverse("remiss_public:answer", args=[org.link_token]) in mails["info@example.se"].body
    assert (
        reverse("remiss:answer", args=[remiss.bodies.get(unit=world.unit_a).pk]) in mails["contact_a@example.se"].body
    )
    # The other organisation's link is not in this organisation's mail.
    lst = remiss.bodies.get(name__startswith="Länsstyrelsen")
    assert lst.link_token not in mails["info@example.se"].body

    # Contact A answers for unit A: a comment on the result goal and one on the follow-up section.
    contact_a = world.client("contact_a")
    body_a = remiss.bodies.get(unit=world.unit_a)
    answer_url = reverse("remiss:answer", args=[body_a.pk])
    assert answer_url in contact_a.get(detail_url).content.decode()
    sub = form_on(contact_a, answer_url)
    assert "received_late" not in sub.data  # the coordinator's box only
    response = post(
        contact_a,
        sub,
        stance="tillstyrker_med_synpunkter",
        dnr="SN 2025/578",
        officer="Jens Westlund",
        decided_by="Socialnämnden",
        summary="Förvaltningen välkomnar handlingsplanen.",
        **{
            f"goal_{world.result_goal.pk}": "Uppsökande arbete behöver brobyggare.",
            "section_uppfoljning": "Stadsledningskontoret bör leda uppföljningen.",
        },
    )
    assert response.status_code == 302
    answer_a = Answer.objects.get(body=body_a)
    assert (answer_a.received_via, answer_a.is_late, answer_a.officer) == ("app", False, "Jens Westlund")
    assert {(c.section, c.goal_id) for c in answer_a.comments.all()} == {
        ("mal", world.result_goal.pk),
        ("uppfoljning", None),
    }

    # The organisation answers through its link, without an account; it may be published.
    anonymous = world.client("anonymous")
    link = reverse("remiss_public:answer", args=[org.link_token])
    page = anonymous.get(link).content.decode()
    assert "Romska kvinnoföreningen" in page and "Länsstyrelsen" not in page
    sub = form_on(anonymous, link)
    response = post(
        anonymous,
        sub,
        stance="avstyrker",
        publish_consent="on",
        **{f"goal_{world.result_goal.pk}": "Romska föreningar måste vara med från början."},
    )
    assert response.status_code == 302 and response["Location"].endswith("/tack/")
    answer_org = Answer.objects.get(body=org)
    assert (answer_org.received_via, answer_org.publish_consent, answer_org.is_late) == ("lank", True, False)

    # Länsstyrelsen answers after the deadline: accepted, marked late; "avstår" needs no comments.
    with time_machine.travel(timezone.now() + timedelta(days=25)):
        link = reverse("remiss_public:answer", args=[lst.link_token])
        response = post(anonymous, form_on(anonymous, link), stance="avstar")
        assert response.status_code == 302
    answer_lst = Answer.objects.get(body=lst)
    assert (answer_lst.stance, answer_lst.is_late, answer_lst.comments.count()) == ("avstar", True, 0)

    # The compilation: per goal and section, every comment with its body; who did not answer.
    compilation_url = reverse("remiss:compilation", args=[remiss.pk])
    page = coordinator.get(compilation_url).content.decode()
    with translation.override("sv"):
        follow_up = str(Comment.Section.FOLLOW_UP.label).capitalize()  # a heading: "Uppföljning"
    # Goals in the plan's order, then the sections.
    assert page.index("1.2.1 Stadens verksamheter arbetar uppsökande") < page.index(f">{follow_up}</h3>")
    for text in ("Uppsökande arbete behöver brobyggare.", "Romska föreningar måste vara med från början."):
        assert text in page
    assert "Hägersten-Älvsjö stadsdelsnämnd" in page  # unit B: no answer
    comment = answer_org.comments.get()
    forms = [
        s
        for s in submissions(compilation_url, coordinator.get(compilation_url).content)
        if s.action == reverse("remiss:handle", args=[comment.pk])
    ]
    assert forms
    response = post(
        coordinator,
        forms[0],
        **{
            f"c{comment.pk}-handling": "delvis",
            f"c{comment.pk}-handling_text": "Samråd före varje ny insats (mål 3.1).",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.handling, comment.handling_text) == ("delvis", "Samråd före varje ny insats (mål 3.1).")
    assert comment.handled_by == world.users["coordinator"]

    # The reader sees the compilation without the forms.
    reader_page = world.client("reader").get(compilation_url).content.decode()
    assert "Samråd före varje ny insats" in reader_page
    assert reverse("remiss:handle", args=[comment.pk]) not in reader_page

    # Word and PDF.
    docx = coordinator.get(reverse("remiss:compilation_docx", args=[remiss.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from remiss.document import compilation_document
    from remiss.selectors import compilation

    text = compilation_document(compilation(remiss)).text()
    assert "Romska föreningar måste vara med från början." in text and "Samråd före varje ny insats (mål 3.1)." in text
    # The PDF is made by the worker (immediate under pytest, once the request's transaction commits).
    request_pdf = form_on(coordinator, compilation_url, "remiss:compilation_pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(coordinator, request_pdf).status_code == 302
    made = remiss.pdfs.get()
    assert made.status == "klar" and made.pages >= 1
    page = world.client("reader").get(compilation_url).content.decode()
    file_url = reverse("remiss:compilation_pdf_file", args=[made.pk])
    assert file_url in page
    pdf = world.client("reader").get(file_url)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert world.client("contact_a").get(file_url).status_code == 403

    # Close: the link page says so; contact A can no longer answer.
    close_url = reverse("remiss:close", args=[remiss.pk])  # the detail page links to its confirmation
    assert f'href="{close_url}"' in coordinator.get(detail_url).content.decode()
    assert post(coordinator, form_on(coordinator, close_url, "remiss:close")).status_code == 302
    remiss.refresh_from_db()
    assert remiss.status == Remiss.Status.CLOSED
    closed = anonymous.get(reverse("remiss_public:answer", args=[org.link_token]))
    assert closed.status_code == 200 and 'name="stance"' not in closed.content.decode()
    # Contact A reads the unit's answer (remiss/tests/test_review_r16.py), writes no more.
    readonly = contact_a.get(answer_url)
    assert readonly.status_code == 200 and 'name="stance"' not in readonly.content.decode()
    assert contact_a.post(answer_url, {"stance": "avstyrker"}).status_code == 403


# --- Bad input --------------------------------------------------------------------------------


def test_deadline_before_sending_is_refused_on_its_field(world):
    coordinator = world.client("coordinator")
    sub = form_on(coordinator, reverse("remiss:create", args=[world.plan.pk]))
    response = post(
        coordinator, sub, deadline=timezone.localdate().isoformat(), units=[str(world.unit_a.pk)], organisations=""
    )
    assert response.status_code == 400
    assert field_error(response, "deadline") == sv("The deadline must be after the day the remiss is sent.")
    assert not Remiss.objects.exists()


def test_no_bodies_is_refused_on_its_field(world):
    coordinator = world.client("coordinator")
    sub = form_on(coordinator, reverse("remiss:create", args=[world.plan.pk]))
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = post(coordinator, sub, deadline=deadline, organisations="")
    assert response.status_code == 400
    assert field_error(response, "units") == sv("Choose at least one body: a unit or an external organisation.")
    assert not Remiss.objects.exists()


def test_an_organisation_without_an_address_is_refused(world):
    coordinator = world.client("coordinator")
    sub = form_on(coordinator, reverse("remiss:create", args=[world.plan.pk]))
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = post(coordinator, sub, deadline=deadline, organisations="Romska rådet")
    assert response.status_code == 400
    with translation.override("sv"):
        expected = _("%(name)s has no e-mail address: the remiss cannot reach it.") % {"name": "Romska rådet"}
    assert field_error(response, "organisations") == expected
    response = post(coordinator, sub, deadline=deadline, organisations="Romska rådet, inte-en-adress")
    assert field_error(response, "organisations").startswith(
        sv("Line %(n)s: “%(email)s” is not an e-mail address.")[:4]
    )
    assert not Remiss.objects.exists()


def test_sending_after_the_deadline_is_refused(world):
    remiss = new_remiss(world, deadline_days=3)
    # The draft lay until after its deadline.
    Remiss.objects.filter(pk=remiss.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    coordinator = world.client("coordinator")
    send = form_on(coordinator, reverse("remiss:send", args=[remiss.pk]), "remiss:send")
    response = post(coordinator, send)
    assert response.status_code == 400
    assert field_error(response, "sent_on") == sv("The deadline must be after the day the remiss is sent.")
    remiss.refresh_from_db()
    assert remiss.status == Remiss.Status.DRAFT and not OutgoingMail.objects.exists()


def test_answer_after_close_needs_the_late_flag(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    services.remiss_close(remiss=remiss, by=world.users["coordinator"])
    body = remiss.bodies.get(unit=world.unit_a)
    coordinator = world.client("coordinator")
    url = reverse("remiss:answer", args=[body.pk])
    sub = form_on(coordinator, url)
    response = post(coordinator, sub, stance="tillstyrker")
    assert response.status_code == 400
    assert field_error(response, "received_late") == sv(
        "The remiss is closed: tick “Received late” to register this answer."
    )
    assert not Answer.objects.exists()
    response = post(coordinator, sub, stance="tillstyrker", received_late="on")
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.is_late, answer.received_via, answer.stance) == (True, "registrerat", "tillstyrker")


def test_a_contact_answers_only_for_their_own_unit(world):
    remiss = new_remiss(world, units=[world.unit_a, world.unit_b])
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    body_a = remiss.bodies.get(unit=world.unit_a)
    contact_b = world.client("contact_b")
    url = reverse("remiss:answer", args=[body_a.pk])
    assert contact_b.get(url).status_code == 404
    assert (
        contact_b.post(url, {"stance": "avstyrker", "answered_on": timezone.localdate().isoformat()}).status_code == 404
    )
    assert world.client("reader").post(url, {"stance": "avstyrker"}).status_code == 403
    assert not Answer.objects.exists()
    # Contact B sees unit B's body only.
    page = contact_b.get(reverse("remiss:detail", args=[remiss.pk])).content.decode()
    assert "Hägersten-Älvsjö" in page and "Socialnämnden" not in page and "Romska kvinnoföreningen" not in page


def test_a_draft_is_not_shown_to_contacts_nor_by_link(world):
    remiss = new_remiss(world)
    assert world.client("contact_a").get(reverse("remiss:detail", args=[remiss.pk])).status_code == 404
    assert (
        world.client("contact_a")
        .get(reverse("remiss:answer", args=[remiss.bodies.get(unit=world.unit_a).pk]))
        .status_code
        == 404
    )
    # Readers read everything in the municipality, drafts too, but change nothing.
    page = world.client("reader").get(reverse("remiss:detail", args=[remiss.pk])).content.decode()
    assert remiss.title in page and reverse("remiss:send", args=[remiss.pk]) not in page
    assert remiss.title not in world.client("contact_a").get(reverse("remiss:list")).content.decode()
    org = remiss.bodies.get(unit__isnull=True)
    assert world.client("anonymous").get(reverse("remiss_public:answer", args=[org.link_token])).status_code == 404


@pytest.mark.parametrize("forged", ["wrong", "{pk}-0000", "{pk}-{other}", "{unit}-{unit_hash}", "x-{hash}"])
def test_a_wrong_or_forged_link_is_not_found(world, forged):
    remiss = new_remiss(world, organisations="Romska kvinnoföreningen, info@example.se\nRådet, r@example.se")
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    org, other = remiss.bodies.filter(unit__isnull=True).order_by("pk")
    unit_body = remiss.bodies.get(unit=world.unit_a)
    token = forged.format(
        pk=org.pk,
        other=other.link_token.split("-")[1],
        hash=org.link_token.split("-")[1],
        unit=unit_body.pk,
        unit_hash=unit_body.link_token.split("-")[1],
    )
    client = world.client("anonymous")
    url = reverse("remiss_public:answer", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url, {"stance": "avstyrker"}).status_code == 404
    assert not Answer.objects.exists()


def test_a_new_link_key_revokes_the_old_link(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    org = remiss.bodies.get(unit__isnull=True)
    old = org.link_token
    Body.objects.filter(pk=org.pk).update(link_key="another-key")
    assert world.client("anonymous").get(reverse("remiss_public:answer", args=[old])).status_code == 404


def test_another_municipality_sees_nothing(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    other = world.client("other_coordinator")
    assert other.get(reverse("remiss:detail", args=[remiss.pk])).status_code == 404
    assert other.get(reverse("remiss:create", args=[world.plan.pk])).status_code == 404
    assert remiss.title not in other.get(reverse("remiss:list")).content.decode()
    response = other.post(reverse("remiss:close", args=[remiss.pk]))
    assert response.status_code == 404
    remiss.refresh_from_db()
    assert remiss.status == Remiss.Status.SENT


def test_the_link_page_is_rate_limited(world, settings):
    settings.SURVEY_SUBMIT_LIMIT = 2
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    org = remiss.bodies.get(unit__isnull=True)
    client = world.client("anonymous")
    url = reverse("remiss_public:answer", args=[org.link_token])
    sub = form_on(client, url)
    statuses = [post(client, sub, stance="tillstyrker").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


# --- Reminders --------------------------------------------------------------------------------


def test_reminders_go_before_and_after_the_deadline_once_each(world):
    remiss = new_remiss(world, deadline_days=20)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    sent = OutgoingMail.objects.count()
    today = timezone.localdate()
    assert services.send_remiss_reminders(today=today) == 0  # 20 days left: too early
    before = remiss.deadline - timedelta(days=services.REMINDER_DAYS)
    assert services.send_remiss_reminders(today=before) == 2  # contact A and the organisation
    assert services.send_remiss_reminders(today=before + timedelta(days=1)) == 0
    reminders = OutgoingMail.objects.filter(kind=services.MAIL_REMISS_REMINDER)
    org = remiss.bodies.get(unit__isnull=True)
    assert org.link_token in reminders.get(to="info@example.se").body
    # Unit A answers; only the organisation is reminded after the deadline, once.
    services.answer_save(
        body=remiss.bodies.get(unit=world.unit_a),
        by=world.users["contact_a"],
        via=Answer.Via.APP,
        fields={"stance": "tillstyrker", "answered_on": today},
        comments={},
    )
    after = remiss.deadline + timedelta(days=1)
    assert services.send_remiss_reminders(today=after) == 1
    assert services.send_remiss_reminders(today=after + timedelta(days=3)) == 0
    assert OutgoingMail.objects.count() == sent + 3
    assert set(ReminderSent.objects.values_list("body__name", "kind")) == {
        ("", "fore"),
        ("Romska kvinnoföreningen", "fore"),
        ("Romska kvinnoföreningen", "efter"),
    }


def test_the_reminder_job_is_scheduled():
    from worker.schedule import JOBS

    assert [job.at.isoformat() for job in JOBS if job.name.endswith("send_remiss_reminders")] == ["07:10:00"]


# --- Query count --------------------------------------------------------------------------------


def _answered_remiss(world, n: int, prefix: str) -> Remiss:
    from organisations.models import OrgUnit

    units = [
        OrgUnit.objects.create(
            municipality=world.municipality,
            kind=OrgUnit.Kind.STADSDELSNAMND,
            name=f"{prefix} {i}",
            short_name=f"{prefix}{i}",
        )
        for i in range(n)
    ]
    remiss = new_remiss(world, units=units, organisations="")
    services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    for body in remiss.bodies.all():
        services.answer_save(
            body=body,
            by=world.users["coordinator"],
            via=Answer.Via.TYPED_IN,
            fields={"stance": "tillstyrker_med_synpunkter", "answered_on": timezone.localdate()},
            comments={
                f"goal:{world.result_goal.pk}": f"Synpunkt från {body}",
                f"goal:{world.goal.pk}": "Mer",
                "ovrigt": "Övrigt",
            },
        )
    return remiss


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["coordinator", "reader"])
def test_the_compilation_takes_the_same_queries_for_5_and_50_bodies(world, role):
    client = world.client(role)
    small = _answered_remiss(world, 5, "Liten")
    small_count = _queries(client, reverse("remiss:compilation", args=[small.pk]))
    Remiss.objects.filter(pk=small.pk).update(title="Liten")
    big = _answered_remiss(world, 50, "Stor")
    assert Comment.objects.filter(answer__body__remiss=big).count() == 150
    big_count = _queries(client, reverse("remiss:compilation", args=[big.pk]))
    assert small_count == big_count
    assert _queries(client, reverse("remiss:detail", args=[small.pk])) == _queries(
        client, reverse("remiss:detail", args=[big.pk])
    )
