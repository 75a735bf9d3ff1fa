from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html as lxml_html

from audit.models import AuditEvent
from events.models import Event
from events.services import event_copy_next_year, event_create, event_update
from public.services import text_save
from public.texts import Shown, shown
from tests.formreader import submissions


def form_of(client, url: str) -> dict:
    """The form posting back to ``url``, as the browser would send it."""
    page = client.get(url)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return dict(sub.data)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def make_event(world, *, public=True, units=None, **fields):
    start = (timezone.now() - timedelta(days=10)).replace(second=0, microsecond=0)
    values = {"title": "Romska nationaldagen", "kind": Event.Kind.ROMA_DAY, "starts_at": start, "is_public": public}
    return event_create(
        municipality=world.municipality,
        by=None,
        fields=values | fields,
        organisers=units or [world.unit_a],
        goals=[world.result_goal],
        activities=[world.activity],
    )


def test_a_contact_registers_an_event_with_counts_as_the_browser_sends_it(world):
    client = world.client("contact_a")
    url = reverse("events:create")
    data = form_of(client, url)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=3)
    data |= {
        "title": ["Poesitävling"], "kind": ["tavling"], "starts_at": [local(start)],
        "ends_at": [local(start + timedelta(hours=2))], "place": ["Huddinge bibliotek"],
        "organisers": [str(world.unit_a.pk)], "goals": [str(world.result_goal.pk)],
        "activities": [str(world.activity.pk)], "participants_total": ["40"],
        "part_barn_unga": ["25"], "part_vuxna": ["12"],
    }  # fmt: skip
    response = client.post(url, data)
    event = Event.objects.get(title="Poesitävling")
    assert response.status_code == 302 and response["Location"] == reverse("events:detail", args=[event.pk])
    assert event.participants == {"barn_unga": 25, "vuxna": 12} and event.participants_total == 40
    assert list(event.organisers.all()) == [world.unit_a]
    assert list(event.goals.all()) == [world.result_goal]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(event.pk)).exists()
    # The goal and the activity list it.
    for page in (
        reverse("plans:goal", args=[world.result_goal.pk]),
        reverse("activities:detail", args=[world.activity.pk]),
    ):
        content = client.get(page).content.decode()
        assert "Poesitävling" in content and reverse("events:detail", args=[event.pk]) in content


def test_a_contact_cannot_organise_for_another_unit(world):
    client = world.client("contact_a")
    url = reverse("events:create")
    data = form_of(client, url)
    offered = lxml_html.fromstring(client.get(url).content).xpath('//input[@name="organisers"]/@value')
    assert offered == [str(world.unit_a.pk)]
    data |= {"title": ["X"], "starts_at": ["2026-04-08T14:00"], "organisers": [str(world.unit_b.pk)]}
    response = client.post(url, data)
    assert response.status_code == 200 and not Event.objects.filter(title="X").exists()


def test_the_form_refuses_an_end_before_the_start_and_counts_above_the_total(world):
    client = world.client("coordinator")
    url = reverse("events:create")
    data = form_of(client, url) | {
        "title": ["Kulturkväll"], "starts_at": ["2026-04-08T18:00"], "ends_at": ["2026-04-08T17:00"],
        "organisers": [str(world.unit_a.pk)], "participants_total": ["5"], "part_vuxna": ["9"],
    }  # fmt: skip
    content = client.post(url, data).content.decode()
    with translation.override("sv"):
        assert translation.gettext("The event ends before it starts.") in content
        assert translation.gettext("The total is smaller than the numbers by age group.") in content
    assert not Event.objects.filter(title="Kulturkväll").exists()


def test_editing_unchanged_keeps_everything(world):
    event = make_event(world, participants_total=40, participants={"barn_unga": 20})
    client = world.client("contact_a")
    url = reverse("events:edit", args=[event.pk])
    data = form_of(client, url)
    data["title"] = ["Romska nationaldagen 8 april"]
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Romska nationaldagen 8 april"
    assert (event.participants_total, event.participants) == (40, {"barn_unga": 20})
    assert list(event.activities.all()) == [world.activity]


