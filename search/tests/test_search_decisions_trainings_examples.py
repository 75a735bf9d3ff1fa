"""Decisions, trainings and practice examples in the staff search (docs/search.md):
found with Swedish forms, linked to their pages, kept current on save, share,
unshare and delete, never across municipalities (except a shared example), not
for representatives, with a fixed number of queries."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competence.services import training_create, training_delete, training_update
from decisions.models import Body, Decision
from decisions.services import body_save, decision_delete, decision_save
from practice.models import PracticeExample
from practice.services import example_publish, example_update
from practice.tests.factories import make_example
from search.models import SearchEntry
from tests.formreader import submissions

URL = reverse("search:search")
STAFF = ["reader", "contact_a", "contact_b", "coordinator"]


def hits(client, q, **params) -> str:
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def example_url(example) -> str:
    return reverse("practice:detail", args=[example.pk])


def make_decision(municipality, *, body_name="Styrgruppen", **fields):
    body = body_save(municipality=municipality, by=None, fields={"name": body_name, "kind": Body.Kind.STEERING_GROUP})
    values = {
        "body": body,
        "decided_on": date(2026, 3, 12),
        "paragraph": "§ 4",
        "dnr": "KS 2026/118",
        "title": "Handlingsplan för romsk inkludering antas",
        "text": "Styrgruppen föreslår kommunstyrelsen att anta handlingsplanen för brobyggarverksamheten.",
        **fields,
    }
    return decision_save(municipality=municipality, by=None, fields=values)


def make_training(municipality, **fields):
    values = {
        "title": "Grundutbildning om romsk historia",
        "provider": "Länsstyrelsen i Stockholms län",
        "material": "Filmen Sorterade och deras studiehandledning, https://example.se/material",
        **fields,
    }
    return training_create(municipality=municipality, by=None, fields=values)


@pytest.mark.parametrize("role", STAFF)
def test_staff_find_decisions_and_trainings_and_the_links_open(world, role):
    decision = make_decision(world.municipality)
    training = make_training(world.municipality)
    client = world.client(role)
    page = hits(client, "handlingsplanen")  # the definite form finds "Handlingsplan"
    url = reverse("decisions:detail", args=[decision.pk])
    assert url in page
    assert "Styrgruppen 12 mars 2026 § 4 · KS 2026/118" in page  # the context line: body, date, §, dnr
    assert '<h2 id="hits-decision">Beslut' in page
    assert url in hits(client, "KS 2026/118")  # the reference number
    training_url = reverse("competence:detail", args=[training.pk])
    page = hits(client, "romska historien")
    assert training_url in page and '<h2 id="hits-training">Utbildning' in page
    assert training_url in hits(client, "länsstyrelsen sorterade")  # provider and material
    for link in (url, training_url):
        assert client.get(link).status_code == 200


def test_utbildningar_finds_a_training_called_utbildning(world):
    training = make_training(world.municipality, title="Utbildning för skolans personal", provider="")
    page = hits(world.client("reader"), "utbildningar")
    assert reverse("competence:detail", args=[training.pk]) in page
    assert "<mark>Utbildning</mark> för skolans personal" in page


def test_an_example_s_fields_are_found_and_the_kind_is_named(world):
    example = make_example(
        world.municipality,
        title="Läxhjälp med brobyggare",
        organisation="Gävle romska förening",
        summary="Brobyggare gav läxhjälp två kvällar i veckan.",
        prerequisites="Lokaler i biblioteket.",
        tips="Börja med föräldrarna.",
        results="Fler elever klarade nationella proven.",
    )
    client = world.client("contact_b")
    for words in ("läxhjälpen", "gävle förening", "kvällarna", "biblioteket", "föräldrar", "nationella prov"):
        page = hits(client, words)
        assert example_url(example) in page, words
    assert '<h2 id="hits-example">Exempel på insatser' in page
    assert "Exempel på insatser (1)" in page  # the kind filter
    kind_page = hits(client, "läxhjälp", typ="example")
    assert example_url(example) in kind_page and 'aria-current="page">Exempel på insatser (1)' in kind_page


def test_an_unshared_example_of_another_municipality_is_never_found(world):
    ours = make_example(world.municipality, title="Mentorskap för unga kvinnor")
    theirs = make_example(world.other_municipality, title="Mentorskap för unga män")
    for role in STAFF:
        page = hits(world.client(role), "mentorskap")
        assert example_url(ours) in page and example_url(theirs) not in page
    page = hits(world.client("other_coordinator"), "mentorskap")
    assert example_url(theirs) in page and example_url(ours) not in page


def test_a_shared_example_is_found_everywhere_and_unsharing_removes_it_everywhere(world):
    example = make_example(world.other_municipality, title="Romsk kulturvecka i Kiruna")
    client = world.client("reader")
    assert example_url(example) not in hits(client, "kulturveckor")

    # Shared on its page's confirmation, as the other municipality's coordinator does it.
    coordinator = world.client("other_coordinator")
    url = reverse("practice:publish", args=[example.pk])
    (form,) = [f for f in submissions(url, coordinator.get(url).content) if f.action.endswith(url)]
    assert coordinator.post(url, form.data).status_code == 302
    assert PracticeExample.objects.get(pk=example.pk).is_published
    assert SearchEntry.objects.filter(kind="example", object_id=example.pk).count() == 1  # one row, not one each
    for role in (*STAFF, "other_coordinator"):
        assert example_url(example) in hits(world.client(role), "kulturveckor"), role
    assert client.get(example_url(example)).status_code == 200  # the link opens

    example_publish(example=PracticeExample.objects.get(pk=example.pk), by=None, publish=False)
    for role in STAFF:
        assert example_url(example) not in hits(world.client(role), "kulturveckor"), role
    assert example_url(example) in hits(coordinator, "kulturveckor")  # still at home


def test_an_edited_shared_example_is_found_by_its_new_words(world):
    example = make_example(world.other_municipality, title="Språkcafé", published=True)
    example_update(example=example, by=None, fields={"tips": "Bjud in modersmålslärarna."})
    assert example_url(example) in hits(world.client("reader"), "modersmålslärare")


def test_only_the_own_municipality_finds_decisions_and_trainings(world):
    decision = make_decision(world.other_municipality)
    training = make_training(world.other_municipality)
    for role in STAFF:
        page = hits(world.client(role), "handlingsplan")
        assert reverse("decisions:detail", args=[decision.pk]) not in page
        assert reverse("competence:detail", args=[training.pk]) not in hits(world.client(role), "romsk historia")
    assert reverse("decisions:detail", args=[decision.pk]) in hits(world.client("other_coordinator"), "handlingsplan")


def test_representatives_find_none_of_it(world):
    make_example(world.municipality, title="Brobyggare i skolan", published=True)
    make_example(world.other_municipality, title="Brobyggare i vården", published=True)
    make_decision(world.municipality, title="Brobyggare anställs")
    make_training(world.municipality, title="Brobyggare utbildas")
    assert world.client("representative").get(URL, {"q": "brobyggare"}).status_code == 403
    from search.query import audiences

    assert audiences(world.users["representative"].membership) == []


def test_the_index_follows_edits_and_deletes(world):
    client = world.client("coordinator")
    decision = make_decision(world.municipality)
    url = reverse("decisions:detail", args=[decision.pk])
    decision_save(
        municipality=world.municipality, by=None, decision=decision, fields={"title": "Tolkar i vården", "text": ""}
    )
    assert url not in hits(client, "handlingsplanen") and url in hits(client, "tolkarna")
    body_save(municipality=world.municipality, by=None, body=decision.body, fields={"name": "Rådet för minoriteter"})
    assert "Rådet för minoriteter 12 mars 2026" in hits(client, "tolkar")  # the body's new name in the context
    decision_delete(decision=decision, by=None)
    assert url not in hits(client, "tolkar")
    assert not SearchEntry.objects.filter(kind="decision", object_id=decision.pk).exists()

    training = make_training(world.municipality)
    training_url = reverse("competence:detail", args=[training.pk])
    training_update(training=training, by=None, fields={"title": "Antiziganism i vardagen"}, rights_areas=[], goals=[])
    assert training_url not in hits(client, "romsk historia") and training_url in hits(client, "antiziganismen")
    pk = training.pk
    training_delete(training=training, by=None)
    assert training_url not in hits(client, "antiziganism")
    assert not SearchEntry.objects.filter(kind="training", object_id=pk).exists()

    example = make_example(world.municipality, title="Nätverk för romska föräldrar", published=True)
    pk = example.pk
    assert example_url(example) in hits(world.client("other_coordinator"), "nätverk föräldrarna")
    example.delete()
    assert not SearchEntry.objects.filter(kind="example", object_id=pk).exists()
    assert "search-hits" not in hits(world.client("other_coordinator"), "nätverk föräldrarna")


def test_rebuild_makes_the_same_rows_with_their_audiences(world):
    make_example(world.municipality, title="Eget exempel")
    make_example(world.other_municipality, title="Delat exempel", published=True)
    make_decision(world.municipality)
    make_training(world.municipality)
    columns = ("kind", "object_id", "municipality_id", "audience", "context", "title_keys", "body_keys")
    before = sorted(SearchEntry.objects.values_list(*columns))
    assert {row[0] for row in before} >= {"example", "decision", "training"}
    assert ("example", "shared") in {(row[0], row[3]) for row in before}
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert sorted(SearchEntry.objects.values_list(*columns)) == before
    # A rebuild of one municipality keeps the other's shared example.
    call_command("rebuild_search_index", world.municipality.code, verbosity=0)
    assert sorted(SearchEntry.objects.values_list(*columns)) == before


@pytest.mark.parametrize("params", [{}, {"typ": "example"}, {"typ": "decision"}])
def test_queries_do_not_grow_with_the_entries(world, params):
    client = world.client("contact_a")
    body = body_save(municipality=world.municipality, by=None, fields={"name": "Nämnden", "kind": Body.Kind.COMMITTEE})

    def add(n, first):
        for i in range(first, first + n):
            make_example(world.other_municipality, title=f"Skolstöd nummer {i}", published=True)
            make_example(world.municipality, title=f"Skolstöd hemma {i}")
            decision_save(
                municipality=world.municipality,
                by=None,
                fields={"body": body, "decided_on": date(2026, 1, 1 + i), "title": f"Skolstöd beslut {i}"},
            )
            make_training(world.municipality, title=f"Skolstöd kurs {i}")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page = hits(client, "skolstöd", **params)
        assert "search-hits" in page
        return len(ctx.captured_queries)

    add(1, 0)
    few = count()
    add(12, 1)
    assert count() == few


def test_a_decisions_consequence_analysis_is_found_and_kept_current(world):
    from decisions.models import ConsequenceAnalysis

    body = Body.objects.create(municipality=world.municipality, name="Styrgruppen", kind=Body.Kind.STEERING_GROUP)
    decision = Decision.objects.create(
        municipality=world.municipality, body=body, decided_on=date(2026, 3, 20), title="Brobyggare permanentas"
    )
    client = world.client("reader")

    def found(word: str) -> bool:
        return (
            reverse("decisions:detail", args=[decision.pk])
            in client.get(reverse("search:search"), {"q": word}).content.decode()
        )

    assert not found("skolnärvaro")
    analysis = ConsequenceAnalysis.objects.create(
        decision=decision, effects="Bättre skolnärvaro för romska barn.", minority_rights="5 §", conclusion="Stärker."
    )
    assert found("skolnärvaro")
    analysis.delete()
    assert not found("skolnärvaro")
