"""Shared test fixtures: a small municipality with named personas, and a
second municipality whose coordinator must never see the first one's data."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from activities.models import Activity, ProgressNote
from consultations.models import AgendaItem, Consultation, MinutesVersion, View
from followups.models import Round, UnitReport
from organisations.models import Membership, Municipality, OrgUnit, UnitGroup
from plans.models import DEFAULT_ACTIVITY_STATUSES, ActivityStatus, Goal, GoalResponsibility, Plan, PlanLevel

PASSWORD = "correct-horse-battery-staple"  # noqa: S105
ROLES = ["anonymous", "reader", "contact_a", "contact_b", "coordinator", "other_coordinator", "representative"]


@dataclass
class World:
    municipality: Municipality
    other_municipality: Municipality
    unit_a: OrgUnit
    unit_b: OrgUnit
    unit_ks: OrgUnit
    group: UnitGroup
    plan: Plan
    focus: Goal
    goal: Goal
    result_goal: Goal
    other_plan: Plan
    other_goal: Goal
    other_unit: OrgUnit
    users: dict
    activity: Activity
    note: ProgressNote
    round: Round
    report_a: UnitReport
    consultation: Consultation
    item: AgendaItem
    view: View
    minutes: MinutesVersion

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def membership(self, role: str) -> Membership:
        return self.users[role].membership


# The authenticator-app secret of every test account whose role needs a second factor (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (test accounts only)
TOTP_PERIOD = 30  # seconds (allauth's default, with no tolerance for the previous or next code)
TOTP_MARGIN = 5  # seconds: a code this close to its period's end may reach the server in the next


def totp_code(secret: str = TOTP_SECRET, *, offset: int = 0) -> str:
    """The authenticator app's code now (``offset`` periods away). Near the end of a
    period it first waits for the next one: a code computed at 29.9 s reached the
    server in the following period, where it is no longer valid, and a test failed
    once in about a hundred runs."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < TOTP_MARGIN:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD + offset))


def make_user(username: str, municipality: Municipality, role: str, units=()) -> object:
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.se",
        first_name=username.split("_")[0].capitalize(),
        last_name="Testsson",
    )
    membership = Membership.objects.create(user=user, municipality=municipality, role=role)
    membership.units.set(units)
    if role in settings.MFA_REQUIRED_ROLES:
        # Roles that must have a second factor have one (signin/middleware.py); tests that
        # sign in through the form compute its codes from TOTP_SECRET (signin/tests).
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, TOTP_SECRET)
    return user


def make_plan(municipality: Municipality, title: str, *, level_names=("Fokusområde", "Mål", "Resultatmål")) -> Plan:
    plan = Plan.objects.create(
        municipality=municipality,
        title=title,
        kind=Plan.Kind.HANDLINGSPLAN,
        status=Plan.Status.ADOPTED,
        is_current=not Plan.objects.filter(municipality=municipality, is_current=True).exists(),  # the first one
    )
    for depth, name in enumerate(level_names, start=1):
        PlanLevel.objects.create(plan=plan, depth=depth, name=name)
    for position, (name, summary) in enumerate(DEFAULT_ACTIVITY_STATUSES, start=1):
        ActivityStatus.objects.create(plan=plan, name=name, summary=summary, position=position)
    return plan


def make_activity(plan: Plan, owner: OrgUnit, goals, *, title="Brobyggare i socialtjänsten", **fields) -> Activity:
    from activities.services import activity_create

    fields = {"title": title, "owner": owner, "status": plan.activity_statuses.first(), **fields}
    return activity_create(plan=plan, by=None, fields=fields, goals=goals)


