"""Sign-ins, sign-outs, failed sign-ins, lockouts and refused requests are in
the account log, with the account but without the address or anything typed."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import AccountEvent
from conftest import PASSWORD

IP = "203.0.113.77"


def sign_in(username: str, password: str) -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=IP)
    client.get(reverse("login"))
    return client, client.post(reverse("login"), {"username": username, "password": password})


def stored_text() -> str:
    """Every value of every account event, to look for what must not be there."""
    return repr(list(AccountEvent.objects.values()))


def kinds() -> list[str]:
    return list(AccountEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_sign_in_and_sign_out(world):
    reader = world.users["reader"]
    client, response = sign_in("READER@example.se", PASSWORD)
    assert response.status_code == 302
    client.post(reverse("logout"))
    events = list(AccountEvent.objects.order_by("pk"))
    assert [e.kind for e in events] == [AccountEvent.Kind.SIGN_IN, AccountEvent.Kind.SIGN_OUT]
    assert {(e.account, e.account_name, e.municipality) for e in events} == {(reader, "reader", world.municipality)}
    assert IP not in stored_text()


def test_a_failed_sign_in_names_the_account_it_matched(world):
    sign_in("Reader", "a-wrong-guess")
    event = AccountEvent.objects.get()
    assert (event.kind, event.account, event.municipality) == (
        AccountEvent.Kind.SIGN_IN_FAILED,
        world.users["reader"],
        world.municipality,
    )
    assert "a-wrong-guess" not in stored_text() and IP not in stored_text()


def test_a_failed_sign_in_with_an_unknown_name_keeps_no_name(world):
    """Someone typed their password into the name field: it must not be kept."""
    sign_in("Hemligt-Lösenord-123", "")
    sign_in("Hemligt-Lösenord-123", "x")
    event = AccountEvent.objects.get()
    assert (event.kind, event.account, event.account_name, event.municipality) == (
        AccountEvent.Kind.SIGN_IN_FAILED,
        None,
        "",
        None,
    )
    assert "lösenord" not in stored_text().lower()


def test_a_lockout_is_recorded_and_so_is_every_refused_attempt(world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("reader", "wrong")
    assert kinds() == [AccountEvent.Kind.SIGN_IN_FAILED] * (settings.AXES_FAILURE_LIMIT - 1) + [
        AccountEvent.Kind.LOCKED_OUT
    ]
    # The right password with another spelling, during the lockout: refused and recorded.
    assert sign_in("READER", PASSWORD)[1].status_code == 429
    assert kinds()[-1] == AccountEvent.Kind.LOCKED_OUT
    assert set(AccountEvent.objects.values_list("account", flat=True)) == {world.users["reader"].pk}
    assert AccountEvent.Kind.SIGN_IN not in kinds()


def test_a_refused_request_is_recorded_with_its_path(world):
    client = world.client("reader")
    response = client.post(reverse("plans:create") + "?q=personnummer", {"title": "X"})
    assert response.status_code == 403
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.REFUSED)
    assert (event.account, event.method, event.path) == (world.users["reader"], "POST", reverse("plans:create"))
    assert "personnummer" not in stored_text()
    # A page the person may see is not recorded.
    assert client.get(reverse("plans:list")).status_code == 200
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.REFUSED).count() == 1


def test_a_csrf_failure_of_a_signed_in_person_is_recorded(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    assert client.post(reverse("plans:create"), {"title": "X"}).status_code == 403
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.REFUSED, account=world.users["coordinator"]).exists()


def test_a_signed_out_visitor_is_not_recorded(world):
    assert world.client("anonymous").get(reverse("plans:list")).status_code == 302
    assert not AccountEvent.objects.exists()


def test_the_coordinator_sees_a_persons_events_on_their_page(world):
    world.client("contact_a").post(reverse("plans:create"), {"title": "X"})
    member = world.membership("contact_a")
    page = world.client("coordinator").get(reverse("organisations:member_edit", args=[member.pk])).content.decode()
    with translation.override("sv"):
        label = str(AccountEvent.Kind.REFUSED.label)
    assert label.capitalize() in page or label in page
    assert f"POST {reverse('plans:create')}" in page
    # Another person's page does not show them.
    other = world.membership("contact_b")
    page = world.client("coordinator").get(reverse("organisations:member_edit", args=[other.pk])).content.decode()
    assert reverse("plans:create") not in page


def test_old_account_events_are_deleted_by_the_daily_command(world, settings):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    settings.ACCOUNT_EVENTS_KEEP_DAYS = 30
    now = timezone.now()
    old = AccountEvent.objects.create(kind=AccountEvent.Kind.SIGN_IN, at=now - timedelta(days=31))
    kept = AccountEvent.objects.create(kind=AccountEvent.Kind.SIGN_IN, at=now - timedelta(days=29))
    out = StringIO()
    call_command("prune_account_events", stdout=out)
    assert list(AccountEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AccountEvent.objects.filter(pk=old.pk).exists()
    with translation.override("sv"):
        assert out.getvalue().strip() == "1 kontohändelse äldre än 30 dagar borttagen."


def test_the_account_log_is_read_only_in_the_admin(world, django_user_model):
    admin = django_user_model.objects.create_superuser("drift", "drift@example.se", "x-Strong-Passw0rd")
    AccountEvent.objects.create(kind=AccountEvent.Kind.SIGN_IN, account_name="reader")
    client = Client()
    client.force_login(admin)
    listing = client.get(reverse("admin:audit_accountevent_changelist"))
    assert listing.status_code == 200 and "reader" in listing.content.decode()
    assert client.get(reverse("admin:audit_accountevent_add")).status_code == 403
    # A coordinator is not let into the admin at all.
    coordinator = Client()
    coordinator.force_login(world.users["coordinator"])
    assert coordinator.get(reverse("admin:audit_accountevent_changelist")).status_code in (302, 403)


def test_a_mapping_read_back_in_another_key_order_is_no_change():
    """PostgreSQL's jsonb gives keys back in its own order; the form posts them in
    the form's. Posting a form unchanged must not record a change (found on PostgreSQL
    by tests/test_forms_walk.py)."""
    from audit.services import diff

    before = {"texts": {"sv": {"title": "Mötesplatsen", "intro": "Anonym."}}, "n": 1}
    after = {"texts": {"sv": {"intro": "Anonym.", "title": "Mötesplatsen"}}, "n": 1}
    assert diff(before, after) == {}
    changed = diff(before, {**after, "texts": {"sv": {"intro": "Ny.", "title": "Mötesplatsen"}}})
    assert list(changed) == ["texts"]
    assert changed["texts"][1] == '{"sv": {"intro": "Ny.", "title": "Mötesplatsen"}}'
