"""Export and re-import the activity spreadsheet of a large city, as one process.

How to run it (after `bench/generate_city.py --db /tmp/city.sqlite3`):

    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/activity_spreadsheet.py export
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/activity_spreadsheet.py roundtrip
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/activity_spreadsheet.py import
    DB_NAME=/tmp/city.sqlite3 .venv/bin/python bench/activity_spreadsheet.py import-new

`export` writes the plan's ~3,200 activities to .xlsx; `roundtrip` also reads
the file back and validates every row as an import would; `import` also saves
it with every tenth title changed (in a transaction that is rolled back);
`import-new` reads and saves a file of 1,000 new rows (copies of the first
1,000 without their references), also rolled back. Reading and saving print
their CPU time (time.process_time); wall time and memory are measured from
outside, e.g. with `/usr/bin/time -v`.
"""

import os
import sys
import time
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
    if mode == "import-new":
        data = _new_rows(data, 1000)
    if mode in ("roundtrip", "import", "import-new"):
        coordinator = Membership.objects.filter(municipality=plan.municipality, role="coordinator").first()
        start = time.process_time()
        rows = parse_activities(data, plan=plan, membership=coordinator)
        print(f"{len(rows)} rows valid, read and checked in {time.process_time() - start:.2f} s CPU")
    if mode in ("import", "import-new"):
        # Change every tenth title, then save as the import job does, and roll back.
        if mode == "import":
            for row in rows[::10]:
                row.fields["title"] += " (ändrad)"
        try:
            with transaction.atomic():
                start = time.process_time()
                created, changed = activities_import(plan=plan, by=coordinator.user, rows=rows)
                print(f"{created} created, {changed} changed, saved in {time.process_time() - start:.2f} s CPU")
                raise Rollback
        except Rollback:
            pass


def _new_rows(data: bytes, count: int) -> bytes:
    """The first ``count`` rows of the exported file as new activities (no reference)."""
    import io

    from openpyxl import load_workbook

    from activities.spreadsheet import HEADER, WIDTHS
    from lib.xlsx import Sheet, write_workbook

    rows = list(load_workbook(io.BytesIO(data))["Aktiviteter"].iter_rows(min_row=2, values_only=True))[:count]
    return write_workbook(
        [Sheet(title="Aktiviteter", header=HEADER, rows=[[None, *r[1:]] for r in rows], widths=WIDTHS)]
    )


if __name__ == "__main__":
    main()