def test_copy_next_year_keeps_texts_and_links_but_not_counts(world):
    event = make_event(world, place="Huddinge bibliotek", participants_total=40)
    client = world.client("coordinator")
    url = reverse("events:copy", args=[event.pk])
    response = client.post(url, form_of(client, url))
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == reverse("events:detail", args=[copy.pk])
    assert copy.starts_at.year == event.starts_at.year + 1
    assert (copy.starts_at.month, copy.starts_at.day) == (event.starts_at.month, event.starts_at.day)
    assert (copy.title, copy.place, copy.participants_total, copy.participants) == (
        event.title, "Huddinge bibliotek", None, {}
    )  # fmt: skip
    assert list(copy.organisers.all()) == [world.unit_a]
    assert list(copy.goals.all()) == [world.result_goal] and list(copy.activities.all()) == [world.activity]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(copy.pk)).exists()


def test_delete_asks_first(world):
    event = make_event(world)
    client = world.client("coordinator")
    url = reverse("events:delete", args=[event.pk])
    assert Event.objects.filter(pk=event.pk).exists()
    client.post(url, form_of(client, url))
    assert not Event.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, object_id=str(event.pk)).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 200), ("contact_a", 200), ("contact_b", 403), ("reader", 403), ("representative", 403),
     ("other_coordinator", 404)],
)  # fmt: skip
def test_who_may_change_an_event(world, role, status):
    event = make_event(world)
    assert world.client(role).get(reverse("events:edit", args=[event.pk])).status_code == status


def test_a_representative_sees_public_events_only_with_small_counts_hidden(world):
    public = make_event(world, title="Kulturkväll", participants_total=40, participants={"barn_unga": 38, "aldre": 2})
    internal = make_event(world, title="Planeringsmöte", public=False)
    client = world.client("representative")
    listing = client.get(reverse("events:list")).content.decode()
    assert "Kulturkväll" in listing and "Planeringsmöte" not in listing
    assert client.get(reverse("events:detail", args=[internal.pk])).status_code == 404
    page = client.get(reverse("events:detail", args=[public.pk])).content.decode()
    assert "dolt" in page and ">38<" not in page and ">2<" not in page
    staff_page = world.client("contact_a").get(reverse("events:detail", args=[public.pk])).content.decode()
    assert ">38<" in staff_page and ">2<" in staff_page and "dolt" not in staff_page
    reader_list = world.client("reader").get(reverse("events:list")).content.decode()
    assert "Planeringsmöte" in reader_list


def test_a_small_total_is_hidden_outside_staff(world):
    event = make_event(world, participants_total=3)
    page = world.client("representative").get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'id="participants">dolt' in page.replace("\n", "")


def test_the_year_filter_is_validated(world):
    this_year = make_event(world, title="I år")
    make_event(world, title="Förra året", starts_at=this_year.starts_at.replace(year=this_year.starts_at.year - 1))
    client = world.client("reader")
    page = client.get(reverse("events:list"), {"ar": this_year.starts_at.year}).content.decode()
    assert "I år" in page and "Förra året" not in page
    for bad in ("x", "99999", "-1", "1"):
        page = client.get(reverse("events:list"), {"ar": bad})
        assert page.status_code == 200 and "Förra året" in page.content.decode()


