"""The test world with something published on every public page.

``public_world(world)`` publishes the world's municipality's site and, in it,
one object of each kind a public page shows: the adopted plan with plain
summaries, a public activity with a public progress note, a public indicator,
an upcoming public event and a past one with participants, an upcoming
samråd in the public calendar, a held samråd with published minutes and a
published view with feedback, a published and finalised needs inventory,
a rights section, a published remiss and a practice example shown on the
site. The access matrix (tests/test_access.py), the leak test and the
quality tests walk it with ``public.walk.walk``: a page whose objects are
not made here is not tested, so a new kind of public object belongs here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from activities.models import Activity, ProgressNote
from conftest import make_consultation
from consultations.models import Consultation, Feedback, MinutesVersion
from events.models import Event
from events.services import event_create
from inventories.models import Inventory
from public.services import rights_section_create, text_save

from .conftest import publish_site


@dataclass
class Published:
    site: object
    event: Event
    past_event: Event
    upcoming: Consultation
    held: Consultation
    indicator: object
    inventory: Inventory
    remiss: object = None
    example: object = None


def published_example(world):
    """A practice example of the world's municipality, shared and shown on its public site."""
    from practice.services import example_show_publicly
    from practice.tests.factories import make_example

    example = make_example(
        world.municipality, title="Föräldranätverk i skolan", published=True, areas=("utbildning", "civilsamhalle"),
        results="Fler föräldrar kommer till utvecklingssamtalen.", period="2016–2020",
        sources="Romsk inkludering i praktiken (2020)\nhttps://www.lansstyrelsen.se/romsk-inkludering",
    )  # fmt: skip
    return example_show_publicly(example=example, by=None)


def published_remiss(world):
    """A sent remiss of the world's (adopted) plan, published: unit A's answer with a
    handled comment on a goal and an unhandled one on the introduction, an
    organisation that agrees to publication and one that does not."""
    from remiss.models import Answer, Body, Comment, Remiss
    from remiss.services import remiss_publish

    today = timezone.localdate()
    remiss = Remiss.objects.create(
        municipality=world.municipality, plan=world.plan, title="Remiss: Handlingsplan 2030", dnr="KS 2025/101",
        status=Remiss.Status.SENT, sent_on=today - timedelta(days=30), deadline=today + timedelta(days=10),
    )  # fmt: skip
    unit = Answer.objects.create(
        body=Body.objects.create(remiss=remiss, unit=world.unit_a), stance=Answer.Stance.SUPPORTS_WITH_VIEWS,
        summary="Socialnämnden tillstyrker förslaget med synpunkter.", dnr="SN 2025/12", officer="Kim Handläggare",
        decided_by="Socialnämnden", decided_on=today - timedelta(days=5), received_via=Answer.Via.APP,
    )  # fmt: skip
    Comment.objects.create(
        answer=unit, section=Comment.Section.GOAL, goal=world.result_goal, text="Uppsökande arbete kräver resurser.",
        handling=Comment.Handling.TAKEN, handling_text="Resurser för uppsökande arbete läggs till.",
    )  # fmt: skip
    Comment.objects.create(answer=unit, section=Comment.Section.INTRODUCTION, text="Inledningen bör nämna barnen.")
    agrees = Answer.objects.create(
        body=Body.objects.create(remiss=remiss, name="Romska kvinnoföreningen", email="info@kvinnor.example"),
        stance=Answer.Stance.SUPPORTS, publish_consent=True, received_via=Answer.Via.LINK,
        general_comments="Föreningen välkomnar planen.",
    )  # fmt: skip
    Comment.objects.create(
        answer=agrees, section=Comment.Section.GOAL, goal=world.result_goal, text="Kvinnors röster ska höras."
    )
    Body.objects.create(remiss=remiss, name="Föreningen som inte svarat", email="styrelsen@ej-svar.example")
    return remiss_publish(remiss=remiss, by=None, confirmed_personal_data=True)


def texts(obj, municipality, sv: dict, en: dict | None = None) -> None:
    text_save(obj=obj, municipality=municipality, language="sv", texts=sv, by=None)
    if en:
        text_save(obj=obj, municipality=municipality, language="en", texts=en, by=None)


