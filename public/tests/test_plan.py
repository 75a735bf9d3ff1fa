"""The plan pages: the plan, a goal, a public activity, a public indicator, the
start page's latest results; and the staff forms that feed them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ProgressNote
from audit.models import AuditEvent
from conftest import make_activity, make_plan
from events.models import Event
from events.services import event_create
from indicators.tests.factories import make_indicator
from plans.models import Goal, GoalResponsibility, Plan
from public.selectors.plan import latest_results
from public.services import text_save
from public.site import PublicContext
from public.urls import PAGES
from public.walk import walk
from tests.formreader import submissions

PUBLIC = Activity.Visibility.PUBLIC


def get(world, url: str, role: str = "anonymous") -> str:
    response = world.client(role).get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def status(world, url: str) -> int:
    return world.client("anonymous").get(url).status_code


def say(obj, world, language="sv", **texts):
    return text_save(obj=obj, municipality=world.municipality, language=language, texts=texts, by=None)


def form_of(client, url: str, action: str) -> dict:
    """The form posting to ``action`` on the page at ``url``, as a browser sends it."""
    page = client.get(url)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == action]
    return dict(sub.data)


@pytest.fixture
def public_world(world, site):
    """The world's activity made public with a public and an internal progress note."""
    activity = world.activity
    Activity.objects.filter(pk=activity.pk).update(visibility=PUBLIC)
    today = timezone.localdate()
    ProgressNote.objects.filter(pk=world.note.pk).update(date=today - timedelta(days=30))
    ProgressNote.objects.create(
        activity=activity,
        date=today - timedelta(days=2),
        text="Tolv familjer har fått stöd av brobyggarna.",
        author_name="Anna Handläggare",
        public=True,
    )
    return world


# --- The plan ----------------------------------------------------------------------------------


def test_the_plan_shows_its_goals_summaries_units_and_counts(public_world):
    world = public_world
    say(world.plan, world, plain_summary="Staden ska göra mer för romers rättigheter.")
    say(world.result_goal, world, plain_summary="Personalen söker upp familjer.")
    html = get(world, "/0180/plan/")
    assert '<h1 lang="sv">Handlingsplan för romsk inkludering 2030</h1>' in html
    assert "Staden ska göra mer för romers rättigheter." in html
    assert '<p lang="sv">Personalen söker upp familjer.</p>' in html
    assert f'href="/0180/mal/{world.result_goal.pk}/"' in html
    assert '<span lang="sv">Stadens verksamheter arbetar uppsökande</span>' in html
    assert '<span lang="sv">Socialnämnden</span>' in html
    assert '<span lang="sv">Stadsdelsnämnderna</span>' in html
    # Frame strings are asserted on the English page (the Swedish catalogue is compiled later).
    html = get(world, "/0180/en/plan/")
    assert '<span lang="sv">Kommunstyrelsen</span> (co-responsible)' in html
    assert "1 public activity" in html
    # Goal lists only: no activity titles and no progress notes on the plan page.
    assert "Tolv familjer" not in html and "Brobyggare i socialtjänsten" not in html
    # The start page links to it.
    assert 'href="/0180/plan/"' in get(world, "/0180/")


def test_an_internal_activity_is_not_counted_nor_shown(public_world):
    world = public_world
    make_activity(world.plan, world.unit_b, [world.result_goal], title="Intern kartläggning HEMLIG")
    html = get(world, "/0180/en/plan/")
    assert "1 public activity" in html and "2 public" not in html
    html = get(world, f"/0180/mal/{world.result_goal.pk}/")
    assert "HEMLIG" not in html
    hidden = Activity.objects.get(title="Intern kartläggning HEMLIG")
    assert status(world, f"/0180/aktivitet/{hidden.pk}/") == 404


def test_a_plan_on_remiss_is_a_proposal_and_a_replaced_one_links_its_successor(public_world):
    world = public_world
    proposal = make_plan(world.municipality, "Handlingsplan 2035")
    Plan.objects.filter(pk=proposal.pk).update(status=Plan.Status.CONSULTATION)
    html = get(world, f"/0180/en/plan/{proposal.pk}/")
    assert "A proposal, out for consultation" in html and "has not decided on it yet" in html
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.REPLACED, replaced_by=proposal)
    html = get(world, f"/0180/en/plan/{world.plan.pk}/")
    assert "This plan has been replaced" in html
    assert f'<a href="/0180/en/plan/{proposal.pk}/" lang="sv">Handlingsplan 2035</a>' in html


