"""The list of imports (/importer/): a coordinator sees every import of the
municipality, anyone else the imports they started; newest first, sortable and
paged through the URL, each linked to its page with what came of it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob
from imports.views import JOBS_PAGE_SIZE


def job(world, role, *, status=ImportJob.Status.DONE, minutes_ago=0, **fields) -> ImportJob:
    return ImportJob.objects.create(
        municipality=fields.pop("municipality", world.municipality),
        kind=fields.pop("kind", ImportJob.Kind.ACTIVITIES),
        plan=fields.pop("plan", world.plan),
        requested_by=world.users[role] if role else None,
        status=status,
        requested_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def listed(client, query="") -> list[int]:
    response = client.get(reverse("imports:list") + query)
    assert response.status_code == 200
    return [job.pk for job, _summary in response.context["rows"]]


def test_a_coordinator_sees_every_import_and_a_contact_their_own(world):
    mine = job(world, "contact_a", file_name="aktiviteter.xlsx", created=3, changed=1, minutes_ago=5)
    theirs = job(world, "coordinator", kind=ImportJob.Kind.PLAN, plan=None, status=ImportJob.Status.FAILED,
                 file_name="plan.txt", errors=["Rad 3: koden saknas.", "Rad 7: okänd nivå."])  # fmt: skip
    elsewhere = job(world, None, municipality=world.other_municipality, plan=None, kind=ImportJob.Kind.PLAN)
    assert listed(world.client("coordinator")) == [theirs.pk, mine.pk]  # newest first
    assert listed(world.client("contact_a")) == [mine.pk]
    assert listed(world.client("contact_b")) == [] and elsewhere.pk not in listed(world.client("coordinator"))
    page = world.client("coordinator").get(reverse("imports:list")).content.decode()
    assert reverse("imports:job", args=[mine.pk]) in page and reverse("imports:job", args=[theirs.pk]) in page
    assert "3 nya aktiviteter, 1 ändrade" in page and "2 fel. Inget sparades." in page
    assert "aktiviteter.xlsx" in page and "plan.txt" in page
    empty = world.client("contact_b").get(reverse("imports:list")).content.decode()
    assert "Du har inte importerat något ännu." in empty


def test_sorted_and_paged_through_the_address(world):
    jobs = [job(world, "coordinator", file_name=f"fil-{i:03}.xlsx", minutes_ago=i) for i in range(JOBS_PAGE_SIZE + 2)]
    client = world.client("coordinator")
    assert listed(client) == [j.pk for j in jobs[:JOBS_PAGE_SIZE]]
    assert listed(client, "?sida=2") == [j.pk for j in jobs[JOBS_PAGE_SIZE:]]
    assert listed(client, "?ordning=fil") == [j.pk for j in jobs[:JOBS_PAGE_SIZE]]
    assert listed(client, "?ordning=-fil&sida=2") == [j.pk for j in reversed(jobs[:2])]
    page = client.get(reverse("imports:list") + "?ordning=fil").content.decode()
    assert 'aria-sort="ascending"' in page and "ordning=fil&amp;sida=2" in page


def test_the_import_pages_link_to_the_list(world):
    client = world.client("coordinator")
    listing = reverse("imports:list")
    assert listing in client.get(reverse("plans:import")).content.decode()
    assert listing in client.get(reverse("activities:import", args=[world.plan.pk])).content.decode()
    assert listing in client.get(reverse("imports:job", args=[job(world, "coordinator").pk])).content.decode()
