"""Times plan_new_version, compare and plan_adopt on the large city (docs/plan-versions.md).

Run with manage.py shell on a copy of /tmp/lead.sqlite3; each run is rolled back."""

import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans.models import Plan
from plans.services import plan_adopt, plan_new_version
from plans.versions import compare, snapshot

plan = Plan.objects.get(municipality__code="9999", is_current=True)
print("plan", plan.pk, plan.goals.count(), "goals", plan.activities.count(), "activities")
rows = []
for _run in range(3):
    with transaction.atomic():
        t0 = time.process_time()
        with CaptureQueriesContext(connection) as q1:
            new = plan_new_version(plan=plan, by=None)
        t1 = time.process_time()
        with CaptureQueriesContext(connection) as q2:
            compare(snapshot(plan), snapshot(new))
        t2 = time.process_time()
        with CaptureQueriesContext(connection) as q3:
            r = plan_adopt(plan=new, by=None, adopted_by="Kommunfullmäktige", adopted_on=timezone.localdate())
        t3 = time.process_time()
        rows.append((t1 - t0, t2 - t1, t3 - t2))
        print(
            f"copy {t1 - t0:.3f}s {len(q1)}q; compare {t2 - t1:.3f}s {len(q2)}q;",
            f"adopt {t3 - t2:.3f}s {len(q3)}q moved={r.moved} left={r.left_behind}",
        )
        transaction.set_rollback(True)
for i, name in enumerate(("copy", "compare", "adopt")):
    print(name, "median CPU", sorted(r[i] for r in rows)[1])
