"""No query string crashes a page.

Every URL of tests/test_access.py is asked for, as a role that may see it,
with hostile values in every query parameter a view reads (collected from the
source, so a new one is covered) and in a generic set: numbers too large for
the database or for a date, negative numbers, digits Python reads but the
database does not ("²"), NUL bytes, long strings, repeated parameters. A bad
value falls back to the page's default or gives a 4xx answer, never a 500.
"""

import inspect
import re
from pathlib import Path

import pytest
from django.urls import resolve, reverse

from conftest import ROLES
from public.tests.published import public_world
from public.walk import walk
from tests.test_access import EXPECTED, app_urls, kwargs_for

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "activities", "consultations", "followups", "home", "indicators", "inventories", "lib", "opendata",
    "organisations", "plans", "practice", "remiss", "reports", "surveys",
]  # fmt: skip
READS = re.compile(
    r"""(?:GET|query_params)\.(?:get|getlist)\(\s*["']([\w-]+)["']"""
    r"""|GET\[\s*["']([\w-]+)["']\s*\]"""
    r"""|(?:int|year|text|choice)_param\(\s*request,\s*["']([\w-]+)["']"""
    r"""|for \w+ in \(([^)]*)\) if \w+ in request\.GET"""
)
GENERIC = [
    "ar", "year", "page", "page_size", "sida", "q", "sort", "order", "status", "enhet", "unit", "plan", "period",
    "omgang", "typ", "format", "lang", "sprak", "mal", "fokus", "omrade", "under", "visa", "inventering",
]  # fmt: skip
HOSTILE = [
    "99999999999999999999",  # beyond a 64-bit integer
    "9" * 5000,  # beyond Python's limit for reading an int from text
    "10000",  # a year past what a date holds
    "-1",
    "1e400",
    "",
    "\x00",  # a NUL byte, which PostgreSQL refuses in a query
    "x" * 5000,
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits: int() reads them
    "Mål 🙂 漢字 \u202e' OR 1=1 --<script>",
    "%",
]
# Numbers tried one parameter at a time, where a view reads that parameter: a number
# that is valid for one parameter (a plan that is not found) must not hide another.
ALONE = ["9223372036854775808", "10000", "0", "²"]  # one past the largest id, …


def parameter_names() -> list[str]:
    names = set(GENERIC)
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for match in READS.finditer(path.read_text()):
                single = match.group(1) or match.group(2) or match.group(3)
                if single:
                    names.add(single)
                elif match.group(4):
                    names.update(re.findall(r"""["']([\w-]+)["']""", match.group(4)))
    return sorted(names)


def test_the_parameters_views_read_are_found():
    names = parameter_names()
    assert {"ar", "enhet", "plan", "q", "sida", "mal", "fokus", "omrade", "under", "visa", "sprak"} <= set(names)


def role_for(name: str) -> str:
    """A role that may see the page (so the view itself runs), else the coordinator."""
    preference = ["coordinator", "contact_a", "reader", "representative", "anonymous", *ROLES]
    return next((role for role in preference if EXPECTED[name][role] == 200), "coordinator")


def reads_of(url: str) -> set[str]:
    """The query parameters the URL's view reads: in its own source, in the
    functions of its module it calls, and "plan" where it lets ?plan= choose."""
    func = resolve(url).func
    cls = getattr(func, "view_class", None) or getattr(func, "cls", None)
    if cls is not None:
        sources = [inspect.getsource(inspect.getmodule(cls))]
    else:
        func = inspect.unwrap(func)
        own = inspect.getsource(func)
        module = inspect.getmodule(func)
        called = set(re.findall(r"\b(\w+)\(", own))
        helpers = [
            f
            for n, f in inspect.getmembers(module, inspect.isfunction)
            if n in called and f.__module__ == module.__name__
        ]
        sources = [own, *(inspect.getsource(f) for f in helpers)]
    reads = set()
    for source in sources:
        for match in READS.finditer(source):
            reads.update(re.findall(r"[\w-]+", "".join(g for g in match.groups() if g)))
        if "get_chosen_plan(" in source:
            reads.add("plan")
    return reads


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0  # every request comes from one address
    settings.MEDIA_ROOT = tmp_path


def test_no_query_string_gives_a_server_error(world):
    names = parameter_names()
    clients = {}
    failures = []
    visited = []

    def get(role, url, query):
        client = clients.setdefault(role, world.client(role))
        try:
            response = client.get(url, query)
        except Exception as exc:  # the test client re-raises what the view raised
            failures.append(f"{role} GET {url} {query!r:.200}: {type(exc).__name__}: {exc!s:.200}")
            return
        if response.status_code >= 500:
            failures.append(f"{role} GET {url} {query!r:.200}: {response.status_code}")

    urls = [
        (name, reverse(name, kwargs=kwargs_for(name, params, world)))
        for name, params in app_urls()
        if not name.startswith("public:")
    ]
    # The public pages: every address the walk gives, of a site with one object of each kind.
    public_world(world)
    public_urls = [(resolve(url).view_name, url) for url in walk(world.municipality)]
    assert {name for name, _url in public_urls} >= {n for n, _p in app_urls() if n.startswith("public:")}
    for name, url in [*urls, *public_urls]:
        role = role_for(name)
        reads = reads_of(url)
        # Every view gets a few hostile query strings (middleware reads some too); the
        # views that read parameters get every hostile value, then one parameter at a time.
        for value in HOSTILE if reads else HOSTILE[:1] + HOSTILE[6:7]:
            get(role, url, dict.fromkeys(names, value))
        get(role, url, {n: ["1", "-1", "99999999999999999999"] for n in names})  # repeated: ?a=1&a=-1&a=…
        for parameter in sorted(reads):
            for value in ALONE:
                get(role, url, {parameter: value})
        visited.append((name, sorted(reads)))
    assert not failures, "\n".join(failures[:40])
    # The walk saw the views that read parameters (else it tested too little).
    seen = dict(visited)
    assert {"ar"} <= set(seen["consultations:figures_xlsx"]) and {"enhet", "ar"} <= set(seen["consultations:list"])
    assert {"plan", "enhet", "mal", "status", "q", "sida"} <= set(seen["activities:list"])
    assert {"plan", "fokus", "enhet", "omrade"} <= set(seen["followups:coverage"])
    assert "plan" in seen["opendata:goals"]
    assert "ar" in seen["public:calendar"]
