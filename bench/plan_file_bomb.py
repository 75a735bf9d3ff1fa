"""How long reading a hostile plan file holds a worker.

How to run it:

    DEBUG=1 .venv/bin/python bench/plan_file_bomb.py

Times `plans.planfile.read_yaml` (reading, no database) on:

- `alias bomb`: the 519-byte file of issue 13 (9 levels of 9 aliases), refused
  at its first anchor;
- `deep`: 1 MB of `[`, refused at the nesting limit;
- `many values`: a flow list of 1-character values up to the upload limit,
  refused at the value limit;
- `long text`: one goal title as long as the upload limit allows, read;
- `largest plan`: the Stockholm 2030 demo plan repeated as goals up to the
  upload limit, read (or refused at the value limit);
- `demo`: the Stockholm 2030 demo plan itself.

Prints each file's size, the time and the first error. A report, never an
assertion; memory is measured from outside, e.g. with `/usr/bin/time -v`.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402

from plans.planfile import PlanFileInvalid, read_yaml  # noqa: E402

LIMIT = settings.PLAN_FILE_MAX_BYTES
DEMO = (ROOT / "demo" / "stockholm-handlingsplan-2030.plan.yaml").read_text(encoding="utf-8")


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    return "\n".join(lines) + "\n"


def largest_plan() -> str:
    head, _, goals = DEMO.partition("\ngoals:\n")
    out = [head, "\ngoals:\n"]
    size = len(head)
    n = 0
    while size < LIMIT - len(goals) - 1000:
        n += 1
        out.append(goals.replace('code: "', f'code: "{n}.'))
        size += len(goals)
    return "".join(out)


FILES = {
    "alias bomb": alias_bomb(),
    "deep": "[" * (LIMIT - 1),
    "many values": "goals: [" + "a," * (LIMIT // 2 - 10) + "a]",
    "long text": "plan:\n  title: " + "x" * (LIMIT - 100) + "\n",
    "largest plan": largest_plan(),
    "demo": DEMO,
}


def main() -> None:
    translation.activate("sv")
    for name, text in FILES.items():
        start = time.perf_counter()
        try:
            read_yaml(text)
            outcome = "read"
        except PlanFileInvalid as exc:
            outcome = str(exc.errors[0])[:100]
        elapsed = time.perf_counter() - start
        print(f"{name:14} {len(text.encode()):>9} bytes {elapsed * 1000:8.1f} ms  {outcome}")


if __name__ == "__main__":
    main()
