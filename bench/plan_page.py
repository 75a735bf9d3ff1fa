"""Server time of the plan pages for a large plan, against a bare Django page.

    .venv/bin/python bench/plan_page.py [--goals 600] [--units 45] [--requests 60]

Builds a throwaway SQLite database (or uses DB=postgres settings as given),
creates a four-level plan with the given number of goals, each with
responsibilities and rights areas, and times requests through Django's full
request cycle (middleware, sessions, templates) in process. Prints p50/p95 in
milliseconds and each page's ratio to a bare view measured in the same run.
A report, never an assertion.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production
if os.environ.get("DB", "sqlite") == "sqlite":
    os.environ["DB_NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402

from organisations.models import Membership, Municipality, OrgUnit, UnitGroup  # noqa: E402
from plans.models import Goal, GoalResponsibility, Plan, PlanLevel, RightsArea  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-bare/", bare), path("", include("config.urls"))]


def build(goals: int, units: int):
    from django.contrib.auth import get_user_model

    m = Municipality.objects.create(name="Storstad", code="9999")
    unit_objs = [
        OrgUnit.objects.create(municipality=m, kind="namnd", name=f"Nämnd {i}", short_name=f"N{i}")
        for i in range(units)
    ]
    group = UnitGroup.objects.create(municipality=m, name="Stadsdelsnämnderna", short_name="SDN")
    group.members.set(unit_objs[: units // 3])
    plan = Plan.objects.create(municipality=m, title="Stor plan", kind="handlingsplan", status="antagen")
    for depth, name in enumerate(["Fokusområde", "Mål", "Resultatmål", "Delmål"], start=1):
        PlanLevel.objects.create(plan=plan, depth=depth, name=name)
    areas = list(RightsArea.objects.all())
    made = 0
    parents = {0: [None]}
    while made < goals:
        for depth in (1, 2, 3, 4):
            for parent in parents.get(depth - 1, [])[-3:]:
                if made >= goals:
                    break
                code = f"{parent.code}.{made}" if parent else str(made)
                g = Goal.objects.create(
                    plan=plan, parent=parent, depth=depth, code=code, title=f"Mål {code} " + "text " * 12
                )
                GoalResponsibility.objects.create(goal=g, unit=unit_objs[made % units])
                GoalResponsibility.objects.create(goal=g, group=group, role="co")
                g.rights_areas.set(areas[made % 6 : made % 6 + 2])
                parents.setdefault(depth, []).append(g)
                made += 1
    user = get_user_model().objects.create_user(username="bench")
    Membership.objects.create(user=user, municipality=m, role="coordinator")
    return user, plan, unit_objs[0], plan.goals.filter(depth=3).first()


def timed(client: Client, url: str, n: int) -> list[float]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--goals", type=int, default=600)
    parser.add_argument("--units", type=int, default=45)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user, plan, unit, goal = build(args.goals, args.units)
    # Not setup_test_environment(): its instrumented template rendering would distort the figures.
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(user)
        pages = {
            "bare Django view": "/bench-bare/",
            "plan page": reverse("plans:detail", args=[plan.pk]),
            "plan page, filtered by unit": reverse("plans:detail", args=[plan.pk]) + f"?enhet={unit.pk}",
            "goal page": reverse("plans:goal", args=[goal.pk]),
            "unit page": reverse("organisations:unit", args=[unit.pk]),
        }
        results = {name: timed(client, url, args.requests) for name, url in pages.items()}
    base = statistics.median(results["bare Django view"])
    db = os.environ.get("DB", "sqlite")
    print(f"{plan.goals.count()} goals, {args.units} units, {args.requests} requests per page, DB={db}")
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'p50 / bare':>11}")
    for name, values in results.items():
        print(f"{name:32} {statistics.median(values):8.1f} {p95(values):8.1f} {statistics.median(values) / base:11.1f}")


if __name__ == "__main__":
    main()