def test_a_draft_plan_and_its_goals_and_activities_are_not_found(public_world):
    world = public_world
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    assert status(world, f"/0180/plan/{world.plan.pk}/") == 404
    assert status(world, f"/0180/mal/{world.result_goal.pk}/") == 404
    assert status(world, f"/0180/aktivitet/{world.activity.pk}/") == 404
    assert "has not published a plan yet" in get(world, "/0180/en/plan/")
    assert not [url for url in walk(world.municipality) if f"/{world.plan.pk}/" in url and "/plan/" in url]


def test_another_municipalitys_objects_are_not_found_here(public_world):
    world = public_world
    other_activity = make_activity(world.other_plan, world.other_unit, [world.other_goal], visibility=PUBLIC)
    other_indicator = make_indicator(world, name="Huddinges indikator", public=True)
    Goal.objects.filter(pk=world.other_goal.pk)  # the other plan is adopted: public under 0126 only
    other_indicator.municipality = world.other_municipality
    other_indicator.responsible_unit = world.other_unit
    other_indicator.save()
    for url in [
        f"/0180/plan/{world.other_plan.pk}/",
        f"/0180/mal/{world.other_goal.pk}/",
        f"/0180/aktivitet/{other_activity.pk}/",
        f"/0180/indikator/{other_indicator.pk}/",
    ]:
        assert status(world, url) == 404, url


# --- A goal and an activity --------------------------------------------------------------------


def test_a_goal_shows_wording_activities_latest_public_note_indicators_and_events(public_world):
    world = public_world
    Goal.objects.filter(pk=world.result_goal.pk).update(description="Verksamheterna ska söka upp familjer.")
    public_indicator = make_indicator(world, public=True)
    make_indicator(world, name="Intern indikator HEMLIG", public=False)
    event_create(
        municipality=world.municipality,
        by=None,
        fields={"title": "Romska nationaldagen", "starts_at": timezone.now() - timedelta(days=5), "is_public": True},
        organisers=[world.unit_a],
        goals=[world.result_goal],
        activities=[world.activity],
    )
    event_create(
        municipality=world.municipality,
        by=None,
        fields={"title": "Internt möte HEMLIG", "starts_at": timezone.now(), "is_public": False},
        organisers=[world.unit_a],
        goals=[world.result_goal],
    )
    html = get(world, f"/0180/mal/{world.result_goal.pk}/")
    assert '<blockquote lang="sv"><p><strong>Stadens verksamheter arbetar uppsökande</strong></p>' in html
    assert "Verksamheterna ska söka upp familjer." in html
    assert f'href="/0180/aktivitet/{world.activity.pk}/"' in html
    assert '<span lang="sv">Brobyggare i socialtjänsten</span>' in html  # no public title: the activity's own
    assert "Tolv familjer har fått stöd av brobyggarna." in html
    assert "Två brobyggare anställda." not in html  # not public
    assert "Anna Handläggare" not in html and "Kontakt A" not in html
    assert f'href="/0180/indikator/{public_indicator.pk}/"' in html
    assert "HEMLIG" not in html
    event = Event.objects.get(title="Romska nationaldagen")
    if any(name == "event" for _route, _view, name in PAGES):  # the calendar's pages exist
        assert f'href="{reverse("public:event", kwargs={"kod": "0180", "pk": event.pk})}"' in html
    else:
        assert '<li><span lang="sv">Romska nationaldagen</span>, <time' in html


def test_an_activity_shows_public_texts_notes_newest_first_and_never_an_author(public_world):
    world = public_world
    today = timezone.localdate()
    ProgressNote.objects.create(
        activity=world.activity, date=today - timedelta(days=60), text="Rekrytering startad.", public=True,
        author_name="Bertil Chef",
    )  # fmt: skip
    say(world.activity, world, public_title="Brobyggare hjälper familjer", public_text="Två brobyggare stöttar.")
    html = get(world, f"/0180/aktivitet/{world.activity.pk}/")
    assert '<h1 lang="sv">Brobyggare hjälper familjer</h1>' in html
    assert '<div lang="sv" class="lead"><p>Två brobyggare stöttar.</p></div>' in html
    assert html.index("Tolv familjer") < html.index("Rekrytering startad.")
    assert "Två brobyggare anställda." not in html
    assert "Bertil" not in html and "Anna Handläggare" not in html and "Kontakt A" not in html
    assert '<dd lang="sv">Socialnämnden</dd>' in html
    assert f'href="/0180/mal/{world.result_goal.pk}/"' in html
    assert 'class="fallback-note"' not in html


