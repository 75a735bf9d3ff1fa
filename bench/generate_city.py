"""Generate a large city for the benchmarks: Storstad (code 9999, prefix STORA).

How to run it
-------------

Alone, into a throwaway SQLite file (its path is printed, so you can look
around with ``DB_NAME=<path> .venv/bin/python manage.py runserver``):

    .venv/bin/python bench/generate_city.py [--units 45] [--activities 3200] [--years 10]
        [--indicators 220] [--goals 150] [--seed 1] [--db PATH] [--password PW]

``--db PATH`` writes into (and migrates) that SQLite file instead; with
``DB=postgres`` the configured PostgreSQL database is used. ``--password``
gives the coordinator (``storstad-samordnare``) and the Socialnämnden contact
(``storstad-kontakt-sn``) a password; otherwise every account has an unusable
one. It refuses to run if municipality 9999 already exists.

From another script (Django set up and migrated first)::

    from generate_city import generate      # bench/ on sys.path
    ids = generate(units=45, activities=3200, years=10, indicators=220, seed=1)

What it makes
-------------

One municipality with nämnder, stadsdelsnämnder, bolagsstyrelser, two råd,
two förvaltningar and kommunstyrelsen, and two unit groups; one adopted plan
with four levels and ``goals`` goals whose responsibility is spread over
units, groups and "samtliga nämnder och bolagsstyrelser"; ``activities``
activities (numbers 1..N, 1-3 goals, every status, co-operating units on
some, progress notes on some); ``years`` × 3 tertial rounds, each with a
report per responsible unit and an entry per goal: every round but the newest
approved, with a snapshot frozen by the same code as an approval
(``followups.selectors.content_from_rows``, which ``report_content`` uses, from
the rows generated: checked against ``report_content`` for one report) and the
activity updates it was made from; the newest round
opened with ``round_open`` and brought to mixed states with ``report_submit``,
``report_return`` and ``report_approve``; ``indicators`` indicators with a
baseline, targets and about ``years`` measurements each; an audit trail of a
realistic size. Bulk inserts everywhere else, in one transaction: the default
city takes about 7 s on a 2-core machine (SQLite, 49 MB).

``generate()`` returns the ids the timing script needs (see its docstring).
Dates are relative to today: the newest round is the tertial we are in.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CODE, PREFIX, NAME = "9999", "STORA", "Storstad"

# --- Names and texts -----------------------------------------------------------------

NAMNDER = [
    ("Socialnämnden", "SN"),
    ("Utbildningsnämnden", "UN"),
    ("Arbetsmarknadsnämnden", "AMN"),
    ("Kulturnämnden", "KN"),
    ("Idrottsnämnden", "IDN"),
    ("Stadsbyggnadsnämnden", "SBN"),
    ("Exploateringsnämnden", "EXPN"),
    ("Trafiknämnden", "TN"),
    ("Miljö- och hälsoskyddsnämnden", "MHN"),
    ("Äldrenämnden", "ÄN"),
    ("Överförmyndarnämnden", "ÖFN"),
    ("Fastighetsnämnden", "FN"),
    ("Servicenämnden", "SVN"),
    ("Kyrkogårdsnämnden", "KGN"),
    ("Funktionsstödsnämnden", "FSN"),
    ("Stadsarkivnämnden", "SAN"),
    ("Valnämnden", "VN"),
    ("Revisionsnämnden", "RN"),
]
STADSDELAR = [
    "Rinkeby-Kista",
    "Spånga-Tensta",
    "Hässelby-Vällingby",
    "Bromma",
    "Kungsholmen",
    "Norrmalm",
    "Östermalm",
    "Södermalm",
    "Enskede-Årsta-Vantör",
    "Skarpnäck",
    "Farsta",
    "Älvsjö",
    "Hägersten-Liljeholmen",
    "Skärholmen",
    "Vårby",
    "Flemingsberg",
]
BOLAG = [
    "Storstadshem",
    "Storstads Bostäder",
    "Hyresbostäder i Storstad",
    "Storstads Hamn",
    "Storstads Energi",
    "Storstads Vatten",
    "Storstads Parkering",
    "Storstads Idrottsanläggningar",
    "Storstads Stadsteater",
    "Storstads Kulturhus",
    "Storstads Utveckling",
    "Storstads Fastigheter",
]
RAD = [("Rådet för romska frågor", "RRF"), ("Funktionshinderrådet", "FHR"), ("Pensionärsrådet", "PR")]
FORVALTNINGAR = [("Stadsledningskontoret", "SLK"), ("Socialförvaltningen", "SOF"), ("Kulturförvaltningen", "KF")]

AREAS = ["utbildning", "arbete", "bostad", "halsa", "kultur", "civilsamhalle"]
FOCUS_TITLES = {
    "utbildning": "Utbildning: romska barn och unga har samma möjligheter i skolan som andra",
    "arbete": "Arbete: romer har samma möjligheter till egen försörjning som andra",
    "bostad": "Bostad: romer har tillgång till bostad på lika villkor",
    "halsa": "Hälsa, social omsorg och trygghet: romer får vård, omsorg och skydd på lika villkor",
    "kultur": "Kultur och språk: romsk kultur och romani chib är en synlig del av staden",
    "civilsamhalle": "Civilsamhällets organisering: romer är delaktiga och har inflytande",
}
GOAL_PHRASES = {
    "utbildning": [
        "Fler romska elever fullföljer grundskolan med godkända betyg",
        "Romska elever når gymnasiebehörighet i samma utsträckning som andra elever",
        "Skolans personal har kunskap om romsk historia och antiziganism",
        "Modersmålsundervisning i romani chib erbjuds och efterfrågas",
        "Närvaron bland romska elever i förskola och skola ökar",
        "Vuxna romer tar del av vuxenutbildning och svenska för invandrare",
    ],
    "arbete": [
        "Fler romer är etablerade på arbetsmarknaden",
        "Romska kvinnor tar del av stadens arbetsmarknadsinsatser",
        "Unga romer får feriejobb och praktik i stadens verksamheter",
        "Stadens arbetsgivare rekryterar utan diskriminering",
        "Romska brobyggare har tillsvidareanställning",
    ],
    "bostad": [
        "Vräkningar av barnfamiljer förebyggs",
        "Romer bemöts utan diskriminering i bostadsförmedlingen",
        "Hemlösa EU-medborgare får stöd och information",
        "Bostadsbolagen har rutiner mot diskriminering vid uthyrning",
    ],
    "halsa": [
        "Socialtjänsten har förtroende hos romska familjer",
        "Romers tillgång till hälso- och sjukvård förbättras",
        "Äldre romer får omsorg med hänsyn till språk och kultur",
        "Romska barn i samhällsvård får stöd i sin kulturella identitet",
        "Hatbrott mot romer anmäls och följs upp",
    ],
    "kultur": [
        "Romsk kultur och romani chib synliggörs i stadens kulturutbud",
        "Biblioteken har litteratur på romani chib och om romer",
        "Romska kulturarvet tillgängliggörs och bevaras",
        "Den romska nationaldagen uppmärksammas i hela staden",
    ],
    "civilsamhalle": [
        "Samråd med romer sker regelbundet och påverkar besluten",
        "Romska föreningar har förutsättningar att verka långsiktigt",
        "Romska unga deltar i stadens ungdomsråd",
        "Idéburet offentligt partnerskap med romska organisationer utvecklas",
    ],
}
GOAL_SUFFIXES = [
    "",
    "",
    " i hela staden",
    " i ytterstadens stadsdelar",
    " genom samverkan mellan nämnderna",
    " med stöd av brobyggare",
    " i samråd med romska organisationer",
    " under planperioden",
]
ACTIVITY_TITLES = [
    "Brobyggare i {u}",
    "Läxhjälp för romska elever i {u}",
    "Mötesplats för romska kvinnor, {u}",
    "Utbildning om antiziganism för personal i {u}",
    "Informationsträffar om {u}s verksamhet",
    "Samrådsmöten med romska föreningar, {u}",
    "Romsk kulturvecka i {u}",
    "Sommarjobb för romska unga, {u}",
    "Uppsökande arbete bland hemlösa EU-medborgare, {u}",
    "Föräldrastöd på romani chib, {u}",
    "Kartläggning av romers tillgång till {u}s tjänster",
    "Språkstöd i romani chib vid {u}",
    "Rekrytering av romsk personal till {u}",
    "Romska kulturarvet i {u}s samlingar",
    "Hälsokommunikatörer i {u}",
    "Stöd till romsk ungdomsförening, {u}",
]
SENTENCES = [
    "Insatsen genomförs tillsammans med romska föreningar och har god uppslutning.",
    "Brobyggarna har nått fler familjer än under föregående period.",
    "Personalen har gått utbildningen om romsk historia och antiziganism.",
    "Arbetet har samordnats med stadsdelsförvaltningarnas sociala insatsgrupper.",
    "Deltagandet har ökat, framför allt bland kvinnor och unga.",
    "Samråden har lett till ändrade öppettider och bättre information på romani chib.",
    "Uppföljningen visar att fler elever har regelbunden närvaro.",
    "Informationsmaterialet har översatts till kelderash och lovara.",
    "Samverkan med arbetsförmedlingen har formaliserats i en överenskommelse.",
    "Resultaten följs upp med enkäter och intervjuer med deltagarna.",
]
CHALLENGE_SENTENCES = [
    "Svårt att nå romska familjer utan brobyggare; förtroendet byggs långsamt.",
    "Insatsen finansieras med statsbidrag som upphör; ordinarie finansiering saknas.",
    "Personalomsättning gör att kunskapen om antiziganism behöver byggas upp igen.",
    "Få deltagare från romska organisationer i samråden; tiderna passar inte alla.",
    "Saknar underlag för att följa upp resultat över tid; nollmätning behövs.",
    "Samverkan med andra nämnder behöver formaliseras.",
]
ROLES = [
    "Enhetschef, Individ- och familjeomsorg",
    "Verksamhetsutvecklare",
    "Rektor",
    "Biblioteksansvarig",
    "Avdelningschef, arbetsmarknad",
    "Samordnare för nationella minoriteter",
    "Kulturstrateg",
]
INDICATORS = [
    # name, unit of measure, kind, percent
    ("Andel romska elever med gymnasiebehörighet", "procent", "number", True),
    ("Andel romska elever med godkända betyg i alla ämnen", "procent", "number", True),
    ("Antal elever i modersmålsundervisning på romani chib", "elever", "number", False),
    ("Antal romer i stadens arbetsmarknadsinsatser", "personer", "number", False),
    ("Andel deltagare i arbetsmarknadsinsatser som fått arbete", "procent", "number", True),
    ("Antal vräkningar som berör barn", "hushåll", "number", False),
    ("Antal anställda brobyggare", "personer", "number", False),
    ("Antal genomförda samråd med romska företrädare", "tillfällen", "number", False),
    ("Andel personal som gått utbildning om antiziganism", "procent", "number", True),
    ("Antal anmälda hatbrott mot romer", "anmälningar", "number", False),
    ("Antal besökare på romska kulturarrangemang", "besökare", "number", False),
    ("Antal medier på romani chib i biblioteken", "medier", "number", False),
    ("Förtroende för socialtjänsten bland romska föräldrar", "procent", "number", True),
    ("Finns en handlingsplan mot antiziganism i verksamheten", "", "yes_no", False),
    ("Har samråd hållits inför budgetbeslutet", "", "yes_no", False),
    ("Bedömning av romska föreningars förutsättningar", "", "text", False),
]
DECREASING = {"Antal vräkningar som berör barn", "Antal anmälda hatbrott mot romer"}

TARGET_GROUPS = ["barn_unga", "kvinnor_flickor", "foraldrar", "vuxna", "aldre", "personal", "alla"]
METHODS = ["brobyggare", "laxhjalp", "motesplats", "utbildning_personal", "information", "samrad", "kultur", "annat"]
PARTNER_KINDS = ["forening", "studieforbund", "iop", "trossamfund", "annat"]

# Summaries (plans.models.StatusSummary values)
NOT_STARTED, ON_TRACK, LATE, DONE, PAUSED, CANCELLED = (
    "ej_paborjad",
    "pagar",
    "forsenad",
    "genomford",
    "pausad",
    "avbruten",
)


def tertial(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 4 + 1


def tertial_dates(year: int, t: int) -> tuple[date, date, date]:
    """Period start, period end and deadline of a tertial."""
    start = date(year, 4 * (t - 1) + 1, 1)
    end = date(year, 4, 30) if t == 1 else date(year, 8, 31) if t == 2 else date(year, 12, 31)
    deadline = date(year, 5, 31) if t == 1 else date(year, 9, 30) if t == 2 else date(year + 1, 1, 31)
    return start, end, deadline


def previous_tertial(year: int, t: int) -> tuple[int, int]:
    return (year, t - 1) if t > 1 else (year - 1, 3)


class _City:
    """The generator's state; run() does the work in one transaction."""

    def __init__(self, *, units, activities, years, indicators, goals, seed, today):
        from django.utils import timezone

        self.n_units, self.n_activities, self.years = units, activities, years
        self.n_indicators, self.n_goals = indicators, goals
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        self.today = today or timezone.localdate()
        self.counts: dict[str, int] = {}

    # --- helpers -----------------------------------------------------------------------

    def aware(self, day: date, hour: int | None = None):
        from django.utils import timezone

        hour = self.rng.randint(8, 17) if hour is None else hour
        return timezone.make_aware(datetime.combine(day, dtime(hour, self.rng.randint(0, 59))))

    def day_between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def text(self, pool: list[str], low: int, high: int) -> str:
        return " ".join(self.rng.sample(pool, k=min(len(pool), self.rng.randint(low, high))))

    # --- the city ----------------------------------------------------------------------

    def run(self) -> dict:
        started = time.perf_counter()
        phases = {}
        for step in (
            self.make_organisation,
            self.make_people,
            self.make_plan,
            self.make_activities,
            self.make_past_rounds,
            self.make_newest_round,
            self.make_indicators,
            self.make_audit_trail,
            self.check_snapshot,
        ):
            t0 = time.perf_counter()
            step()
            phases[step.__name__] = time.perf_counter() - t0
        seconds = time.perf_counter() - started
        return {
            "municipality": self.m.pk,
            "plan": self.plan.pk,
            "coordinator": self.coordinator.pk,
            "contact": self.contact.pk,
            "reader": self.reader.pk,
            "unit": self.heavy.pk,
            "round": self.newest.pk,
            "report": self.heavy_report.pk,
            "previous_report": self.previous_report_pk,
            "counts": self.counts,
            "phases": phases,
            "seconds": seconds,
        }

    def make_organisation(self) -> None:
        from organisations.models import Municipality, OrgUnit, UnitGroup

        if Municipality.objects.filter(code=CODE).exists():
            raise ValueError(f"Municipality {CODE} exists already: generate into an empty database.")
        self.m = Municipality.objects.create(name=NAME, code=CODE, reference_prefix=PREFIX)
        n = self.n_units
        n_sdn, n_bolag = round(n * 14 / 45), round(n * 10 / 45)
        n_rad = n_forv = max(1, round(n * 2 / 45))
        n_namnd = max(1, n - 1 - n_sdn - n_bolag - n_rad - n_forv)
        specs = [("kommunstyrelsen", "Kommunstyrelsen", "KS")]
        for i in range(n_namnd):
            specs.append(("namnd", *(NAMNDER[i] if i < len(NAMNDER) else (f"Nämnd {i + 1}", f"N{i + 1}"))))
        for i in range(n_sdn):
            place = STADSDELAR[i] if i < len(STADSDELAR) else f"Stadsdel {i + 1}"
            specs.append(("stadsdelsnamnd", f"{place} stadsdelsnämnd", place))
        for i in range(n_bolag):
            company = BOLAG[i] if i < len(BOLAG) else f"Storstadsbolag {i + 1}"
            specs.append(("bolagsstyrelse", f"{company} AB:s styrelse", company))
        for i in range(n_rad):
            specs.append(("rad", *(RAD[i] if i < len(RAD) else (f"Råd {i + 1}", f"R{i + 1}"))))
        for i in range(n_forv):
            specs.append(
                ("forvaltning", *(FORVALTNINGAR[i] if i < len(FORVALTNINGAR) else (f"Förv {i + 1}", f"F{i + 1}")))
            )
        OrgUnit.objects.bulk_create(
            OrgUnit(municipality=self.m, kind=kind, name=name, short_name=short) for kind, name, short in specs
        )
        self.units = list(OrgUnit.objects.filter(municipality=self.m).order_by("pk"))
        self.by_kind = defaultdict(list)
        for u in self.units:
            self.by_kind[u.kind].append(u)
        self.ks = self.by_kind["kommunstyrelsen"][0]
        self.heavy = self.by_kind["namnd"][0]  # Socialnämnden: the unit with the most work
        self.political = [u for u in self.units if u.counted_in_all]
        self.sdn_group = UnitGroup.objects.create(municipality=self.m, name="Stadsdelsnämnderna", short_name="SDN")
        self.sdn_group.members.set(self.by_kind["stadsdelsnamnd"])
        self.bolag_group = UnitGroup.objects.create(
            municipality=self.m, name="Bostadsbolagens styrelser", short_name="Bostadsbolagen"
        )
        self.bolag_group.members.set(self.by_kind["bolagsstyrelse"][: max(1, (n_bolag + 2) // 3)])
        self.counts["units"] = len(self.units)
        self.counts["groups"] = 2

    def make_people(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password

        from organisations.models import Membership

        User = get_user_model()
        people = [
            ("storstad-samordnare", "Samira", "Samordnare", "coordinator", None),
            ("storstad-lasare", "Lars", "Läsare", "reader", None),
        ]
        # A contact for most units; every political unit but a few.
        for i, u in enumerate(self.units):
            if u.kind == "rad" or (i % 9 == 8 and u != self.heavy):
                continue
            slug = "sn" if u == self.heavy else f"{u.pk}"
            people.append((f"storstad-kontakt-{slug}", "Kim", f"Kontakt {u.short_name}", "contact", u))
        User.objects.bulk_create(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@storstad.example",
                password=make_password(None),
            )
            for username, first, last, _role, _unit in people
        )
        users = {u.username: u for u in User.objects.filter(username__startswith="storstad-")}
        Membership.objects.bulk_create(
            Membership(
                user=users[username],
                municipality=self.m,
                role=role,
                title="Kontaktperson för romsk inkludering" if unit else "",
            )
            for username, _f, _l, role, unit in people
        )
        memberships = {ms.user_id: ms for ms in Membership.objects.filter(municipality=self.m)}
        Membership.units.through.objects.bulk_create(
            Membership.units.through(membership_id=memberships[users[username].pk].pk, orgunit_id=unit.pk)
            for username, _f, _l, _role, unit in people
            if unit
        )
        self.coordinator = users["storstad-samordnare"]
        self.reader = users["storstad-lasare"]
        self.contact = users["storstad-kontakt-sn"]
        self.contact_of = {unit.pk: users[username] for username, _f, _l, _r, unit in people if unit}
        self.counts["users"] = len(people)

    def make_plan(self) -> None:
        from plans.models import (
            DEFAULT_ACTIVITY_STATUSES,
            ActivityStatus,
            Goal,
            GoalResponsibility,
            Plan,
            PlanLevel,
        )
        from plans.selectors import responsible_units

        # The rounds: ``years`` × 3 tertials, the newest the one we are in.
        y, t = tertial(self.today)
        tertials = []
        for _ in range(self.years * 3):
            tertials.append((y, t))
            y, t = previous_tertial(y, t)
        self.tertials = list(reversed(tertials))
        self.first_day = tertial_dates(*self.tertials[0])[0]
        rng = self.rng
        self.plan = Plan.objects.create(
            municipality=self.m,
            title=f"Handlingsplan för romsk inkludering {self.first_day.year}–{self.today.year + 4}",
            kind=Plan.Kind.HANDLINGSPLAN,
            status=Plan.Status.ADOPTED,
            is_current=True,  # the city's only plan
            overall_goal="Romer i Storstad har samma möjligheter till utbildning, arbete, bostad och hälsa som andra.",
            valid_from=self.first_day,
            valid_to=date(self.today.year + 4, 12, 31),
            adopted_by="Kommunfullmäktige",
            adopted_on=self.first_day - timedelta(days=60),
        )
        levels = [("Fokusområde", ""), ("Mål", "effektmal"), ("Resultatmål", "resultatmal"), ("Delmål", "resultatmal")]
        PlanLevel.objects.bulk_create(
            PlanLevel(plan=self.plan, depth=d, name=name, goal_kind=kind) for d, (name, kind) in enumerate(levels, 1)
        )
        ActivityStatus.objects.bulk_create(
            ActivityStatus(plan=self.plan, name=name, summary=summary, position=i)
            for i, (name, summary) in enumerate(DEFAULT_ACTIVITY_STATUSES, start=1)
        )
        self.statuses = {s.summary: s for s in ActivityStatus.objects.filter(plan=self.plan)}

        # Goals, level by level so parents have their ids.
        n = self.n_goals
        n1 = min(6, n)
        n2 = round(n * 0.15)
        n3 = round(n * 0.37)
        per_depth = [n1, n2, n3, max(0, n - n1 - n2 - n3)]
        self.goals: list = []
        area_of: dict[int, str] = {}
        parents: list = []
        for depth, count in enumerate(per_depth, start=1):
            made = []
            children_of: dict[int, int] = defaultdict(int)
            for i in range(count):
                if depth == 1:
                    parent, area, position, code = None, AREAS[i % 6], i + 1, str(i + 1)
                else:
                    # Round-robin first so every parent gets a child, then at random.
                    parent = parents[i] if i < len(parents) else rng.choice(parents)
                    children_of[parent.pk] += 1
                    area, position = area_of[parent.pk], children_of[parent.pk]
                    code = f"{parent.code}.{position}"
                title = FOCUS_TITLES[area] if depth == 1 else rng.choice(GOAL_PHRASES[area]) + rng.choice(GOAL_SUFFIXES)
                made.append(
                    Goal(
                        plan=self.plan,
                        parent=parent,
                        depth=depth,
                        position=position,
                        code=code,
                        title=title,
                        kind=levels[depth - 1][1],
                        description=self.text(SENTENCES, 1, 2) if depth == 2 else "",
                        guidance=("Exempel på insatser: " + self.text(SENTENCES, 2, 3))
                        if depth >= 3 and rng.random() < 0.4
                        else "",
                        all_units=depth >= 3 and rng.random() < 0.08,
                    )
                )
            Goal.objects.bulk_create(made)
            # Read back: bulk_create does not return ids on every backend. A goal's
            # rights area is its focus area's, found from the first part of its code.
            made = list(Goal.objects.filter(plan=self.plan, depth=depth).order_by("pk"))
            for g in made:
                area_of[g.pk] = AREAS[(int(g.code.split(".")[0]) - 1) % 6]
            self.goals += made
            parents = made
        goal_areas = Goal.rights_areas.through
        goal_areas.objects.bulk_create(
            goal_areas(goal_id=g.pk, rightsarea_id=area)
            for g in self.goals
            for area in {area_of[g.pk], *([rng.choice(AREAS)] if g.depth > 1 and rng.random() < 0.3 else [])}
        )

        # Responsibility: units, groups and "samtliga nämnder och bolagsstyrelser".
        direct = (
            self.by_kind["namnd"] * 3 + [self.ks] * 2 + self.by_kind["stadsdelsnamnd"] + self.by_kind["bolagsstyrelse"]
        )
        resps = []
        for g in self.goals:
            if g.depth == 1 or (g.depth == 2 and rng.random() < 0.7):
                continue
            if g.all_units:
                if rng.random() < 0.5:
                    resps.append(GoalResponsibility(goal=g, unit=self.ks, role="co"))
                continue
            r = rng.random()
            if r < 0.17:
                resps.append(GoalResponsibility(goal=g, group=self.sdn_group))
                if rng.random() < 0.4:
                    resps.append(GoalResponsibility(goal=g, unit=rng.choice(self.by_kind["namnd"]), role="co"))
                continue
            if r < 0.24:
                resps.append(GoalResponsibility(goal=g, group=self.bolag_group))
                continue
            chosen = set(rng.sample(direct, k=rng.randint(1, 3)))
            if rng.random() < 0.4:
                chosen.add(self.heavy)
            for u in chosen:
                resps.append(GoalResponsibility(goal=g, unit=u))
            if rng.random() < 0.3:
                co = rng.choice(self.political)
                if co not in chosen:
                    resps.append(GoalResponsibility(goal=g, unit=co, role="co"))
            if rng.random() < 0.15:
                resps.append(GoalResponsibility(goal=g, group=self.sdn_group, role="co"))
        GoalResponsibility.objects.bulk_create(resps)
        self.resp_goals, self.by_goal, self.resp_units = responsible_units(self.plan)
        self.goals_of_unit: dict[int, list] = defaultdict(list)
        for g in self.resp_goals:
            for unit_id in self.by_goal[g.pk]:
                self.goals_of_unit[unit_id].append(g)
        self.goal_by_pk = {g.pk: g for g in self.goals}
        self.counts["goals"] = len(self.goals)
        self.counts["responsibilities"] = len(resps)

    def make_activities(self) -> None:
        from activities.models import Activity, ProgressNote

        rng, today = self.rng, self.today
        owners = [u for u in self.units if u.counted_in_all]
        weights = []
        for u in owners:
            if u == self.heavy:
                weights.append(8)
            elif u.kind == "namnd":
                weights.append(3 if self.by_kind["namnd"].index(u) < 6 else 1.2)
            elif u.kind in ("stadsdelsnamnd", "kommunstyrelsen"):
                weights.append(2)
            else:
                weights.append(0.7)
        span_start = self.first_day - timedelta(days=180)
        span_days = (today - span_start).days
        rows = []
        self.act_goals: dict[int, list] = {}  # number -> goals
        co_units: dict[int, list] = {}
        for number in range(1, self.n_activities + 1):
            owner = rng.choices(owners, weights)[0]
            start = span_start + timedelta(days=rng.randint(0, span_days))
            end, ongoing = None, False
            r = rng.random()
            if r < 0.03:
                start = today + timedelta(days=rng.randint(10, 200))
                summary = NOT_STARTED
            elif r < 0.36:
                end = min(today - timedelta(days=1), start + timedelta(days=rng.randint(90, 900)))
                summary = DONE
            elif r < 0.41:
                end = min(today - timedelta(days=1), start + timedelta(days=rng.randint(30, 400)))
                summary = CANCELLED
            elif r < 0.72:
                ongoing = True
                summary = rng.choices([ON_TRACK, LATE, PAUSED], [7, 2, 1])[0]
            else:
                end = today + timedelta(days=rng.randint(30, 700))
                recent = start > today - timedelta(days=60)
                summary = NOT_STARTED if recent else rng.choices([ON_TRACK, LATE, PAUSED], [6, 3, 1])[0]
            if end is not None and end < start:
                end = start
            funding = rng.choices(["ordinarie", "statsbidrag", "annat"], [7, 2, 1])[0]
            funding_ends = None
            if funding != "ordinarie" and rng.random() < 0.8:
                funding_ends = today + timedelta(days=rng.randint(-365, 3 * 365))
            created = self.aware(max(min(start - timedelta(days=30), today - timedelta(days=1)), span_start))
            updated = created + (datetime.now(created.tzinfo) - created) * rng.random()
            title = rng.choice(ACTIVITY_TITLES).format(u=owner.short_name)
            rows.append(
                Activity(
                    municipality=self.m,
                    plan=self.plan,
                    number=number,
                    title=title,
                    owner=owner,
                    description=self.text(SENTENCES, 1, 3),
                    responsible_role=rng.choice(ROLES),
                    mandate="Uppdrag i nämndens verksamhetsplan." if r < 0.5 else "",
                    partners="Romska kulturföreningen i Storstad" if rng.random() < 0.4 else "",
                    partner_kinds=rng.sample(PARTNER_KINDS, k=rng.randint(0, 2)),
                    target_groups=rng.sample(TARGET_GROUPS, k=rng.randint(1, 3)),
                    methods=rng.sample(METHODS, k=rng.randint(1, 2)),
                    start_date=start,
                    end_date=end,
                    ongoing=ongoing,
                    budget=rng.choice([None, rng.randint(1, 500) * 10_000]),
                    funding=funding,
                    funding_ends=funding_ends,
                    visibility="publik" if rng.random() < 0.6 else "intern",
                    status=self.statuses[summary],
                    version=1 + rng.randint(0, 3),
                    created_at=created,
                    updated_at=updated,
                )
            )
            own = self.goals_of_unit.get(owner.pk) or []
            pool = own if own and rng.random() < 0.85 else [g for g in self.goals if g.depth >= 2]
            self.act_goals[number] = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 2, 2, 3])))
            if rng.random() < 0.2:
                others = [u for u in owners if u != owner]
                co_units[number] = rng.sample(others, k=rng.randint(1, 2))
        Activity.objects.bulk_create(rows, batch_size=500)
        self.activities = list(
            Activity.objects.filter(municipality=self.m).select_related("status", "owner").order_by("number")
        )
        goals_through, co_through = Activity.goals.through, Activity.co_units.through
        goals_through.objects.bulk_create(
            (goals_through(activity_id=a.pk, goal_id=g.pk) for a in self.activities for g in self.act_goals[a.number]),
            batch_size=2000,
        )
        co_through.objects.bulk_create(
            co_through(activity_id=a.pk, orgunit_id=u.pk) for a in self.activities for u in co_units.get(a.number, [])
        )
        notes = []
        for a in self.activities:
            if rng.random() >= 0.3 or a.start_date > today:
                continue
            last = min(today, a.end_date or today)
            for _ in range(rng.randint(1, 4)):
                notes.append(
                    ProgressNote(
                        activity_id=a.pk,
                        date=self.day_between(a.start_date, last),
                        text=self.text(SENTENCES, 1, 3),
                        author_name=f"Kim Kontakt {a.owner.short_name}",
                    )
                )
        ProgressNote.objects.bulk_create(notes, batch_size=2000)
        self.activities_of_unit: dict[int, list] = defaultdict(list)
        for a in self.activities:
            self.activities_of_unit[a.owner_id].append(a)
        self.counts["activities"] = len(self.activities)
        self.counts["activity goals"] = sum(len(v) for v in self.act_goals.values())
        self.counts["activity co-units"] = sum(len(v) for v in co_units.values())
        self.counts["progress notes"] = len(notes)

    # --- Follow-up -------------------------------------------------------------------

    def running(self, unit_id: int, period_start: date, period_end: date) -> list:
        """As followups.selectors.own_activities: the unit's activities that ran in the period, by number."""
        return [
            a
            for a in self.activities_of_unit.get(unit_id, [])
            if (a.start_date is None or a.start_date <= period_end)
            and (a.end_date is None or a.end_date >= period_start)
        ]

    def status_at(self, a, period_start: date, period_end: date):
        """The status a unit would have reported for the activity in a period."""
        if period_end >= self.today:
            return a.status
        summary = a.status.summary
        if summary in (DONE, CANCELLED) and a.end_date and a.end_date <= period_end:
            return a.status
        if a.start_date and a.start_date > period_start:
            return self.statuses[NOT_STARTED]
        if summary in (LATE, PAUSED) and (self.today - period_end).days < 2 * 365:
            return a.status
        return self.statuses[ON_TRACK]

    def goals_in_tree_order(self, activity) -> list:
        """As own_activities prefetches them: the activity's goals by depth, position and id."""
        return sorted(self.act_goals[activity.number], key=lambda g: (g.depth, g.position, g.pk))

    def make_past_rounds(self) -> None:
        from followups.models import ActivityUpdate, Assessment, ReportEntry, Round, UnitReport
        from followups.selectors import content_from_rows

        rng = self.rng
        past = self.tertials[:-1]
        Round.objects.bulk_create(
            Round(
                municipality=self.m,
                plan=self.plan,
                name=f"Tertial {t} {y}",
                period_start=tertial_dates(y, t)[0],
                period_end=tertial_dates(y, t)[1],
                deadline=tertial_dates(y, t)[2],
                instructions="Rapportera per mål och för varje egen aktivitet." if t == 3 else "",
                created_at=self.aware(tertial_dates(y, t)[1] - timedelta(days=14)),
            )
            for y, t in past
        )
        rounds = list(Round.objects.filter(plan=self.plan).order_by("period_end"))
        self.past_rounds = rounds
        for a in self.activities:
            a.municipality = self.m  # for its reference, without a query
        reports = []
        plans_for_report = []  # (entries, updates) per report, in the same order
        for index, rnd in enumerate(rounds):
            progress = index / max(1, len(rounds) - 1)  # assessments improve over the years
            weights = [0.15 + 0.35 * progress, 0.4, 0.3 - 0.2 * progress, 0.15]
            for unit in self.resp_units:
                goals = [g for g in self.resp_goals if unit.pk in self.by_goal[g.pk]]
                submitted = self.aware(rnd.deadline - timedelta(days=rng.randint(0, 20)))
                approved = submitted + timedelta(days=rng.randint(2, 30), hours=rng.randint(0, 5))
                entries = []
                for g in goals:
                    assessment = rng.choices(
                        [Assessment.MET, Assessment.PARTLY, Assessment.NOT_MET, Assessment.NOT_ASSESSED], weights
                    )[0].value
                    result = self.text(SENTENCES, 1, 4)
                    challenges = self.text(CHALLENGE_SENTENCES, 0, 2)
                    entries.append(ReportEntry(goal=g, result=result, challenges=challenges, assessment=assessment))
                updates = []
                running = self.running(unit.pk, rnd.period_start, rnd.period_end)
                for a in running:
                    status = self.status_at(a, rnd.period_start, rnd.period_end)
                    comment = self.text(SENTENCES, 1, 1) if rng.random() < 0.3 else ""
                    updates.append(ActivityUpdate(activity_id=a.pk, status=status, comment=comment))
                summary = self.text(SENTENCES, 1, 3)
                # Frozen by the same code as report_approve (report_content reads these rows from the database).
                snapshot = content_from_rows(
                    summary=summary,
                    fields=[],
                    entries=entries,
                    activities=running,
                    updates={u.activity_id: u for u in updates},
                    goals_of=self.goals_in_tree_order,
                ).as_snapshot()
                contact = self.contact_of.get(unit.pk)
                reports.append(
                    UnitReport(
                        round=rnd,
                        unit=unit,
                        status=UnitReport.Status.APPROVED,
                        summary=summary,
                        submitted_at=submitted,
                        submitted_by=contact or self.coordinator,
                        approved_at=approved,
                        approved_by=self.coordinator,
                        version=3,
                        snapshot=snapshot,
                    )
                )
                plans_for_report.append((entries, updates))
        UnitReport.objects.bulk_create(reports, batch_size=200)
        ids = {
            (round_id, unit_id): pk
            for round_id, unit_id, pk in UnitReport.objects.filter(round__in=rounds).values_list(
                "round_id", "unit_id", "pk"
            )
        }
        all_entries, all_updates = [], []
        for report, (entries, updates) in zip(reports, plans_for_report, strict=True):
            report_id = ids[(report.round.pk, report.unit.pk)]
            for e in entries:
                e.report_id = report_id
            for u in updates:
                u.report_id = report_id
            all_entries += entries
            all_updates += updates
        ReportEntry.objects.bulk_create(all_entries, batch_size=5000)
        ActivityUpdate.objects.bulk_create(all_updates, batch_size=5000)
        self.past_report_ids = ids
        self.counts["rounds"] = len(rounds)
        self.counts["reports"] = len(reports)
        self.counts["report entries"] = len(all_entries)
        self.counts["activity updates"] = len(all_updates)

    def make_newest_round(self) -> None:
        from followups import services
        from followups.models import ActivityUpdate, Assessment, ReportEntry, UnitReport
        from followups.services import FieldSpec

        rng = self.rng
        y, t = self.tertials[-1]
        start, end, deadline = tertial_dates(y, t)
        rnd = services.round_open(
            plan=self.plan,
            by=self.coordinator,
            fields={
                "name": f"Tertial {t} {y}",
                "period_start": start,
                "period_end": end,
                "deadline": deadline,
                "instructions": "Rapportera per mål: resultat, utmaningar och bedömning.",
            },
            extra_fields=[FieldSpec(label="Hur har romer varit delaktiga i arbetet med målet?", kind="text")],
        )
        self.newest = rnd
        field_key = f"f{rnd.fields.get().pk}"
        reports = list(rnd.reports.select_related("unit").order_by("pk"))
        others = [r for r in reports if r.unit_id != self.heavy.pk]
        rng.shuffle(others)
        n = len(others)
        cut = [round(n * f) for f in (0.15, 0.45, 0.53, 0.78)]
        state = {}
        for i, r in enumerate(others):
            state[r.pk] = (
                "approved"
                if i < cut[0]
                else "submitted"
                if i < cut[1]
                else "returned"
                if i < cut[2]
                else "partial"
                if i < cut[3]
                else "empty"
            )
        self.heavy_report = next(r for r in reports if r.unit_id == self.heavy.pk)
        state[self.heavy_report.pk] = "partial"  # a draft half written: the report and edit pages show it

        entries_by_report = defaultdict(list)
        for e in ReportEntry.objects.filter(report__round=rnd).order_by("pk"):
            entries_by_report[e.report_id].append(e)
        changed_entries, changed_reports, updates = [], [], []
        for r in reports:
            how = state[r.pk]
            if how == "empty":
                continue
            for i, e in enumerate(entries_by_report[r.pk]):
                if how == "partial" and i % 5 >= 3:
                    continue
                e.result = self.text(SENTENCES, 1, 4)
                e.challenges = self.text(CHALLENGE_SENTENCES, 0, 2)
                e.assessment = rng.choice([Assessment.MET, Assessment.PARTLY, Assessment.NOT_MET]).value
                e.extra = {field_key: "Genom samråd med romska föreningar."} if rng.random() < 0.5 else {}
                changed_entries.append(e)
            r.summary = self.text(SENTENCES, 1, 2)
            r.version = 2
            changed_reports.append(r)
            for i, a in enumerate(self.running(r.unit_id, start, end)):
                if how == "partial" and i % 2:
                    continue
                updates.append(
                    ActivityUpdate(
                        report_id=r.pk,
                        activity_id=a.pk,
                        status=a.status,
                        comment=self.text(SENTENCES, 1, 1) if rng.random() < 0.4 else "",
                    )
                )
        ReportEntry.objects.bulk_update(
            changed_entries, ["result", "challenges", "assessment", "extra"], batch_size=1000
        )
        UnitReport.objects.bulk_update(changed_reports, ["summary", "version"])
        ActivityUpdate.objects.bulk_create(updates, batch_size=5000)
        # The transitions through the real services (each a handful of queries).
        for r in UnitReport.objects.filter(round=rnd).select_related("round__municipality", "round__plan", "unit"):
            how = state[r.pk]
            if how in ("approved", "submitted", "returned"):
                services.report_submit(report=r, by=self.contact_of.get(r.unit_id, self.coordinator))
            if how == "approved":
                services.report_approve(report=r, by=self.coordinator)
            elif how == "returned":
                services.report_return(report=r, by=self.coordinator, comment="Komplettera bedömningen för målen.")
        self.previous_report_pk = self.past_report_ids.get((self.past_rounds[-1].pk, self.heavy.pk))
        self.counts["rounds"] += 1
        self.counts["reports"] += len(reports)
        self.counts["report entries"] += sum(len(v) for v in entries_by_report.values())
        self.counts["activity updates"] += len(updates)
        self.counts["heavy unit: entries in newest report"] = len(entries_by_report[self.heavy_report.pk])
        self.counts["heavy unit: activities in newest round"] = len(self.running(self.heavy.pk, start, end))

    # --- Indicators ------------------------------------------------------------------

    def make_indicators(self) -> None:
        from indicators.models import Baseline, Indicator, Measurement, Target

        rng = self.rng
        responsible = [u for u in self.units if u.kind != "rad"]
        base_day = self.first_day - timedelta(days=1)
        # A mid-term target, the plan's end (the horizon the path is drawn to) and a later one.
        horizon = date(self.today.year + 4, 12, 31)
        target_days = sorted({date(self.first_day.year + 4, 12, 31), horizon, date(self.today.year + 6, 12, 31)})
        measure_days = []
        for year in range(self.first_day.year, self.first_day.year + self.years):
            day = date(year, 12, 31)
            if day > self.today:
                day = self.today.replace(day=1) - timedelta(days=1)
            if day > base_day and (not measure_days or day > measure_days[-1]):
                measure_days.append(day)
        names, specs = set(), []
        for i in range(self.n_indicators):
            name, unit_of_measure, kind, percent = INDICATORS[i % len(INDICATORS)]
            unit = rng.choice(responsible)
            full = f"{name} – {unit.short_name}"
            n = 2
            while full in names:
                full, n = f"{name} – {unit.short_name} ({n})", n + 1
            names.add(full)
            specs.append((full, unit_of_measure, kind, percent, unit, name in DECREASING))
        rows = []
        for full, unit_of_measure, kind, _percent, unit, decreasing in specs:
            override = rng.random() < 0.05
            national = kind == "number" and rng.random() < 0.2
            rows.append(
                Indicator(
                    municipality=self.m,
                    name=full,
                    kind=kind,
                    definition=self.text(SENTENCES, 1, 2),
                    unit=unit_of_measure,
                    direction="decrease" if decreasing else "increase",
                    gender_split=kind == "number" and rng.random() < 0.3,
                    source_kind="national" if national else rng.choice(["own_count", "survey"]),
                    source_detail="Skolverket" if national else "",
                    kolada_id=f"N{rng.randint(10000, 99999)}" if national else "",
                    responsible_unit=unit,
                    valid_from=base_day,
                    track_override="off_track" if override else "",
                    track_override_reason="Mätningen fångar inte effekten av årets insatser." if override else "",
                    track_override_by=self.coordinator if override else None,
                    track_override_at=self.aware(self.today - timedelta(days=30)) if override else None,
                    created_at=self.aware(base_day),
                )
            )
        Indicator.objects.bulk_create(rows)
        indicators = list(Indicator.objects.filter(municipality=self.m).order_by("pk"))
        depth_23 = [g for g in self.goals if g.depth in (2, 3)]
        goal_links, baselines, targets, measurements = [], [], [], []
        for ind in indicators:
            own = [g for g in self.goals_of_unit.get(ind.responsible_unit_id, []) if g.depth in (2, 3, 4)]
            pool = own if own and rng.random() < 0.7 else depth_23
            for g in rng.sample(pool, k=min(len(pool), rng.randint(1, 2))):
                goal_links.append(Indicator.goals.through(indicator_id=ind.pk, goal_id=g.pk))
            contact = self.contact_of.get(ind.responsible_unit_id, self.coordinator)
            if ind.kind == "number":
                percent = ind.unit == "procent"
                start = Decimal(rng.randint(15, 60) if percent else rng.randint(5, 400))
                factor = Decimal(str(rng.uniform(0.5, 0.8) if ind.direction == "decrease" else rng.uniform(1.3, 2.0)))
                finals = []
                for day in rng.sample(target_days, k=min(len(target_days), rng.choice([1, 2, 2, 3]))):
                    share = Decimal((day - base_day).days) / Decimal((horizon - base_day).days)
                    value = start + (start * factor - start) * min(share, Decimal(1))
                    if percent:
                        value = min(value, Decimal(100))
                    finals.append((day, value.quantize(Decimal("0.01"))))
                baselines.append(
                    self.split(Baseline(indicator=ind, date=base_day, value=start, source="Egen nollmätning"), ind)
                )
                targets += [Target(indicator=ind, date=d, value=v) for d, v in finals]
                lagging = rng.random() < 0.4
                goal = max(finals, key=lambda dv: dv[0])[1]
                for day in measure_days:
                    share = (day - base_day).days / (horizon - base_day).days
                    expected = float(start) + (float(goal) - float(start)) * share * (0.6 if lagging else 1.05)
                    value = Decimal(str(max(0.0, expected * rng.uniform(0.93, 1.07)))).quantize(Decimal("0.01"))
                    if percent:
                        value = min(value, Decimal(100))
                    measurements.append(
                        self.split(
                            Measurement(
                                indicator=ind,
                                period_start=date(day.year, 1, 1),
                                period_end=day,
                                value=value,
                                note="Preliminär siffra." if rng.random() < 0.1 else "",
                                entered_by=contact,
                                entered_at=self.aware(min(self.today, day + timedelta(days=40))),
                            ),
                            ind,
                        )
                    )
            elif ind.kind == "yes_no":
                baselines.append(Baseline(indicator=ind, date=base_day, value_bool=False))
                for k, day in enumerate(measure_days):
                    measurements.append(
                        Measurement(
                            indicator=ind,
                            period_end=day,
                            value_bool=rng.random() < 0.3 + 0.07 * k,
                            entered_by=contact,
                            entered_at=self.aware(min(self.today, day)),
                        )
                    )
            else:
                baselines.append(Baseline(indicator=ind, date=base_day, note=self.text(CHALLENGE_SENTENCES, 1, 2)))
                for day in measure_days:
                    measurements.append(
                        Measurement(
                            indicator=ind,
                            period_end=day,
                            value_text=self.text(SENTENCES, 1, 2),
                            entered_by=contact,
                            entered_at=self.aware(min(self.today, day)),
                        )
                    )
        Indicator.goals.through.objects.bulk_create(goal_links)
        Baseline.objects.bulk_create(baselines)
        Target.objects.bulk_create(targets)
        Measurement.objects.bulk_create(measurements, batch_size=2000)
        self.indicators = indicators
        self.counts["indicators"] = len(indicators)
        self.counts["targets"] = len(targets)
        self.counts["measurements"] = len(measurements)

    def split(self, obj, indicator):
        """Women and men for a gender-split indicator, adding up to the total."""
        if indicator.gender_split and obj.value is not None:
            obj.women = (obj.value * Decimal(str(self.rng.uniform(0.4, 0.6)))).quantize(Decimal("0.01"))
            obj.men = obj.value - obj.women
        return obj

    # --- Audit trail -----------------------------------------------------------------

    def make_audit_trail(self) -> None:
        """What the services would have recorded over the years, so the audit table
        (read by every history section) has a realistic size."""
        from django.contrib.contenttypes.models import ContentType

        from activities.models import Activity
        from audit.models import AuditEvent
        from followups.models import Round, UnitReport
        from indicators.models import Indicator

        rng = self.rng
        ct = {
            model: ContentType.objects.get_for_model(model, for_concrete_model=False)
            for model in (Activity, Round, UnitReport, Indicator)
        }
        coordinator = "Samira Samordnare"
        events = []

        def add(model, pk, repr_, action, at, changes, actor=coordinator):
            events.append(
                AuditEvent(
                    municipality=self.m,
                    actor_name=actor,
                    at=at,
                    action=action,
                    content_type=ct[model],
                    object_id=pk,
                    object_repr=repr_[:300],
                    changes=changes,
                )
            )

        for a in self.activities:
            actor = f"Kim Kontakt {a.owner.short_name}"
            add(
                Activity,
                a.pk,
                a.title,
                "create",
                a.created_at,
                {"title": [None, a.title], "owner": [None, a.owner.short_name], "status": [None, "Ej påbörjad"]},
                actor,
            )
            for _ in range(a.version - 1):
                at = a.created_at + (a.updated_at - a.created_at) * rng.random()
                add(Activity, a.pk, a.title, "update", at, {"status": ["Ej påbörjad", a.status.name]}, actor)
        for rnd in self.past_rounds:
            add(
                Round,
                rnd.pk,
                rnd.name,
                "create",
                rnd.created_at,
                {"name": [None, rnd.name], "plan": [None, self.plan.title]},
            )
        round_name = {r.pk: r.name for r in self.past_rounds}
        unit_name = {u.pk: u.name for u in self.units}
        for (round_id, unit_id), pk in self.past_report_ids.items():
            repr_ = f"{round_name[round_id]}: {unit_name[unit_id]}"
            at = self.aware(self.today - timedelta(days=rng.randint(30, 3000)))
            add(UnitReport, pk, repr_, "update", at, {"status": ["Utkast", "Inlämnad"]}, "Kim Kontakt")
            add(UnitReport, pk, repr_, "update", at + timedelta(days=3), {"status": ["Inlämnad", "Godkänd"]})
        for ind in self.indicators:
            add(Indicator, ind.pk, ind.name, "create", ind.created_at, {"name": [None, ind.name]})
        AuditEvent.objects.bulk_create(events, batch_size=2000)
        self.counts["audit events"] = AuditEvent.objects.filter(municipality=self.m).count()

    def check_snapshot(self) -> None:
        """The generated snapshots must say what report_approve would have frozen."""
        from followups.models import UnitReport
        from followups.selectors import report_content

        if not self.previous_report_pk:
            return
        report = UnitReport.objects.select_related("round", "unit").get(pk=self.previous_report_pk)
        stored = report.snapshot
        report.status = UnitReport.Status.SUBMITTED  # in memory only: report_content reads the live rows
        live = report_content(report).as_snapshot()
        if live != stored:
            for key in live:
                if live[key] != stored.get(key):
                    raise RuntimeError(f"generated snapshot differs from report_content() in {key!r}")


