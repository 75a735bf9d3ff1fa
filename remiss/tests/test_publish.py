"""The coordinator's step that puts a remiss on the public site, as the browser sends
it: the confirmation page, the confirmation required, and the undo."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from public.tests.conftest import publish_site
from remiss import services
from remiss.models import Answer, Remiss
from remiss.tests.test_remiss import new_remiss
from tests.formreader import submissions


def browser(world, role="coordinator") -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    return client


def form_on(client, url, name):
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return [s for s in submissions(url, page.content) if s.name == name]


def test_the_coordinator_publishes_after_confirming_and_can_undo_it(world):
    publish_site(world.municipality)
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"], on=timezone.localdate() - timedelta(days=1))
    org = remiss.bodies.get(unit__isnull=True)
    Answer.objects.create(body=org, stance=Answer.Stance.SUPPORTS, received_via=Answer.Via.LINK, officer="Ada Ek")
    client = browser(world)
    detail = reverse("remiss:detail", args=[remiss.pk])
    confirm_url = reverse("remiss:publish", args=[remiss.pk])
    assert confirm_url in client.get(detail).content.decode()
    page = client.get(confirm_url).content.decode()
    assert "Romska kvinnoföreningen" in page  # the coordinator sees who is not named
    (form,) = form_on(client, confirm_url, "remiss:publish")
    # As rendered, unconfirmed: refused with the error at the box, nothing saved.
    events = AuditEvent.objects.count()
    response = client.post(form.action, form.data)
    assert response.status_code == 400 and list(response.context["form"].errors) == ["confirm"]
    remiss.refresh_from_db()
    assert not remiss.is_published and AuditEvent.objects.count() == events
    response = client.post(form.action, {**form.data, "confirm": ["on"]})
    assert response.status_code == 302 and response["Location"] == detail
    remiss.refresh_from_db()
    assert remiss.is_published and remiss.published_by == world.users["coordinator"]
    public_url = f"/{world.municipality.code}/remiss/{remiss.pk}/"
    html = Client().get(public_url).content.decode()
    assert "Remiss: Handlingsplan 2030" in html and "Romska kvinnoföreningen" not in html
    # The undo, from the remiss's page.
    (undo,) = form_on(client, detail, "remiss:unpublish")
    assert client.post(undo.action, undo.data).status_code == 302
    remiss.refresh_from_db()
    assert not remiss.is_published
    assert Client().get(public_url).status_code == 404
    changes = [e.changes for e in AuditEvent.objects.filter(object_id=str(remiss.pk)).order_by("pk")]
    # The field's own name (the history labels it in Swedish) and the step, named.
    assert [c["published_at"] for c in changes if "published_at" in c] == [[False, True], [True, False]]
    assert sum("event" in c for c in changes if "published_at" in c) == 2


def test_a_draft_is_not_published(world):
    remiss = new_remiss(world)
    response = world.client("coordinator").get(reverse("remiss:publish", args=[remiss.pk]))
    assert response.status_code == 302
    try:
        services.remiss_publish(remiss=remiss, by=None, confirmed_personal_data=True)
    except services.RemissRefused:
        pass
    else:
        raise AssertionError("a draft was published")
    assert Remiss.objects.get(pk=remiss.pk).published_at is None


def test_the_page_says_why_a_published_remiss_is_not_shown(world):
    remiss = new_remiss(world)
    services.remiss_send(remiss=remiss, by=world.users["coordinator"], on=timezone.localdate())
    services.remiss_publish(remiss=remiss, by=None, confirmed_personal_data=True)
    response = world.client("coordinator").get(reverse("remiss:detail", args=[remiss.pk]))
    assert f"/{world.municipality.code}/remiss/{remiss.pk}/" in response.content.decode()
    # The site is not published: the page says so (in whichever language the catalogue has).
    (reason,) = response.context["public_obstacles"]
    assert escape(reason) in response.content.decode()