def test_english_and_kalderash_fall_back_to_swedish_marked_so(public_world):
    world = public_world
    say(world.activity, world, public_title="Brobyggare hjälper familjer", public_text="Två brobyggare stöttar.")
    say(world.result_goal, world, plain_summary="Personalen söker upp familjer.")
    url = f"/0180/en/aktivitet/{world.activity.pk}/"
    html = get(world, url)
    assert '<html lang="en">' in html
    assert '<h1 lang="sv">Brobyggare hjälper familjer</h1>' in html
    # Once before the texts, once in the progress notes (written in Swedish only).
    assert html.count('<p lang="en" class="fallback-note">Texts not yet written in English') == 2
    say(world.activity, world, "en", public_title="Bridge builders help families", public_text="Two bridge builders.")
    html = get(world, url)
    assert '<h1 lang="en">Bridge builders help families</h1>' in html
    assert html.count('class="fallback-note"') == 1
    assert html.index('class="fallback-note"') > html.index('id="notes-heading"')
    assert '<div lang="sv"><p>Tolv familjer har fått stöd av brobyggarna.</p></div>' in html
    html = get(world, f"/0180/kalderash/mal/{world.result_goal.pk}/")
    assert '<html lang="sv">' in html
    assert '<div lang="sv" class="lead"><p>Personalen söker upp familjer.</p></div>' in html
    assert '<p lang="sv" class="fallback-note">' in html
    assert '<span lang="sv">Brobyggare hjälper familjer</span>' in html  # the Swedish public title
    html = get(world, "/0180/en/plan/")
    assert '<p lang="sv">Personalen söker upp familjer.</p>' in html
    assert html.count('class="fallback-note"') == 1


# --- An indicator ------------------------------------------------------------------------------


def test_a_public_indicator_has_chart_and_table_and_a_hidden_one_is_not_found(public_world):
    world = public_world
    measurements = ((date(2024, 12, 31), "20"), (date(2025, 12, 31), "30"))
    indicator = make_indicator(world, public=True, measurements=measurements)
    indicator.measurements.filter(period_end=date(2025, 12, 31)).update(note="Intern anteckning HEMLIG")
    html = get(world, f"/0180/indikator/{indicator.pk}/")
    assert '<h1 lang="sv">Andel medarbetare i socialtjänsten utbildade om antiziganism</h1>' in html
    assert "<svg" in html and 'role="img"' in html
    assert 'class="table-scroll" role="region" tabindex="0" aria-labelledby="chart-table-caption"' in html
    assert '<caption id="chart-table-caption">' in html
    assert '30 <span lang="sv">procent</span> (31 dec. 2025)' in html  # the latest value
    assert "HEMLIG" not in html
    hidden = make_indicator(world, name="Dold", public=False)
    assert status(world, f"/0180/indikator/{hidden.pk}/") == 404


# --- The start page and the walk ---------------------------------------------------------------


def test_the_start_page_shows_the_three_newest_public_results_one_per_activity(public_world):
    world = public_world
    today = timezone.localdate()
    # An older public note of the same activity: the activity shows once, with its latest.
    ProgressNote.objects.create(activity=world.activity, date=today - timedelta(days=5), text="Äldre.", public=True)
    for n in range(3):
        other = make_activity(world.plan, world.unit_a, [world.result_goal], title=f"Aktivitet {n}")
        Activity.objects.filter(pk=other.pk).update(visibility=PUBLIC)
        ProgressNote.objects.create(
            activity=other, date=today - timedelta(days=10 + n), text=f"Resultat {n}.", public=True
        )
    internal = make_activity(world.plan, world.unit_b, [world.result_goal], title="Intern")
    ProgressNote.objects.create(activity=internal, date=today, text="Internt resultat HEMLIG", public=True)
    html = get(world, "/0180/en/")
    assert "Latest results" in html
    assert "Tolv familjer" in html and "Resultat 0." in html and "Resultat 1." in html
    assert "Äldre." not in html and "Resultat 2." not in html and "HEMLIG" not in html
    assert html.count(f'href="/0180/en/aktivitet/{world.activity.pk}/"') == 1


