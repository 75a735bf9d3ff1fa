"""The attacker test (docs/public-site.md §3): a municipality is seeded with a
canary in every internal field, and no public address may show one.

Every address public.walk.walk() gives (every page in every offered language,
the iCalendar feeds, the DCAT file and downloads listed in EXTRA_URLS), every
open-data dataset of the municipality (JSON and CSV) and the API's own lists
are read as anyone reads them. Text canaries contain "KANARIE"; counts below
the municipality's k are distinctive numbers (k is set high, so a count like
437 is "small" and cannot be mistaken for an id, a date or a year).

A new internal field belongs here, with its canary; a new public page is
walked by itself once it is in public/walk.py."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ProgressNote
from conftest import make_activity, make_consultation, make_plan
from consultations.models import Feedback, MinutesVersion, View
from events.services import event_create
from indicators.models import Indicator, Measurement, Track
from inventories.models import DialogueNote, Quote
from organisations.models import Membership, Municipality
from plans.models import Goal, Plan
from public.services import site_update, text_save
from public.tests.conftest import publish_site
from public.tests.published import public_world
from public.translation import TextStatus
from public.walk import walk

CANARY = "KANARIE"
K = 500  # the municipality's smallest count shown: every count below is small
SMALL_COUNTS = {"event participants": 437, "event participants by age": 211, "samråd attendance": 419}
# Internal numbers, shown nowhere public.
INTERNAL_NUMBERS = {"compensation (SEK)": 98765, "activity budget (SEK)": 88877}


@pytest.fixture(autouse=True)
def _no_open_data_rate_limit(settings):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0


def canary(field: str) -> str:
    return f"{CANARY}-{field}"


def name_people(world) -> None:
    """Staff and a representative who has not agreed to be named: canaries in names and addresses."""
    for role in ("reader", "contact_a", "contact_b", "coordinator"):
        user = world.users[role]
        user.first_name, user.last_name = canary(f"{role}-first-name"), canary(f"{role}-last-name")
        user.email = f"kanarie-{role}@example.se"
        user.save()
        membership = user.membership
        membership.title, membership.phone = canary(f"{role}-title"), "070-1234567"
        membership.save()


def seed(world):
    """The world with everything public_world publishes, and a canary in every internal field around it."""
    m = world.municipality
    published = public_world(world)
    Municipality.objects.filter(pk=m.pk).update(suppression_k=K, org_number="2120001355")  # org_number: DCAT
    m.refresh_from_db()
    coordinator = world.users["coordinator"]
    name_people(world)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    # Texts: saved by a named person (the text's author is never shown); a translation in progress.
    text_save(
        obj=published.site, municipality=m, language="sv", texts={"contact_text": "Skriv till oss."}, by=coordinator
    )
    text_save(
        obj=published.site, municipality=m, language="en", texts={"contact_text": canary("half-translated")},
        by=coordinator, status=TextStatus.IN_TRANSLATION,
    )  # fmt: skip

    # A representative who has not agreed to be named, whose view is published (as the group's).
    rep_user = get_user_model().objects.create_user(
        username="anonym_rep", email="kanarie-representative@example.se",
        first_name=canary("rep-first-name"), last_name=canary("rep-last-name"),
    )  # fmt: skip
    rep = Membership.objects.create(
        user=rep_user, municipality=m, role=Membership.Role.REPRESENTATIVE, named_consent=False,
        organisation="Romsk ungdomsförening",  # shown in their place, as the model says
    )  # fmt: skip

    # The held samråd: internal notes, compensation, a small attendance, unpublished and published views.
    held = published.held
    held.internal_notes = canary("internal-notes")
    held.compensation_paid, held.compensation_total = True, INTERNAL_NUMBERS["compensation (SEK)"]
    held.attendance_total = SMALL_COUNTS["samråd attendance"]
    held.representatives.add(rep)
    held.save()
    item = held.items.get()
    published_view = item.views.get(public=True)
    View.objects.filter(pk=published_view.pk).update(
        text=canary("published-view-internal-text"), given_by=View.GivenBy.REPRESENTATIVE, representative=rep,
        entered_by=coordinator,
    )  # fmt: skip
    Feedback.objects.filter(view=published_view).update(reasoning=canary("feedback-reasoning"))
    View.objects.create(item=item, text=canary("unpublished-view"), entered_by=coordinator)
    # A second held samråd in the calendar with minutes approved but not published, and a draft.
    other_held = make_consultation(
        m, world.unit_a, title="Samråd om skolan", starts_at=now - timedelta(days=50),
        ends_at=now - timedelta(days=50, hours=-2), in_public_calendar=True,
        internal_notes=canary("internal-notes-2"),
    )  # fmt: skip
    View.objects.filter(item__consultation=other_held).update(text=canary("unpublished-view-2"))
    MinutesVersion.objects.create(
        consultation=other_held, number=1, text=canary("approved-minutes"), status=MinutesVersion.Status.APPROVED,
        approved_at=now - timedelta(days=40),
    )  # fmt: skip
    MinutesVersion.objects.create(consultation=held, number=2, text=canary("draft-minutes"), created_by=coordinator)
    # An upcoming samråd not in the public calendar.
    make_consultation(
        m, world.unit_a, title=canary("samråd-not-in-the-calendar"), starts_at=now + timedelta(days=20),
        ends_at=now + timedelta(days=20, hours=2), place=canary("private-place"),
    )  # fmt: skip

    # Activities: an internal one; the public one's internal fields; notes that are not public.
    make_activity(
        world.plan, world.unit_a, [world.result_goal], title=canary("internal-activity-title"),
        description=canary("internal-activity-description"),
    )  # fmt: skip
    Activity.objects.filter(pk=world.activity.pk).update(
        partners=canary("activity-partners"), mandate=canary("activity-mandate"),
        budget=INTERNAL_NUMBERS["activity budget (SEK)"], responsible_role=canary("responsible-role"),
    )  # fmt: skip
    ProgressNote.objects.filter(pk=world.note.pk).update(author_name=canary("public-note-author"), author=coordinator)
    ProgressNote.objects.create(
        activity=world.activity, text=canary("internal-progress-note"), author_name=canary("note-author"),
        public=False,
    )  # fmt: skip

    # A draft plan, with a goal and a plain summary.
    draft = make_plan(m, canary("draft-plan-title"))
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.DRAFT, is_current=False)
    draft_goal = Goal.objects.create(plan=draft, depth=1, code="9", title=canary("draft-goal"))
    text_save(obj=draft, municipality=m, language="sv", texts={"plain_summary": canary("draft-summary")}, by=None)
    text_save(obj=draft_goal, municipality=m, language="sv", texts={"plain_summary": canary("draft-goal")}, by=None)

    # Indicators: one not public; the public one's notes and the assessment's reason.
    from indicators.tests.factories import make_indicator

    make_indicator(world, name=canary("internal-indicator"), public=False)
    indicator = published.indicator
    Measurement.objects.filter(indicator=indicator).update(note=canary("measurement-note"), entered_by=coordinator)
    Indicator.objects.filter(pk=indicator.pk).update(
        track_override=Track.ON_TRACK, track_override_reason=canary("assessment-reason"),
        track_override_by=coordinator,
    )  # fmt: skip

    # Events: partners, small counts, a private event.
    published.event.partners = canary("event-partners")
    published.event.save()
    published.past_event.partners = canary("past-event-partners")
    published.past_event.participants_total = SMALL_COUNTS["event participants"]
    published.past_event.participants = {"vuxna": SMALL_COUNTS["event participants by age"]}
    published.past_event.save()
    event_create(
        municipality=m, by=coordinator,
        fields={"title": canary("private-event"), "is_public": False, "starts_at": now + timedelta(days=9),
                "description": canary("private-event-description"), "place": canary("private-event-place")},
        organisers=[world.unit_a], goals=[world.result_goal],
    )  # fmt: skip

    # The inventory: a quote that may not be published (added after finalising, as a note may be).
    note = DialogueNote.objects.create(
        inventory=published.inventory, held_on=timezone.localdate(), place="bibliotek", participants=3,
        summary="Om skolan.",
    )  # fmt: skip
    Quote.objects.create(note=note, text=canary("unpublishable-quote"), publishable=False)

    # Another municipality's published site and content: never on this municipality's pages.
    other = world.other_municipality
    other_site = publish_site(other, languages=("en",))
    text_save(obj=other_site, municipality=other, language="sv", texts={"intro": canary("other-intro")}, by=None)
    site_update(site=other_site, by=None, data={"contact_email": "kanarie-other@kommun.example"})
    Goal.objects.filter(pk=world.other_goal.pk).update(title=canary("other-goal"))
    other_activity = make_activity(
        world.other_plan, world.other_unit, [world.other_goal], title=canary("other-activity"),
        visibility=Activity.Visibility.PUBLIC,
    )  # fmt: skip
    text_save(obj=other_activity, municipality=other, language="sv", texts={"public_title": canary("other-activity")},
              by=None)  # fmt: skip
    event_create(
        municipality=other, by=None,
        fields={"title": canary("other-event"), "is_public": True, "starts_at": now + timedelta(days=12)},
        organisers=[world.other_unit], goals=[world.other_goal],
    )  # fmt: skip
    make_consultation(
        other, world.other_unit, title=canary("other-samråd"), starts_at=now + timedelta(days=15),
        ends_at=now + timedelta(days=15, hours=2), in_public_calendar=True,
    )  # fmt: skip
    # The published remiss: an organisation that has not agreed to publication (its name,
    # address, officer, stance and texts), every answer's officer, the letter, the links.
    from remiss.models import Answer, Body, Comment

    remiss = published.remiss
    remiss.letter = canary("remiss-letter")
    remiss.save()
    Answer.objects.filter(body__remiss=remiss).update(officer=canary("remiss-officer"))
    secret = Answer.objects.create(
        body=Body.objects.create(remiss=remiss, name=canary("remiss-org"), email="kanarie-org@example.se"),
        stance=Answer.Stance.OPPOSES, summary=canary("remiss-summary"), general_comments=canary("remiss-general"),
        officer=canary("remiss-org-officer"), publish_consent=False, received_via=Answer.Via.LINK,
    )  # fmt: skip
    Comment.objects.create(
        answer=secret, section=Comment.Section.GOAL, goal=world.result_goal, text=canary("remiss-comment"),
        handling=Comment.Handling.NOT_TAKEN, handling_text=canary("remiss-handling-of-hidden"),
    )  # fmt: skip
    Body.objects.create(remiss=remiss, name=canary("remiss-org-no-answer"), email="kanarie-org2@example.se")
    seed_practice(world, published)
    return published


def seed_practice(world, published) -> None:
    """Practice examples: one shared but not on the public site and one not shared, with a
    canary in every text; the shown one's internal data (who changed it, who took it up and
    as what); another municipality's example shown on its own site."""
    from practice.models import PracticeExample
    from practice.services import example_adopt, example_create, example_publish, example_show_publicly, example_update

    m, coordinator = world.municipality, world.users["coordinator"]
    texts = ("title", "organisation", "summary", "prerequisites", "tips", "results", "contact", "sources", "period")

    def fields(prefix):
        return {name: canary(f"{prefix}-{name}") for name in texts} | {"goal_kinds": [], "target_groups": []}

    shared = example_create(municipality=m, by=coordinator, fields=fields("shared-example"), rights_areas=["kultur"])
    example_publish(example=shared, by=coordinator)
    example_create(municipality=m, by=coordinator, fields=fields("own-example"), rights_areas=["kultur"])
    shown = published.example
    example_update(example=shown, by=coordinator, fields={"tips": "Börja i liten skala."})
    activity = example_adopt(
        example=shown, by=world.users["other_coordinator"], goals=[world.other_goal], owner=world.other_unit
    )
    Activity.objects.filter(pk=activity.pk).update(title=canary("adopting-activity"))
    other = example_create(
        municipality=world.other_municipality, by=None, fields=fields("other-example"), rights_areas=["utbildning"]
    )
    example_publish(example=other, by=None)
    example_show_publicly(example=other, by=None)
    assert PracticeExample.objects.filter(on_public_site=True).count() == 2


