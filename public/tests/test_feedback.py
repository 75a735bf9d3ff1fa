"""Återkoppling: "what you said, what we did" on the public pages and in the
open-data API; publishing a view from the staff pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from conftest import make_activity, make_consultation, make_user
from consultations import services
from consultations.models import Feedback, MinutesVersion, View
from organisations.models import Membership
from public.services import text_save
from public.tests.conftest import publish_site
from public.translation import TextStatus

# Internal things that must never reach a public page or the API.
CANARIES = [
    "KANARIE-SYNPUNKT-INTERN",  # View.text of a published view
    "KANARIE-MOTIVERING",  # the feedback's internal reasoning
    "KANARIE-ANTECKNING",  # the consultation's internal notes
    "98765",  # compensation
    "KANARIE-OPUBLICERAD",  # an unpublished view's public wording
    "KANARIE-UTKAST",  # draft minutes
    "Hemligsson",  # a representative who has not agreed to be named
    "Personalsson",  # the staff member who entered the view
    "KANARIE-INTERN-AKTIVITET",  # an internal activity carrying the view out
    "KANARIE-HUDDINGE",  # the other municipality's published view
]


def held(consultation, days=30):
    """The consultation moved to ``days`` ago (tests pass on any date)."""
    consultation.starts_at = timezone.now() - timedelta(days=days)
    consultation.ends_at = consultation.starts_at + timedelta(hours=2)
    consultation.save()
    return consultation


def publish(view, said, answer="", *, by=None):
    return services.view_publish(view=view, by=by, said=said, answer=answer, confirmed_personal_data=True)


@pytest.fixture
def feedback_world(world, site):
    """The world's consultation, held, with internal details (canaries), a
    published view with feedback, an unpublished view, and draft minutes."""
    consultation = held(world.consultation)
    consultation.internal_notes = "KANARIE-ANTECKNING"
    consultation.compensation_paid, consultation.compensation_total = True, 98765
    consultation.attendance_total = 12
    consultation.save()
    staff = world.users["coordinator"]
    staff.last_name = "Personalsson"
    staff.save()
    view = world.view
    view.text = "KANARIE-SYNPUNKT-INTERN Fler brobyggare."
    view.entered_by = staff
    view.save()
    public_activity = make_activity(world.plan, world.unit_a, [world.result_goal], title="Brobyggare i söderort")
    public_activity.visibility = Activity.Visibility.PUBLIC
    public_activity.save()
    internal = make_activity(world.plan, world.unit_a, [world.result_goal], title="KANARIE-INTERN-AKTIVITET")
    feedback = Feedback.objects.create(
        view=view, status=Feedback.Status.TAKEN, reasoning="KANARIE-MOTIVERING", unit=world.unit_a
    )
    feedback.activities.set([public_activity, internal])
    feedback.goals.set([world.result_goal])
    publish(view, "Fler brobyggare behövs i söderort.", "Socialnämnden anställer två brobyggare till.")
    hidden = View.objects.create(item=world.item, text="Inte publicerad.")
    text_save(
        obj=hidden, municipality=world.municipality, language="sv", texts={"said": "KANARIE-OPUBLICERAD"}, by=None
    )
    world.minutes.text = "KANARIE-UTKAST"
    world.minutes.save()
    secret = make_user("hemlig", world.municipality, Membership.Role.REPRESENTATIVE)
    secret.first_name, secret.last_name = "Hanna", "Hemligsson"
    secret.save()
    secret.membership.organisation = "Romska föräldranätverket"
    secret.membership.save()
    # The other municipality: a published view on its own (published) site.
    other = held(make_consultation(world.other_municipality, world.other_unit, title="Huddinges samråd"))
    other_view = other.items.get().views.get()
    publish(other_view, "KANARIE-HUDDINGE")
    publish_site(world.other_municipality)
    world.public_activity, world.internal_activity, world.secret = public_activity, internal, secret
    world.other_consultation = other
    return world


def page(world, url):
    response = world.client("anonymous").get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_no_canaries(text):
    for canary in CANARIES:
        assert canary not in text, canary


# --- The pages ----------------------------------------------------------------------------------


def test_the_list_shows_held_samrad_with_something_published(feedback_world):
    world = feedback_world
    html = page(world, "/0180/aterkoppling/")
    assert "Öppet samråd om brobyggare" in html
    assert f'href="/0180/aterkoppling/{world.consultation.pk}/"' in html
    assert "1 view with feedback" in html or "1 synpunkt med återkoppling" in html
    assert "Huddinges samråd" not in html
    assert_no_canaries(html)


def test_the_consultation_page_shows_the_public_wording_only(feedback_world):
    world = feedback_world
    for url in [f"/0180/aterkoppling/{world.consultation.pk}/", f"/0180/en/aterkoppling/{world.consultation.pk}/"]:
        html = page(world, url)
        assert "Fler brobyggare behövs i söderort." in html
        assert "Socialnämnden anställer två brobyggare till." in html
        assert "Hur når vi fler familjer?" in html  # the question
        assert "SN 2026/0412" in html  # the case number
        assert f'href="{url.replace("aterkoppling", "aktivitet").rsplit("/", 2)[0]}/{world.public_activity.pk}/"' in (
            html
        )
        assert_no_canaries(html)
    # No minutes are published: no minutes section.
    assert "Minnesanteckningar" not in page(world, f"/0180/aterkoppling/{world.consultation.pk}/")


def test_only_published_minutes_are_shown(feedback_world):
    world = feedback_world
    MinutesVersion.objects.create(
        consultation=world.consultation, number=2, text="Publicerade anteckningar.", status="publicerad"
    )
    html = page(world, f"/0180/aterkoppling/{world.consultation.pk}/")
    assert "Publicerade anteckningar." in html
    assert "KANARIE-UTKAST" not in html


def test_samrad_with_minutes_only_is_listed(feedback_world):
    world = feedback_world
    services.view_unpublish(view=world.view, by=None)
    assert world.client("anonymous").get(f"/0180/aterkoppling/{world.consultation.pk}/").status_code == 404
    assert "Öppet samråd om brobyggare" not in page(world, "/0180/aterkoppling/")
    MinutesVersion.objects.create(consultation=world.consultation, number=2, text="Publicerat.", status="publicerad")
    assert "Öppet samråd om brobyggare" in page(world, "/0180/aterkoppling/")
    html = page(world, f"/0180/aterkoppling/{world.consultation.pk}/")
    assert "Publicerat." in html and "Fler brobyggare behövs" not in html


def test_other_municipality_and_unheld_samrad_are_not_found(feedback_world):
    world = feedback_world
    client = world.client("anonymous")
    assert client.get(f"/0126/aterkoppling/{world.consultation.pk}/").status_code == 404
    assert client.get(f"/0180/aterkoppling/{world.other_consultation.pk}/").status_code == 404
    assert "KANARIE-HUDDINGE" in page(world, f"/0126/aterkoppling/{world.other_consultation.pk}/")
    # A samråd still ahead is not on återkoppling, even with a published view.
    world.consultation.starts_at = timezone.now() + timedelta(days=3)
    world.consultation.ends_at = world.consultation.starts_at + timedelta(hours=2)
    world.consultation.save()
    assert client.get(f"/0180/aterkoppling/{world.consultation.pk}/").status_code == 404


def test_attendance_below_k_is_hidden(feedback_world):
    world = feedback_world
    url = f"/0180/aterkoppling/{world.consultation.pk}/"
    assert '<dd id="attendance">12</dd>' in page(world, url)
    world.consultation.attendance_total = 3
    world.consultation.save()
    html = page(world, url)
    assert '<dd id="attendance">3</dd>' not in html
    assert '<dd id="attendance">dolt</dd>' in html


def test_a_representative_is_named_only_while_they_agree(feedback_world):
    world = feedback_world
    rep = world.users["representative"]
    rep.first_name, rep.last_name = "Sara", "Samtyckesson"
    rep.save()
    view = View.objects.create(
        item=world.item, text="Intern.", given_by=View.GivenBy.REPRESENTATIVE, representative=rep.membership
    )
    publish(view, "Samråden ska hållas på kvällstid.")
    url = f"/0180/aterkoppling/{world.consultation.pk}/"
    assert "Sara Samtyckesson, Romska kvinnoföreningen" in page(world, url)
    api = world.client("anonymous").get("/api/v1/kommuner/0180/aterkoppling/").json()["results"]
    assert {r["given_by_name"] for r in api} == {None, "Sara Samtyckesson, Romska kvinnoföreningen"}
    # Consent withdrawn: the name is gone at once, on the page and in the API.
    membership = rep.membership
    membership.named_consent = False
    membership.save()
    html = page(world, url)
    assert "Samtyckesson" not in html
    assert "Romska kvinnoföreningen" in html  # as "a representative of …"
    api = world.client("anonymous").get("/api/v1/kommuner/0180/aterkoppling/").content.decode()
    assert "Samtyckesson" not in api


def test_feedback_under_preparation_says_so(feedback_world):
    world = feedback_world
    Feedback.objects.filter(view=world.view).update(status=Feedback.Status.PREPARING)
    html = page(world, f"/0180/aterkoppling/{world.consultation.pk}/")
    assert "The matter is still being prepared: this is not the final answer." in html or "Frågan bereds" in html


def test_english_text_or_swedish_marked_with_one_note(feedback_world):
    world = feedback_world
    url = f"/0180/en/aterkoppling/{world.consultation.pk}/"
    html = page(world, url)
    assert '<blockquote lang="sv">Fler brobyggare behövs i söderort.</blockquote>' in html
    assert html.count('class="fallback-note"') == 1
    for field, text in [("said", "More bridge builders are needed."), ("answer", "Two more are hired.")]:
        text_save(
            obj=world.view, municipality=world.municipality, language="en", texts={field: text}, by=None,
            status=TextStatus.DONE,
        )  # fmt: skip
    html = page(world, url)
    assert '<blockquote lang="en">More bridge builders are needed.</blockquote>' in html
    assert '<div lang="en"><p>Two more are hired.</p></div>' in html


def test_the_start_page_shows_the_latest_views(feedback_world):
    world = feedback_world
    for n in range(4):
        view = View.objects.create(item=world.item, text="Intern.")
        publish(view, f"Synpunkt nummer {n}.")
    html = page(world, "/0180/")
    assert "Synpunkt nummer 3." in html and "Synpunkt nummer 1." in html
    assert "Synpunkt nummer 0." not in html and "Fler brobyggare behövs i söderort." not in html
    assert f"/0180/aterkoppling/{world.consultation.pk}/#synpunkt-" in html
    assert_no_canaries(html)


def test_the_walk_lists_the_pages(feedback_world):
    from public.walk import walk

    urls = walk(feedback_world.municipality)
    assert f"/0180/aterkoppling/{feedback_world.consultation.pk}/" in urls
    assert f"/0180/en/aterkoppling/{feedback_world.consultation.pk}/" in urls
    assert "/0180/aterkoppling/" in urls
    for url in urls:
        if "aterkoppling" in url:
            assert_no_canaries(page(feedback_world, url))


def add_views(world, n):
    for i in range(n):
        view = View.objects.create(item=world.item, text=f"Intern {i}.")
        feedback = Feedback.objects.create(view=view, status=Feedback.Status.PARTLY, reasoning="x", unit=world.unit_a)
        feedback.activities.set([world.public_activity])
        feedback.goals.set([world.result_goal])
        publish(view, f"Synpunkt {i}.", f"Svar {i}.")


def queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:  # the open-data CSV reads its records while it is sent
            b"".join(response.streaming_content)
    return len(context.captured_queries)


def feedback_urls(world) -> dict[str, str]:
    return {
        "start": "/0180/",
        "list": "/0180/aterkoppling/",
        "page": f"/0180/en/aterkoppling/{world.consultation.pk}/",
        "api": "/api/v1/kommuner/0180/aterkoppling/",
        "csv": "/api/v1/kommuner/0180/aterkoppling.csv",
    }


# Measured: the frame (the site with its texts), then the selector's own queries.
# The start page has other areas' parts too: it is only checked to stay the same.
# The CSV: the API's queries less the count, plus its data version (opendata.export).
QUERY_BUDGET = {"list": 3, "page": 8, "api": 8, "csv": 8}


def test_a_fixed_number_of_queries_for_5_and_50_views(feedback_world):
    world = feedback_world
    client = world.client("anonymous")
    add_views(world, 4)
    five = {name: queries(client, url) for name, url in feedback_urls(world).items()}
    assert View.objects.filter(public=True, item=world.item).count() == 5
    add_views(world, 45)
    fifty = {name: queries(client, url) for name, url in feedback_urls(world).items()}
    assert five == fifty
    assert {name: fifty[name] for name in QUERY_BUDGET} == QUERY_BUDGET
    csv = b"".join(client.get("/api/v1/kommuner/0180/aterkoppling.csv").streaming_content).decode("utf-8-sig")
    assert csv.count("Synpunkt ") == 49


# --- The open-data dataset ----------------------------------------------------------------------


def test_the_dataset_in_json_and_csv(feedback_world):
    world = feedback_world
    client = world.client("anonymous")
    data = client.get("/api/v1/kommuner/0180/aterkoppling/").json()
    assert data["count"] == 1
    record = data["results"][0]
    assert record == {
        "kommunkod": "0180",
        "id": world.view.pk,
        "consultation_id": world.consultation.pk,
        "consultation_date": timezone.localtime(world.consultation.starts_at).date().isoformat(),
        "consultation_form": "oppet",
        "consultation_form_label": "öppet samråd",
        "question": "Hur når vi fler familjer?",
        "decision_body": "Socialnämnden",
        "decision_date": "2026-04-23",
        "case_number": "SN 2026/0412",
        "said": "Fler brobyggare behövs i söderort.",
        "given_by": "grupp",
        "given_by_name": None,
        "feedback_status": "beaktad",
        "feedback_status_label": "beaktad",
        "answer": "Socialnämnden anställer två brobyggare till.",
        "feedback_date": Feedback.objects.get(view=world.view).given_on.isoformat(),
        "responding_unit": "Socialnämnden",
        "goal_ids": [world.result_goal.pk],
        "activity_ids": [world.public_activity.pk],
        "page_url": f"http://testserver/0180/aterkoppling/{world.consultation.pk}/#synpunkt-{world.view.pk}",
    }
    csv = b"".join(client.get("/api/v1/kommuner/0180/aterkoppling.csv").streaming_content).decode("utf-8-sig")
    header, row = csv.splitlines()[:2]
    assert header.split(";")[:3] == ["kommunkod", "id", "consultation_id"]
    assert "Fler brobyggare behövs i söderort." in row and str(world.public_activity.pk) in row
    assert_no_canaries(client.get("/api/v1/kommuner/0180/aterkoppling/").content.decode())
    assert_no_canaries(csv)
    assert "KANARIE-HUDDINGE" in client.get("/api/v1/kommuner/0126/aterkoppling/").content.decode()
    # Unpublishing the site takes the views out of the API with its pages.
    from public.services import site_for, site_publish

    site_publish(site=site_for(world.municipality), by=None, published=False)
    assert client.get("/api/v1/kommuner/0180/aterkoppling/").json()["results"] == []


def test_the_dataset_of_an_unknown_municipality_is_a_json_404_and_the_index_links_it(world, client):
    for url in ("/api/v1/kommuner/9999/aterkoppling/", "/api/v1/kommuner/9999/aterkoppling.csv"):
        response = client.get(url)
        assert response.status_code == 404 and response.json() == {"detail": "Ingen kommun har den kommunkoden."}
    index = client.get(reverse("opendata:index")).content.decode()
    assert "/api/v1/kommuner/0180/aterkoppling/" in index and "/api/v1/kommuner/0126/aterkoppling.csv" in index
    # Nothing published: an empty list, not an error.
    assert client.get("/api/v1/kommuner/0180/aterkoppling/").json()["count"] == 0