def test_the_walk_lists_the_plan_pages_and_each_answers(public_world):
    world = public_world
    indicator = make_indicator(world, public=True)
    urls = walk(world.municipality, languages=["sv"])
    for url in [
        "/0180/plan/",
        f"/0180/plan/{world.plan.pk}/",
        f"/0180/mal/{world.focus.pk}/",
        f"/0180/mal/{world.result_goal.pk}/",
        f"/0180/aktivitet/{world.activity.pk}/",
        f"/0180/indikator/{indicator.pk}/",
    ]:
        assert url in urls
    for url in walk(world.municipality):
        assert status(world, url) == 200, url


# --- Query counts ------------------------------------------------------------------------------


def grow(world, n: int):
    """n goals under the result goal, each with a public activity, a public note and a summary."""
    statuses = world.plan.activity_statuses.all()
    for i in range(n):
        goal = Goal.objects.create(
            plan=world.plan, parent=world.goal, depth=3, code=f"1.2.{i + 2}", title=f"Mål {i}", position=i + 2
        )
        GoalResponsibility.objects.create(goal=goal, unit=world.unit_b)
        say(goal, world, plain_summary=f"Sammanfattning {i}")
        activity = make_activity(
            world.plan, world.unit_a, [goal, world.result_goal], title=f"Aktivitet {i}", visibility=PUBLIC,
            status=statuses[i % len(statuses)],
        )  # fmt: skip
        say(activity, world, public_title=f"Publik {i}")
        ProgressNote.objects.create(activity=activity, text=f"Not {i}", public=True)
        ProgressNote.objects.create(activity=world.activity, text=f"Lägesnot {i}", public=True)
        event_create(
            municipality=world.municipality,
            by=None,
            fields={"title": f"Evenemang {i}", "starts_at": timezone.now(), "is_public": True},
            organisers=[world.unit_a],
            goals=[world.result_goal],
            activities=[world.activity],
        )


