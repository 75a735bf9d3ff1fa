"""After an upgrade that indexes more, ``migrate`` makes the search index again
once (search.index.INDEX_VERSION, IndexState), so objects saved before the
upgrade are found without an operator's extra step; afterwards it leaves the
index alone."""

from io import StringIO

from django.core.management import call_command

from search.index import INDEX_VERSION
from search.models import IndexState, SearchEntry


def goal_entry(world):
    return SearchEntry.objects.filter(kind=SearchEntry.Kind.GOAL, object_id=world.result_goal.pk)


def test_migrate_makes_an_outdated_index_again_once(world):
    # As before the upgrade: the index made by older rules, a goal not in it.
    IndexState.objects.update_or_create(pk=1, defaults={"version": INDEX_VERSION - 1})
    goal_entry(world).delete()
    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert goal_entry(world).exists()
    assert IndexState.objects.get().version == INDEX_VERSION
    assert f"Search index made again for version {INDEX_VERSION}" in out.getvalue()

    # Once: the next migrate leaves the index as it is.
    goal_entry(world).delete()
    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert not goal_entry(world).exists() and "Search index" not in out.getvalue()


def test_a_database_without_a_recorded_version_is_indexed(world):
    IndexState.objects.all().delete()
    SearchEntry.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert goal_entry(world).exists() and IndexState.objects.get().version == INDEX_VERSION