def api_urls(municipality) -> list[str]:
    """The open-data API's lists and every dataset of ``municipality``, JSON and CSV."""
    from tests.test_access import url_names

    urls = []
    for name, params in url_names():
        if not name.startswith("opendata:"):
            continue
        if not params:
            urls.append(reverse(name))
        elif params == ["kommunkod"]:
            urls.append(reverse(name, kwargs={"kommunkod": municipality.code}))
    return urls


# Ids are not counts: a path segment of digits (/0180/remiss/211/), a JSON id field and a CSV
# id column are blanked before the numbers are looked for, so that an object whose id happens
# to equal a canary count (PostgreSQL's sequences are never reset between tests) is not a leak,
# while the same number anywhere else still is.
PATH_ID = re.compile(r"(?<=/)\d+(?=[/.?#\"'&<\s]|$)")
JSON_ID = re.compile(r'("(?:id|pk|\w+_id)"\s*:\s*)\d+')
JSON_IDS = re.compile(r'("\w+_ids"\s*:\s*\[)[\d,\s]*(\])')


def without_ids(url: str, body: str) -> str:
    body = JSON_IDS.sub(r"\1\2", JSON_ID.sub(r"\1null", PATH_ID.sub("ID", body)))
    if url.endswith(".csv") or "format=csv" in url:
        rows = list(csv.reader(io.StringIO(body)))
        if rows:
            ids = {i for i, name in enumerate(rows[0]) if name in ("id", "pk") or name.endswith(("_id", "_ids"))}
            body = "\n".join(",".join("" if i in ids else cell for i, cell in enumerate(row)) for row in rows)
    return body