def generate(*, units=45, activities=3200, years=10, indicators=220, seed=1, goals=150, today=None) -> dict:
    """Make the city in the current database (migrated, no municipality 9999) and return

    {"municipality", "plan", "coordinator", "contact" (a unit contact for Socialnämnden),
     "reader", "unit" (Socialnämnden: the unit with most entries and activities),
     "round" (the newest, open round), "report" (Socialnämnden's draft in it),
     "previous_report" (its latest approved report), "counts": {what: how many},
     "phases": {step: seconds}, "seconds"}: ids, not objects. ``today`` (a date)
    fixes the calendar; by default the rounds end with the tertial we are in."""
    from django.db import transaction

    city = _City(
        units=units, activities=activities, years=years, indicators=indicators, goals=goals, seed=seed, today=today
    )
    with transaction.atomic():
        return city.run()


def print_summary(ids: dict, log=print) -> None:
    phases = ", ".join(f"{name.removeprefix('make_')} {s:.1f}" for name, s in ids["phases"].items())
    log(f"Generated {NAME} ({CODE}) in {ids['seconds']:.1f} s ({phases}):")
    for what, n in ids["counts"].items():
        log(f"  {what:40} {n:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=45)
    parser.add_argument("--activities", type=int, default=3200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=220)
    parser.add_argument("--goals", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="SQLite file to migrate and fill (default: a new temporary file)")
    parser.add_argument("--password", help="password for storstad-samordnare and storstad-kontakt-sn")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production
    if os.environ.get("DB", "sqlite") == "sqlite":
        os.environ["DB_NAME"] = args.db or str(Path(tempfile.mkdtemp()) / "storstad.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ids = generate(
        units=args.units,
        activities=args.activities,
        years=args.years,
        indicators=args.indicators,
        seed=args.seed,
        goals=args.goals,
    )
    if args.password:
        from django.contrib.auth import get_user_model

        for user in get_user_model().objects.filter(pk__in=[ids["coordinator"], ids["contact"]]):
            user.set_password(args.password)
            user.save(update_fields=["password"])
    print_summary(ids)
    print(f"Database: {settings.DATABASES['default']['NAME']}")
    print("Sign in as storstad-samordnare (coordinator) or storstad-kontakt-sn (Socialnämnden's contact).")


if __name__ == "__main__":
    main()