def make_consultation(municipality, organiser, *, title="Öppet samråd om brobyggare", representatives=(), **fields):
    """A consultation held on 2026-03-12 with one item (decision 2026-04-23) and one view."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Stockholm")
    fields = {
        "title": title,
        "form": Consultation.Form.OPEN,
        "starts_at": datetime(2026, 3, 12, 17, 30, tzinfo=tz),
        "ends_at": datetime(2026, 3, 12, 19, 30, tzinfo=tz),
        "influence": Consultation.Influence.CONSULTATION,
        "influence_note": "Hur brobyggarnas arbete ska organiseras.",
        **fields,
    }
    consultation = Consultation.objects.create(municipality=municipality, **fields)
    consultation.organisers.set([organiser])
    consultation.representatives.set(representatives)
    item = AgendaItem.objects.create(
        consultation=consultation, position=1, question="Hur når vi fler familjer?", responsible_unit=organiser,
        decision_body="Socialnämnden", decision_date=date(2026, 4, 23), decision_ref="SN 2026/0412",
    )  # fmt: skip
    View.objects.create(item=item, text="Fler brobyggare behövs i söderort.")
    return consultation


def make_round(plan: Plan, name="Tertial 2 2026", **fields) -> Round:
    from datetime import date

    from followups.services import round_open

    fields = {
        "name": name,
        "period_start": date(2026, 5, 1),
        "period_end": date(2026, 8, 31),
        "deadline": date(2026, 9, 30),
        **fields,
    }
    return round_open(plan=plan, by=None, fields=fields)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Real hashers are slow on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _demo_without_second_factor(request, settings):
    """Browser tests sign in as the demo's coordinators with the demo's password, as
    scripts/demo runs it (MFA_REQUIRED_ROLES empty); the requirement itself is tested
    in signin/tests (marked second_factor)."""
    if request.node.get_closest_marker("browser") and not request.node.get_closest_marker("second_factor"):
        settings.MFA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _reference_data(request):
    """A transactional test starts with the rows data migrations made (the rights
    areas), which an earlier transactional test's flush removed (serialized
    rollback clashes with the content types such tests re-create)."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        from importlib import import_module

        from django.apps import apps

        request.getfixturevalue("transactional_db")
        import_module("plans.migrations.0002_rights_areas").add_areas(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty shared cache: ids are used again after a
    test's rollback, and a cached value (indicators' labels, rate limits) must not
    carry over to another test's objects."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def page_cache(settings):
    """The staff pages kept in the cache as in production (lib/pagecache.py),
    which is off by default in the tests."""
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def world(db) -> World:
    sthlm = Municipality.objects.create(name="Stockholms stad", code="0180")
    other = Municipality.objects.create(name="Huddinge kommun", code="0126")
    unit_a = OrgUnit.objects.create(municipality=sthlm, kind=OrgUnit.Kind.NAMND, name="Socialnämnden", short_name="SN")
    unit_b = OrgUnit.objects.create(
        municipality=sthlm,
        kind=OrgUnit.Kind.STADSDELSNAMND,
        name="Hägersten-Älvsjö stadsdelsnämnd",
        short_name="Hägersten-Älvsjö",
    )
    unit_ks = OrgUnit.objects.create(
        municipality=sthlm, kind=OrgUnit.Kind.KOMMUNSTYRELSEN, name="Kommunstyrelsen", short_name="KS"
    )
    group = UnitGroup.objects.create(municipality=sthlm, name="Stadsdelsnämnderna", short_name="Stadsdelsnämnderna")
    group.members.set([unit_b])
    plan = make_plan(sthlm, "Handlingsplan för romsk inkludering 2030")
    focus = Goal.objects.create(plan=plan, depth=1, code="1", title="Kunskap och information")
    goal = Goal.objects.create(
        plan=plan, parent=focus, depth=2, code="1.2", title="Staden når romer med information", kind="effektmal"
    )
    result_goal = Goal.objects.create(
        plan=plan,
        parent=goal,
        depth=3,
        code="1.2.1",
        title="Stadens verksamheter arbetar uppsökande",
        kind="resultatmal",
    )
    GoalResponsibility.objects.create(goal=result_goal, unit=unit_a)
    GoalResponsibility.objects.create(goal=result_goal, group=group)
    GoalResponsibility.objects.create(goal=result_goal, unit=unit_ks, role=GoalResponsibility.Role.CO)
    result_goal.rights_areas.set(["kultur"])

    other_unit = OrgUnit.objects.create(
        municipality=other, kind=OrgUnit.Kind.NAMND, name="Kultur- och fritidsnämnden", short_name="KFN"
    )
    other_plan = make_plan(other, "Vägar framåt", level_names=("Väg framåt",))
    other_goal = Goal.objects.create(plan=other_plan, depth=1, code="1", title="Synliggör romsk kultur")
    GoalResponsibility.objects.create(goal=other_goal, unit=other_unit)

    users = {
        "reader": make_user("reader", sthlm, Membership.Role.READER),
        "contact_a": make_user("contact_a", sthlm, Membership.Role.CONTACT, [unit_a]),
        "contact_b": make_user("contact_b", sthlm, Membership.Role.CONTACT, [unit_b]),
        "coordinator": make_user("coordinator", sthlm, Membership.Role.COORDINATOR),
        "other_coordinator": make_user("other_coordinator", other, Membership.Role.COORDINATOR),
        "representative": make_user("representative", sthlm, Membership.Role.REPRESENTATIVE),
    }
    rep = users["representative"].membership
    rep.organisation, rep.named_consent = "Romska kvinnoföreningen", True
    rep.save()
    consultation = make_consultation(sthlm, unit_a, representatives=[rep])
    item = consultation.items.get()
    view = item.views.get()
    minutes = MinutesVersion.objects.create(consultation=consultation, number=1, text="Minnesanteckningar: utkast.")
    activity = make_activity(plan, unit_a, [result_goal])
    note = ProgressNote.objects.create(activity=activity, text="Två brobyggare anställda.", author_name="Kontakt A")
    rnd = make_round(plan)
    return World(
        activity=activity,
        note=note,
        consultation=consultation,
        item=item,
        view=view,
        minutes=minutes,
        round=rnd,
        report_a=rnd.reports.get(unit=unit_a),
        municipality=sthlm,
        other_municipality=other,
        unit_a=unit_a,
        unit_b=unit_b,
        unit_ks=unit_ks,
        group=group,
        plan=plan,
        focus=focus,
        goal=goal,
        result_goal=result_goal,
        other_plan=other_plan,
        other_goal=other_goal,
        other_unit=other_unit,
        users=users,
    )