def found_canaries(body: str) -> list[str]:
    found = sorted(set(re.findall(rf"(?i){CANARY}[\w-]*", body)))
    for what, number in (SMALL_COUNTS | INTERNAL_NUMBERS).items():
        spaced = f"{number:,}".replace(",", "[\\s\u00a0\u202f]?")
        if re.search(rf"(?<![0-9A-Za-z]){spaced}(?![0-9A-Za-z])", body):
            found.append(f"{what}: {number}")
    return found


def read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


def test_no_internal_field_reaches_a_public_address(world):
    seed(world)
    client = world.client("anonymous")
    urls = walk(world.municipality) + api_urls(world.municipality)
    assert len(urls) > 30
    leaks, everything = {}, []
    for url in urls:
        body = read(client, url)
        everything.append(body)
        if found := found_canaries(without_ids(url, body)):
            leaks[url] = found
    assert not leaks, "Internal fields on public addresses:\n" + "\n".join(f"{u}: {f}" for u, f in leaks.items())

    # The walk read what is published (so it would have seen a canary next to it).
    text = "\n".join(everything)
    for published in (
        "Fler brobyggare behövs i söderort.",  # the published view's public wording
        "Staden anställer två brobyggare till.",
        "Vi talade om brobyggare och skolan.",  # published minutes
        "Romsk kulturkväll",
        "Samråd om mötesplatser",
        "Brobyggare hjälper familjer i kontakten med staden.",
        "Två brobyggare anställda.",  # the public progress note
        "Kommunen ska informera nationella minoriteter",
        "Uppsökande arbete kräver resurser.",  # a unit's remiss comment
        "Kvinnors röster ska höras.",  # the comment of an organisation that agreed
        "Föräldranätverk i skolan",  # the practice example shown on the site
        "Börja i liten skala.",
    ):
        assert published in text, f"{published!r} is on no public page"


