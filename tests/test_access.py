"""Every URL pattern, for every role.

The test walks the URL configuration itself: a new URL without an entry in
EXPECTED makes it fail, so no page can be added without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEvent
from conftest import ROLES

LOGIN = "login"  # a redirect to the sign-in page

MEMBER_PAGE = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN}
MEMBER_OBJECT = MEMBER_PAGE | {"other_coordinator": 404}
COORDINATOR_PAGE = {
    "anonymous": LOGIN, "reader": 403, "contact_a": 403, "contact_b": 403,
    "coordinator": 200, "other_coordinator": 200,
}  # fmt: skip
COORDINATOR_OBJECT = COORDINATOR_PAGE | {"other_coordinator": 404}
PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_OUT_ONLY = dict.fromkeys(ROLES, 302) | {"anonymous": 200}
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN}
POST_ONLY = dict.fromkeys(ROLES, 405)

# GET expectations, by URL name.
EXPECTED = {
    "home:start": MEMBER_PAGE,
    "login": SIGNED_OUT_ONLY,
    "logout": POST_ONLY,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,  # an invalid link shows a page that says so
    "password_reset_complete": PUBLIC,
    "set_language": dict.fromkeys(ROLES, 302),  # changes the language on POST; GET just goes back
    "organisations:units": MEMBER_PAGE,
    "organisations:unit_create": COORDINATOR_PAGE,
    "organisations:unit": MEMBER_OBJECT,
    "organisations:unit_edit": COORDINATOR_OBJECT,
    "organisations:group_create": COORDINATOR_PAGE,
    "organisations:group": MEMBER_OBJECT,
    "organisations:group_edit": COORDINATOR_OBJECT,
    "organisations:members": COORDINATOR_PAGE,
    "organisations:member_create": COORDINATOR_PAGE,
    "organisations:member_edit": COORDINATOR_OBJECT,
    "plans:list": MEMBER_PAGE,
    "plans:create": COORDINATOR_PAGE,
    "plans:import": COORDINATOR_PAGE,
    "plans:detail": MEMBER_OBJECT,
    "plans:edit": COORDINATOR_OBJECT,
    "plans:delete": COORDINATOR_OBJECT,
    "plans:export": COORDINATOR_OBJECT,
    "plans:goal_create": COORDINATOR_OBJECT,
    "plans:goal": MEMBER_OBJECT,
    "plans:goal_edit": COORDINATOR_OBJECT,
    "plans:goal_delete": COORDINATOR_OBJECT,
}

# URLs whose POST changes something: a POST by a role that may not must be
# refused the same way as the GET and change nothing.
STATE_CHANGING = [name for name, expected in EXPECTED.items() if expected in (COORDINATOR_PAGE, COORDINATOR_OBJECT)]


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_names(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), list(pattern.pattern.regex.groupindex)


def kwargs_for(name: str, params: list[str], world) -> dict:
    """Objects of the first municipality, so the other coordinator must get 404."""
    objects = {
        "organisations:unit": world.unit_a.pk,
        "organisations:unit_edit": world.unit_a.pk,
        "organisations:group": world.group.pk,
        "organisations:group_edit": world.group.pk,
        "organisations:member_edit": world.membership("contact_a").pk,
        "plans:detail": world.plan.pk,
        "plans:edit": world.plan.pk,
        "plans:delete": world.plan.pk,
        "plans:export": world.plan.pk,
        "plans:goal_create": world.plan.pk,
        "plans:goal": world.result_goal.pk,
        "plans:goal_edit": world.result_goal.pk,
        "plans:goal_delete": world.result_goal.pk,
    }
    if name == "password_reset_confirm":
        return {"uidb64": "MQ", "token": "not-a-valid-token"}
    if not params:
        return {}
    assert params in (["pk"], ["plan_pk"]), f"{name}: add its parameters to kwargs_for"
    return {params[0]: objects[name]}


def app_urls():
    return [(n, p) for n, p in url_names() if not n.startswith("admin:")]


def test_every_url_has_an_expectation():
    names = {name for name, _params in app_urls()}
    assert names == set(EXPECTED), (
        f"Decide who may use these URLs: {sorted(names - set(EXPECTED))}; "
        f"no longer exist: {sorted(set(EXPECTED) - names)}"
    )


def check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    else:
        assert response.status_code == expected, f"{url}: {response.status_code} != {expected}"


@pytest.mark.parametrize("role", ROLES)
def test_get_every_url(world, role):
    client = world.client(role)
    for name, params in app_urls():
        url = reverse(name, kwargs=kwargs_for(name, params, world))
        check(client.get(url), EXPECTED[name][role], f"{role} GET {url}")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "coordinator"])
def test_refused_posts_change_nothing(world, role):
    client = world.client(role)
    events = AuditEvent.objects.count()
    for name in STATE_CHANGING:
        params = dict(url_names())[name]
        url = reverse(name, kwargs=kwargs_for(name, params, world))
        expected = EXPECTED[name][role]
        if expected == 200:
            continue  # the other coordinator on their own municipality's pages: tested per view
        payload = {"title": "Kapad", "code": "9", "name": "Kapad", "short_name": "X", "kind": "namnd"}
        check(client.post(url, payload), expected, f"{role} POST {url}")
    assert AuditEvent.objects.count() == events
    world.plan.refresh_from_db()
    assert world.plan.title == "Handlingsplan för romsk inkludering 2030"
    assert world.plan.goals.count() == 3


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_superusers_only(world, role):
    """The admin is not the UI: every role is sent to the admin's own sign-in."""
    client = world.client(role)
    for name, params in url_names():
        if not name.startswith("admin:") or params or name in ("admin:login", "admin:logout"):
            continue
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert reverse("admin:login") in response["Location"], name