def test_another_municipality_gets_404(world):
    event = make_event(world)
    client = world.client("other_coordinator")
    for name in ("events:detail", "events:edit", "events:delete", "events:copy"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 404
    assert "Romska nationaldagen" not in client.get(reverse("events:list")).content.decode()


def test_a_contact_editing_keeps_the_other_units_organising(world):
    event = make_event(world, units=[world.unit_a, world.unit_b])
    client = world.client("contact_a")
    url = reverse("events:edit", args=[event.pk])
    data = form_of(client, url)
    assert data["organisers"] == [str(world.unit_a.pk)]  # unit B is not the contact's to choose
    assert client.post(url, data).status_code == 302
    assert set(event.organisers.all()) == {world.unit_a, world.unit_b}
    assert world.client("contact_b").get(url).status_code == 200  # B organises it too


def test_an_edit_saved_by_someone_else_meanwhile_is_not_overwritten_silently(world):
    event = make_event(world)
    client = world.client("coordinator")
    url = reverse("events:edit", args=[event.pk])
    mine = form_of(client, url)
    theirs = form_of(client, url)
    theirs["title"] = "Kulturkväll i Flemingsberg"
    assert client.post(url, theirs).status_code == 302
    mine["title"] = "Kulturkväll i Skogås"
    response = client.post(url, mine)
    assert response.status_code == 409
    event.refresh_from_db()
    assert event.title == "Kulturkväll i Flemingsberg" and event.version == 2
    with translation.override("sv"):
        page = response.content.decode()
        assert "Kulturkväll i Skogås" in page  # what was typed is kept
    # Saving again is a deliberate choice, and then it wins.
    again = form_of(client, url) | {"title": "Kulturkväll i Skogås"}
    assert client.post(url, again).status_code == 302
    event.refresh_from_db()
    assert event.title == "Kulturkväll i Skogås" and event.version == 3


@pytest.mark.parametrize(
    ("role", "exact"),
    [("coordinator", True), ("contact_a", True), ("contact_b", False), ("reader", False), ("representative", False)],
)
def test_staff_outside_the_organising_units_see_protected_counts_as_representatives_do(world, role, exact):
    event = make_event(world, participants_total=40, participants={"barn_unga": 38, "aldre": 2})
    event_update(event=event, by=None, fields={"participants": {"barn_unga": 37, "aldre": 3}})
    doc = lxml_html.fromstring(world.client(role).get(reverse("events:detail", args=[event.pk])).content)
    cells = doc.xpath('//*[@id="participants"]//td/text()')
    # Only the rows about counts: other rows (the start time, say) may hold any digits.
    history = " ".join(
        " ".join(td.text_content() for td in row.xpath("./td"))
        for row in doc.xpath('//section[@class="history"]//table//tr[th]')
        if any(word in row.xpath("string(./th)").lower() for word in ("deltag", "particip"))
    )
    if exact:
        assert cells == ["37", "0", "3"]
        assert "38" in history and "37" in history  # the history's figures
    else:
        assert cells == ["dolt", "0", "dolt"]
        # The history says the count changed, not what it was.
        assert "37" not in history and "38" not in history
        assert ("dolt" in history) == (role != "representative")  # representatives see no history


def test_the_swedish_public_texts_mirror_title_and_description(world):
    event = make_event(world, title="Kulturkväll", description="Musik och föreläsning.")
    sv = event.translations.get(language_code="sv")
    assert (sv.public_title, sv.public_text, sv.text_status) == ("Kulturkväll", "Musik och föreläsning.", "klar")
    text_save(
        obj=event, municipality=world.municipality, language="en", texts={"public_title": "Cultural evening"}, by=None
    )
    client = world.client("coordinator")
    url = reverse("events:edit", args=[event.pk])
    data = form_of(client, url) | {"title": ["Kulturkväll i Flemingsberg"]}
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    rows = {row.language_code: row for row in event.translations.all()}
    assert rows["sv"].public_title == "Kulturkväll i Flemingsberg"
    assert rows["sv"].public_text == "Musik och föreläsning."
    assert rows["en"].text_status == "under_oversattning"  # the Swedish changed: back to being translated
    assert shown(event, "public_title", "en") == Shown("Kulturkväll i Flemingsberg", "sv", in_swedish=True)


def test_next_years_copy_has_the_swedish_texts_and_current_translations(world):
    event = make_event(world, title="Kulturkväll", description="Musik.")
    text_save(obj=event, municipality=world.municipality, language="en", texts={"public_title": "Evening"}, by=None)
    copy = event_copy_next_year(event=event, by=None)
    rows = {row.language_code: row for row in copy.translations.all()}
    assert (rows["sv"].public_title, rows["sv"].public_text) == ("Kulturkväll", "Musik.")
    assert (rows["en"].public_title, rows["en"].text_status) == ("Evening", "klar")
    assert shown(copy, "public_title", "en") == Shown("Evening", "en")


def test_the_data_migration_writes_the_swedish_rows_of_existing_events(world):
    from importlib import import_module

    from django.apps import apps

    event = make_event(world, title="Dikttävling", description="För unga.")
    event.translations.all().delete()
    import_module("events.migrations.0003_event_swedish_texts").mirror_swedish(apps, None)
    sv = event.translations.get(language_code="sv")
    assert (sv.public_title, sv.public_text) == ("Dikttävling", "För unga.")
    assert shown(event, "public_text", "sv") == Shown("För unga.", "sv")
