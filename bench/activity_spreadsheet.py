"""Export and re-import the activity spreadsheet of a large city, as one process.

How to run it (after `bench/generate_city.py --db /tmp/city.sqlite3`):

    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/activity_spreadsheet.py export
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/activity_spreadsheet.py roundtrip
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/activity_spreadsheet.py import

`export` writes the plan's ~3,200 activities to .xlsx; `roundtrip` also reads
the file back and validates every row as an import would; `import` also saves
it with every tenth title changed (in a transaction that is rolled back).
Time and memory are measured from outside, e.g. with `/usr/bin/time -v`.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off, as in production

import django

django.setup()

from django.db import transaction  # noqa: E402

from activities.selectors import activities_of_plan  # noqa: E402
from activities.services import activities_import  # noqa: E402
from activities.spreadsheet import export_activities, parse_activities  # noqa: E402
from organisations.models import Membership  # noqa: E402
from plans.models import Plan  # noqa: E402


class Rollback(Exception):
    pass


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "export"
    plan = max(Plan.objects.all(), key=lambda p: p.activities.count())
    data = export_activities(plan, list(activities_of_plan(plan)))
    print(f"{plan.activities.count()} activities, {len(data) // 1024} kB")
    if mode in ("roundtrip", "import"):
        coordinator = Membership.objects.filter(municipality=plan.municipality, role="coordinator").first()
        rows = parse_activities(data, plan=plan, membership=coordinator)
        print(f"{len(rows)} rows valid")
    if mode == "import":
        # Change every tenth title, then save as the import page does, and roll back.
        for row in rows[::10]:
            row.fields["title"] += " (ändrad)"
        try:
            with transaction.atomic():
                created, changed = activities_import(plan=plan, by=coordinator.user, rows=rows)
                print(f"{created} created, {changed} changed")
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    main()