def test_the_canaries_are_where_a_leak_would_show(world):
    """The other municipality's canaries are on its own public pages, and a
    signed-in coordinator's staff pages show internal fields: the search would
    find them."""
    seed(world)
    other = world.other_municipality
    bodies = "\n".join(read(world.client("anonymous"), url) for url in walk(other))
    assert canary("other-intro") in bodies and canary("other-goal") in bodies
    assert canary("other-example-summary") in bodies and canary("other-example-sources") in bodies
    staff = world.client("coordinator")
    page = read(staff, reverse("consultations:detail", args=[world.consultation.pk]))
    assert found_canaries(page)  # the coordinator's own name in the page frame at least


def test_ids_are_blanked_but_the_same_number_as_a_count_is_still_found():
    count = SMALL_COUNTS["event participants by age"]
    assert without_ids("/0180/remiss/211/", f'<a href="/0180/remiss/{count}/">Remiss</a>') == (
        '<a href="/ID/remiss/ID/">Remiss</a>'  # the kommunkod is a path id too
    )
    assert not found_canaries(without_ids("/api/x", f'{{"id": {count}, "plan_id": {count}, "goal_ids": [{count}]}}'))
    assert not found_canaries(without_ids("/x.csv", f"id,title,plan_id\n{count},Titel,{count}\n"))
    # A count is a count wherever else it stands.
    assert found_canaries(without_ids("/0180/", f"<td>{count}</td>"))
    assert found_canaries(without_ids("/api/x", f'{{"id": 1, "participants": {count}}}'))
    assert found_canaries(without_ids("/x.csv", f"id,participants\n1,{count}\n"))
    assert found_canaries(without_ids("/0180/", f"/0180/plan/?n={count}"))