def public_world(world, *, languages=("en", "rmy-x-kalderas")) -> Published:
    from consultations.services import feedback_save, view_publish
    from indicators.tests.factories import make_indicator
    from inventories.tests.test_inventories import filled_inventory

    m = world.municipality
    site = publish_site(m, languages=languages)
    texts(site, m, {"intro": "Staden arbetar för romsk inkludering."}, {"intro": "The city works for Roma inclusion."})
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    texts(world.plan, m, {"plain_summary": "Planen säger vad staden gör till 2030."})
    for goal in (world.focus, world.goal, world.result_goal):
        texts(goal, m, {"plain_summary": f"Målet {goal.code} i korthet."}, {"plain_summary": f"Goal {goal.code}."})

    Activity.objects.filter(pk=world.activity.pk).update(visibility=Activity.Visibility.PUBLIC)
    texts(
        world.activity,
        m,
        {"public_title": "Brobyggare", "public_text": "Brobyggare hjälper familjer i kontakten med staden."},
        {"public_title": "Bridge builders", "public_text": "Bridge builders help families."},
    )
    ProgressNote.objects.filter(pk=world.note.pk).update(public=True)

    indicator = make_indicator(
        world,
        name="Andel romska elever med godkända betyg",
        public=True,
        measurements=((timezone.localdate() - timedelta(days=60), "20"),),
    )

    def event(title, starts_at, **fields):
        fields = {
            "title": title, "kind": Event.Kind.CULTURE, "is_public": True, "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=3), "place": "Kulturhuset, Sergels torg",
            "accessibility": "Entré utan trappsteg.", "interpretation": "Tolkning till romani chib.",
            "childcare": "Barnpassning finns.", "description": "Musik och poesi.", **fields,
        }  # fmt: skip
        return event_create(
            municipality=m, by=None, fields=fields, organisers=[world.unit_a], goals=[world.result_goal],
            activities=[world.activity],
        )  # fmt: skip

    upcoming_event = event("Romsk kulturkväll", now + timedelta(days=30))
    past_event = event(
        "Romska nationaldagen", now - timedelta(days=40), kind=Event.Kind.ROMA_DAY, participants_total=40
    )

    upcoming = make_consultation(
        m, world.unit_a, title="Samråd om mötesplatser", starts_at=now + timedelta(days=14),
        ends_at=now + timedelta(days=14, hours=2), in_public_calendar=True, place="Stadsbiblioteket",
        accessibility="Hörslinga och ramp.",
    )  # fmt: skip
    held = make_consultation(
        m, world.unit_a, title="Samråd om brobyggare", starts_at=now - timedelta(days=20),
        ends_at=now - timedelta(days=20) + timedelta(hours=2), in_public_calendar=True, place="Medborgarhuset",
        attendance_total=12,
    )  # fmt: skip
    MinutesVersion.objects.create(
        consultation=held, number=1, text="Vi talade om brobyggare och skolan.",
        status=MinutesVersion.Status.PUBLISHED, published_at=now - timedelta(days=10),
    )  # fmt: skip
    view = held.items.get().views.get()
    feedback_save(
        view=view, by=None, goals=[world.result_goal], activities=[world.activity], version=None,
        fields={"status": Feedback.Status.TAKEN, "reasoning": "Fler brobyggare anställs.", "unit": world.unit_a},
    )  # fmt: skip
    view_publish(
        view=view, by=None, said="Fler brobyggare behövs i söderort.", answer="Staden anställer två brobyggare till.",
        confirmed_personal_data=True,
    )  # fmt: skip

    inventory = filled_inventory(world)
    Inventory.objects.filter(pk=inventory.pk).update(published=True)

    # The organisation number: the open-data catalogue (dcat.rdf) is in the walk too.
    type(m).objects.filter(pk=m.pk).update(org_number="2120000142")
    m.org_number = "2120000142"
    rights_section_create(
        municipality=m, by=None, heading="Rätt till information",
        text="Kommunen ska informera nationella minoriteter om deras rättigheter.",
    )  # fmt: skip
    remiss = published_remiss(world)
    example = published_example(world)
    return Published(site, upcoming_event, past_event, upcoming, held, indicator, inventory, remiss, example)