@pytest.mark.parametrize("n", [5, 50])
def test_the_plan_pages_take_a_fixed_number_of_queries(
    public_world, django_assert_max_num_queries, django_assert_num_queries, n
):
    world = public_world
    grow(world, n)
    indicator = make_indicator(world, public=True, measurements=((date(2024, 12, 31), "20"),))
    client = world.client("anonymous")
    # The frame (site, session) and the page's own selector; the same for 5 and 50.
    budgets = {
        "/0180/en/plan/": 10,  # with the plan version's published remisses
        f"/0180/en/plan/{world.plan.pk}/": 10,
        f"/0180/en/mal/{world.result_goal.pk}/": 13,
        f"/0180/en/mal/{world.focus.pk}/": 16,  # with the goals under it
        f"/0180/en/aktivitet/{world.activity.pk}/": 8,
        f"/0180/en/indikator/{indicator.pk}/": 6,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200
    html = client.get(f"/0180/en/mal/{world.result_goal.pk}/").content.decode()
    assert html.count('href="/0180/en/aktivitet/') == n + 1
    html = client.get("/0180/en/plan/").content.decode()
    assert html.count('href="/0180/en/mal/') == n + 3
    public = PublicContext(municipality=world.municipality, site=world.municipality.public_site, language="en")
    with django_assert_num_queries(3):
        results = latest_results(public)
    assert len(results) == 3


# --- Staff forms -------------------------------------------------------------------------------


def test_a_progress_note_marked_public_as_the_browser_sends_it(public_world):
    world = public_world
    client = world.client("contact_a")
    detail = reverse("activities:detail", args=[world.activity.pk])
    action = reverse("activities:note_add", args=[world.activity.pk])
    data = form_of(client, detail, action)
    assert "public" not in data  # unticked by default
    data |= {"text": ["Trettio familjer nådda i höst."], "public": ["on"]}
    response = client.post(action, data)
    assert response.status_code == 302
    note = ProgressNote.objects.get(text="Trettio familjer nådda i höst.")
    assert note.public
    event = AuditEvent.objects.filter(object_id=str(world.activity.pk)).latest("pk")
    assert event.changes["progress_note_public"] == [None, True]
    html = client.get(detail).content.decode()
    assert html.count('<span class="tag">Offentlig</span>') == 2  # this note and the fixture's public one
    # …and it is on the public pages, without its author.
    html = get(world, f"/0180/aktivitet/{world.activity.pk}/")
    assert "Trettio familjer nådda i höst." in html and "Contact_a" not in html and "Testsson" not in html


def test_an_unticked_note_stays_internal(public_world):
    world = public_world
    client = world.client("contact_a")
    detail = reverse("activities:detail", args=[world.activity.pk])
    action = reverse("activities:note_add", args=[world.activity.pk])
    data = form_of(client, detail, action) | {"text": ["Internt: budgetfrågan utreds."]}
    assert client.post(action, data).status_code == 302
    assert not ProgressNote.objects.get(text="Internt: budgetfrågan utreds.").public
    assert "budgetfrågan" not in get(world, f"/0180/aktivitet/{world.activity.pk}/")


def test_the_coordinator_writes_a_goals_plain_summary_on_its_page(public_world):
    world = public_world
    client = world.client("coordinator")
    page = reverse("plans:goal", args=[world.result_goal.pk])
    action = reverse("plans:goal_summary", args=[world.result_goal.pk])
    data = form_of(client, page, action)
    assert data["text_version"] == ["0"] and data["plain_summary"] == [""]
    response = client.post(action, data | {"plain_summary": ["Staden söker upp familjer och berättar om stöd."]})
    assert response.status_code == 302 and response["Location"] == page
    html = get(world, f"/0180/mal/{world.result_goal.pk}/")
    assert '<div lang="sv" class="lead"><p>Staden söker upp familjer och berättar om stöd.</p></div>' in html
    assert AuditEvent.objects.filter(object_id=str(world.result_goal.pk), action=AuditEvent.Action.UPDATE).exists()
    # The form now shows the text and the row's version.
    again = form_of(client, page, action)
    assert again["plain_summary"] == ["Staden söker upp familjer och berättar om stöd."]
    assert again["text_version"] == ["1"]


def test_the_plans_plain_summary_and_a_stale_edit(public_world):
    world = public_world
    client = world.client("coordinator")
    page = reverse("plans:detail", args=[world.plan.pk])
    action = reverse("plans:plan_summary", args=[world.plan.pk])
    first = form_of(client, page, action)
    second = form_of(client, action, action)  # the form's own page shows the same form
    assert client.post(action, first | {"plain_summary": ["Första versionen."]}).status_code == 302
    response = client.post(action, second | {"plain_summary": ["Andra versionen."]})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har sparat" in html or "Someone else saved" in html
    assert "Andra versionen." in html  # what was typed is kept
    assert world.plan.translations.get(language_code="sv").plain_summary == "Första versionen."
    # Saving again is a deliberate choice, and then it is saved.
    (retry,) = [dict(sub.data) for sub in submissions(action, response.content) if sub.action == action]
    assert client.post(action, retry).status_code == 302
    assert world.plan.translations.get(language_code="sv").plain_summary == "Andra versionen."
    assert "Andra versionen." in get(world, "/0180/plan/")


def test_the_units_contact_writes_the_activitys_public_texts(public_world):
    world = public_world
    client = world.client("contact_a")
    page = reverse("activities:detail", args=[world.activity.pk])
    action = reverse("activities:public_texts", args=[world.activity.pk])
    data = form_of(client, page, action)
    data |= {"public_title": ["Brobyggare stöttar familjer"], "public_text": ["Två brobyggare hjälper familjer."]}
    assert client.post(action, data).status_code == 302
    html = get(world, f"/0180/aktivitet/{world.activity.pk}/")
    assert '<h1 lang="sv">Brobyggare stöttar familjer</h1>' in html
    assert "Två brobyggare hjälper familjer." in html
    # Contact B's unit does not own the activity: no form, and a POST is refused.
    other = world.client("contact_b")
    assert action not in other.get(page).content.decode()
    assert other.post(action, data | {"public_title": ["Kapad"]}).status_code == 403
    assert "Kapad" not in get(world, f"/0180/aktivitet/{world.activity.pk}/")


def test_a_correction_of_a_goals_summary_keeps_its_translation(public_world):
    from public.translation import TextStatus

    world = public_world
    goal = world.result_goal
    client = world.client("coordinator")
    page = reverse("plans:goal", args=[goal.pk])
    action = reverse("plans:goal_summary", args=[goal.pk])
    say(goal, world, plain_summary="Staden söker upp familjer.")
    assert "correction" not in form_of(client, page, action)
    assert 'name="correction"' not in client.get(page).content.decode()  # no translation to keep yet
    say(goal, world, language="en", plain_summary="The city seeks out families.")
    data = form_of(client, page, action)
    assert 'name="correction"' in client.get(page).content.decode() and "correction" not in data
    response = client.post(action, data | {"plain_summary": ["Staden söker upp familjerna."], "correction": ["on"]})
    assert response.status_code == 302 and response["Location"] == page
    assert goal.translations.get(language_code="sv").plain_summary == "Staden söker upp familjerna."
    en = goal.translations.get(language_code="en")
    assert en.text_status == TextStatus.DONE
    assert "The city seeks out families." in get(world, f"/0180/en/mal/{goal.pk}/")
    # Without the box a changed text sends the translation back: readers see Swedish.
    data = form_of(client, action, action) | {"plain_summary": ["Staden söker upp alla familjer."]}
    assert client.post(action, data).status_code == 302
    assert goal.translations.get(language_code="en").text_status == TextStatus.IN_TRANSLATION
    assert "The city seeks out families." not in get(world, f"/0180/en/mal/{goal.pk}/")


def test_a_staff_name_in_a_public_text_is_refused_at_its_field(public_world):
    from lxml import html as lxml_html

    world = public_world
    client = world.client("contact_a")
    page = reverse("activities:detail", args=[world.activity.pk])
    action = reverse("activities:public_texts", args=[world.activity.pk])
    data = form_of(client, page, action) | {
        "public_title": ["Brobyggare stöttar familjer"],
        "public_text": ["Ring Testsson på förvaltningen."],
    }
    response = client.post(action, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"public_text"} and "Testsson" in form.errors["public_text"][0]
    document = lxml_html.document_fromstring(response.content.decode())
    assert [e.get("name") for e in document.xpath('//*[@aria-invalid="true"]')] == ["public_text"]
    assert not world.activity.translations.exists()
    # As the page sends it back, corrected: saved.
    (again,) = [dict(sub.data) for sub in submissions(action, response.content) if sub.action == action]
    assert client.post(action, again | {"public_text": ["Ring förvaltningen."]}).status_code == 302
    assert world.activity.translations.get(language_code="sv").public_text == "Ring förvaltningen."


def test_an_existing_note_is_shown_on_the_public_site_and_taken_off_again(public_world):
    world = public_world
    client = world.client("contact_a")
    detail = reverse("activities:detail", args=[world.activity.pk])
    action = reverse("activities:note_public", args=[world.note.pk])
    public_page = f"/0180/aktivitet/{world.activity.pk}/"
    assert "Två brobyggare anställda." not in get(world, public_page)
    data = form_of(client, detail, action)
    assert data["public"] == ["1"]
    assert client.post(action, data).status_code == 302
    world.note.refresh_from_db()
    assert world.note.public
    event = AuditEvent.objects.filter(object_id=str(world.activity.pk)).latest("pk")
    assert list(event.changes.values()) == [[False, True]]
    assert "Två brobyggare anställda." in get(world, public_page)
    data = form_of(client, detail, action)
    assert data["public"] == ["0"]
    assert client.post(action, data).status_code == 302
    world.note.refresh_from_db()
    assert not world.note.public
    assert "Två brobyggare anställda." not in get(world, public_page)
    # Not contact B's to change.
    assert world.client("contact_b").post(action, {"public": "1"}).status_code == 403
    world.note.refresh_from_db()
    assert not world.note.public


def test_a_goal_lists_the_goals_under_it_with_the_activities_serving_them(public_world):
    world = public_world
    # The public activity serves 1.2.1, under 1.2, under 1: each upper goal counts it once.
    html = get(world, f"/0180/mal/{world.focus.pk}/")
    assert f'href="/0180/mal/{world.goal.pk}/"' in html
    assert "1 offentlig aktivitet" in html or "1 public activity" in html
    assert f'href="/0180/mal/{world.result_goal.pk}/"' not in html  # only the goals directly under it
    html = get(world, f"/0180/mal/{world.result_goal.pk}/")
    assert "under det här målet" not in html and "under this goal" not in html
