import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from audit.models import AuditEvent
from organisations.models import Municipality
from plans.models import Goal, GoalResponsibility, Plan
from plans.planfile import PlanFileInvalid, dump_plan, parse_plan_file, plan_to_data
from plans.services import plan_import, plan_make_current

DEMO = Path(settings.BASE_DIR) / "demo"

VALID = """\
format: inkludera-plan
version: 1
plan:
  title: Testplan
  kind: handlingsplan
  status: antagen
  valid_from: 2026-01-01
  valid_to: 2030-12-31
levels:
  - name: Fokusområde
  - name: Mål
    goal_kind: effektmal
  - name: Resultatmål
    goal_kind: resultatmal
goals:
  - code: "1"
    title: Kunskap och information
    goals:
      - code: 1.10
        title: Stadens medarbetare bemöter romer respektfullt
        guidance: |
          Exempel på insatser:
          • studiebesök
        rights_areas: [utbildning, kultur]
        goals:
          - code: "1.10.1"
            title: Goda kunskaper om antiziganism
            responsible:
              all_units: true
              primary: [sn, Stadsdelsnämnderna]
              co_responsible: [KS]
"""


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def errors_of(text: str, municipality) -> list[str]:
    with pytest.raises(PlanFileInvalid) as info:
        parse_plan_file(text, municipality)
    return [str(e) for e in info.value.errors]


def test_a_valid_file_is_read_with_units_groups_and_raw_codes(world):
    spec = parse_plan_file(VALID, world.municipality)
    assert spec.title == "Testplan"
    assert [lvl.name for lvl in spec.levels] == ["Fokusområde", "Mål", "Resultatmål"]
    goals = spec.all_goals()
    assert [g.code for g in goals] == ["1", "1.10", "1.10.1"]  # 1.10 is not read as the number 1.1
    assert goals[1].kind == "effektmal"  # from its level
    assert goals[2].all_units is True
    assert [(r.target.short_name, r.role) for r in goals[2].responsibilities] == [
        ("SN", "primary"),
        ("Stadsdelsnämnderna", "primary"),
        ("KS", "co"),
    ]


def test_import_saves_the_whole_tree_and_records_history(world):
    spec = parse_plan_file(VALID, world.municipality)
    plan = plan_import(municipality=world.municipality, spec=spec, by=world.users["coordinator"])
    assert plan.levels.count() == 3
    leaf = plan.goals.get(code="1.10.1")
    assert leaf.depth == 3 and leaf.parent.code == "1.10" and leaf.kind == "resultatmal"
    assert set(plan.goals.get(code="1.10").rights_areas.values_list("code", flat=True)) == {"utbildning", "kultur"}
    assert plan.goals.get(code="1.10").guidance.startswith("Exempel på insatser:")
    assert GoalResponsibility.objects.filter(goal=leaf).count() == 3
    # One event for the plan and one per goal, all by the importer.
    events = AuditEvent.objects.filter(actor=world.users["coordinator"], action="create")
    assert events.count() == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plan: [\n  - broken", "Rad 2: Det här är inte giltig YAML: "),
        (
            "plan:\n  title: Plan: 2030\n",
            "Rad 2: Det här är inte giltig YAML: ett kolon (:) där ingen nyckel kan börja",
        ),
        ("plan:\n\ttitle: x\n", "Rad 2: Det här är inte giltig YAML: ett tecken som inte kan inleda ett värde här"),
        ("a: 1\n---\nb: 2\n", "Rad 2: Det här är inte giltig YAML: filen innehåller mer än ett dokument"),
        ("", "Rad 1: Filen är tom."),
        ("---\n", "Rad 1: Filen måste vara en mappning"),
        ("~", "Rad 1: Filen måste vara en mappning"),
        (VALID.replace("rights_areas: [utbildning, kultur]", "rights_areas: [[utbildning], {a: b}]"), "Rad 24: ”["),
        (VALID.replace("valid_from: 2026-01-01", "valid_from: 2026-13-01"), "Rad 7: ”valid_from” måste"),
        (VALID.replace("  title: Testplan", '  title: "Test\\nplan"'), "Rad 4: ”title”: Skriv det här på en rad"),
        (
            VALID.replace("title: Testplan", 'title: "Test\\0plan"'),
            "Rad 4: ”title”: Texten innehåller ett styrtecken (U+0000)",
        ),
        (VALID.replace("  - name: Fokusområde\n", "  - name: " + "M" * 101 + "\n"), "Rad 10: ”name” är för lång"),
        (VALID.replace("  - name: Fokusområde\n", "  - " + "M" * 101 + "\n"), "Rad 10: ”name” är för lång"),
        (VALID.replace("  - name: Fokusområde\n", '  - "M\\u2028l"\n'), "Rad 10: ”name”: Skriv det här på en rad"),
        (VALID.replace("title: Kunskap och information", 'title: "Kunskap\\ri"'), "Rad 17: ”title”: Skriv det här"),
        (VALID.replace("Testplan", "Test\x07plan"), "Rad 4: Filen innehåller ett styrtecken (U+0007)"),
        (VALID.replace("version: 1", "version: true"), "Rad 2: Formatversionen"),
        (VALID.replace("version: 1\n", ""), "Rad 1: ”version” saknas."),
        (VALID.replace("kind: handlingsplan", "kind: !!python/name:os.system handlingsplan"), "Rad 5: Taggen"),
        ("- just a list", "Rad 1: Filen måste"),
        (VALID.replace("primary: [sn, Stadsdelsnämnderna]", "primary: [SOC]"), "Rad 30: Okänd enhet ”SOC”"),
        (VALID.replace('code: "1.10.1"', 'code: "1"'), "Rad 26: Koden ”1” används två gånger (även på rad 16)."),
        (VALID.replace("    title: Kunskap och information\n", "    title: ''\n"), "Rad 17: ”title” saknas"),
        (VALID.replace("valid_from: 2026-01-01", "valid_from: i början av 2026"), "Rad 7: ”valid_from” måste"),
        (VALID.replace("all_units: true", "all_units: ja tack"), "Rad 29: ”all_units” måste vara true eller false."),
        (VALID.replace("rights_areas: [utbildning, kultur]", "rights_areas: utbildning"), "Rad 24: ”rights_areas”"),
        (VALID.replace("kind: handlingsplan", "kind: vision"), "Rad 5: ”vision”"),
        (VALID.replace("version: 1", "version: 3"), "Rad 2:"),
        (VALID.replace("  title: Testplan", "  titel: Testplan"), "Rad 4: Okänd nyckel ”titel”"),
        (VALID.replace("format: inkludera-plan", "format: excel"), "Rad 1:"),
    ],
)
def test_each_error_names_the_line_in_swedish(world, swedish, text, expected):
    errors = errors_of(text, world.municipality)
    assert any(e.startswith(expected) for e in errors), errors


def test_a_goal_deeper_than_the_levels_is_an_error(world, swedish):
    text = VALID.replace(
        "              co_responsible: [KS]\n",
        "              co_responsible: [KS]\n"
        "            goals:\n"
        "              - code: '1.10.1.1'\n"
        "                title: x\n",
    )
    errors = errors_of(text, world.municipality)
    assert "Rad 33: Målet ligger på nivå 4, men planen har bara 3 nivåer." in errors


def test_all_errors_are_reported_at_once_and_nothing_is_saved(world, swedish):
    text = VALID.replace("primary: [sn, Stadsdelsnämnderna]", "primary: [SOC, sn, sn]").replace(
        "kind: handlingsplan", "kind: vision"
    )
    errors = errors_of(text, world.municipality)
    assert len(errors) == 3
    assert Plan.objects.count() == 2  # the world's own two


def test_units_of_another_municipality_are_unknown(world, swedish):
    errors = errors_of(VALID.replace("co_responsible: [KS]", "co_responsible: [KFN]"), world.municipality)
    assert any("Okänd enhet ”KFN”" in e for e in errors)


def test_import_command_saves_nothing_and_exits_non_zero_on_errors(world, tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text(VALID.replace("[sn, Stadsdelsnämnderna]", "[SOC]"), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_plan", str(path), "--municipality", "0180")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Rad 30: Okänd enhet ”SOC”" in err
    assert "Ingenting importerades." in err
    assert Plan.objects.count() == 2


def test_import_then_export_commands(world, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(VALID, encoding="utf-8")
    out = io.StringIO()
    call_command("import_plan", str(path), "--municipality", "0180", "--by", "coordinator", stdout=out)
    plan_id = int(out.getvalue().split("\t")[0])
    exported = io.StringIO()
    call_command("export_plan", "--municipality", "0180", "--plan", str(plan_id), stdout=exported)
    data = yaml.safe_load(exported.getvalue())
    assert data["plan"]["title"] == "Testplan"
    assert data["goals"][0]["goals"][0]["code"] == "1.10"


def test_export_without_plan_takes_the_chosen_current_plan(world):
    newer = Plan.objects.create(municipality=world.municipality, title="Ny plan", kind="program", status="antagen")
    newer.levels.create(depth=1, name="Område")
    out = io.StringIO()
    call_command("export_plan", "--municipality", "0180", stdout=out)
    assert yaml.safe_load(out.getvalue())["plan"]["title"] == world.plan.title  # not the newest
    plan_make_current(plan=newer, by=None)
    out = io.StringIO()
    call_command("export_plan", "--municipality", "0180", stdout=out)
    assert yaml.safe_load(out.getvalue())["plan"]["title"] == "Ny plan"


def test_export_without_a_current_plan_says_so_in_swedish(world):
    Plan.objects.filter(municipality=world.municipality).update(is_current=False)
    with pytest.raises(CommandError, match=r"Stockholms stad har ingen aktuell plan; ange planen med --plan\."):
        call_command("export_plan", "--municipality", "0180", stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"Ingen kommun har kommunkoden 9999\."):
        call_command("export_plan", "--municipality", "9999", stdout=io.StringIO())


@pytest.mark.parametrize("code", ["0180", "0126"])
def test_export_import_reproduces_the_demo_plans(db, code):
    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
    municipality = Municipality.objects.get(code=code)
    for plan in Plan.objects.filter(municipality=municipality):
        text = dump_plan(plan)
        spec = parse_plan_file(text, municipality)
        spec.title = f"{spec.title} (kopia)"
        # as_new: the versions of a chain (the 2018 strategy has two) share title and period.
        copy = plan_import(municipality=municipality, spec=spec, by=None, as_new=True)
        original, again = plan_to_data(plan), plan_to_data(copy)
        original["plan"].pop("title")
        again["plan"].pop("title")
        assert again == original
        assert copy.goals.count() == plan.goals.count() > 0


def test_demo_plan_2030_is_faithful_to_the_source(db):
    """Spot checks against seed 002: structure and "Särskilt ansvariga"."""
    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
    plan = Plan.objects.get(title="Handlingsplan för romsk inkludering 2030")
    assert [lvl.name for lvl in plan.levels.order_by("depth")] == ["Fokusområde", "Mål", "Resultatmål"]
    focus = plan.goals.filter(depth=1).order_by("position")
    assert [g.title for g in focus] == ["Kunskap och information", "Välfärd och service", "Delaktighet och inflytande"]
    assert plan.goals.filter(depth=2, kind="effektmal").count() == 6
    assert plan.goals.filter(depth=3, kind="resultatmal").count() == 11
    mp = plan.goals.get(title__startswith="Stadens verksamheter utvecklar mötesplatser för romer")
    assert sorted(r.target.short_name for r in mp.responsibilities.all()) == ["KN", "Stadsdelsnämnderna"]
    trygg = plan.goals.get(title__startswith="Stadens verksamheter undersöker och vidtar åtgärder utifrån vad som")
    assert sorted(r.target.short_name for r in trygg.responsibilities.all()) == sorted(
        ["AMN", "FN", "IDN", "KN", "TN", "UN", "Stadsdelsnämnderna", "Bostadsbolagen"]
    )
    assert plan.goals.filter(all_units=True).count() == 3
    assert "Exempel på uppsökande arbete" in plan.goals.get(code="1.2").guidance


def test_load_demo_twice_does_not_duplicate(db):
    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
    counts = (Plan.objects.count(), Goal.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
    assert (Plan.objects.count(), Goal.objects.count(), AuditEvent.objects.count()) == counts
    # The 2018 strategy: the version sent on remiss, replaced by the adopted one, replaced by the 2030 plan.
    adopted = Plan.objects.get(title__contains="2018", version=2)
    assert adopted.replaced_by.title == "Handlingsplan för romsk inkludering 2030"
    assert Plan.objects.get(title__contains="2018", version=1).replaced_by == adopted
    current = Plan.objects.filter(is_current=True).order_by("municipality__code")
    assert [(p.municipality.code, p.title) for p in current] == [
        ("0126", "Vägar framåt för romsk inkludering i Huddinge"),
        ("0180", "Handlingsplan för romsk inkludering 2030"),
    ]


def test_import_command_needs_as_new_for_a_plan_that_exists(world, tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text(VALID, encoding="utf-8")
    call_command("import_plan", str(path), "--municipality", "0180", stdout=io.StringIO())
    first = Plan.objects.get(title="Testplan")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_plan", str(path), "--municipality", "0180", stdout=io.StringIO())
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"Stockholms stad har redan planen ”Testplan” (id {first.pk}) med samma period." in err
    assert "kör igen med --as-new" in err and "Ingenting importerades." in err
    assert Plan.objects.filter(title="Testplan").count() == 1
    out = io.StringIO()
    call_command("import_plan", str(path), "--municipality", "0180", "--as-new", stdout=out)
    assert Plan.objects.filter(title="Testplan").count() == 2
    world.plan.refresh_from_db()
    assert world.plan.is_current and not Plan.objects.filter(title="Testplan", is_current=True).exists()
    # Another period is another plan: no confirmation needed.
    path.write_text(VALID.replace("valid_to: 2030-12-31", "valid_to: 2034-12-31"), encoding="utf-8")
    call_command("import_plan", str(path), "--municipality", "0180", stdout=io.StringIO())
    assert Plan.objects.filter(title="Testplan").count() == 3


def test_import_command_has_the_upload_size_limit(world, tmp_path, capsys, settings):
    settings.PLAN_FILE_MAX_BYTES = 200
    path = tmp_path / "plan.yaml"
    path.write_text(VALID + "#" * 10_000_000, encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import_plan", str(path), "--municipality", "0180")
    assert "Filen är för stor: högst 0 kB." in capsys.readouterr().err
    assert not Plan.objects.filter(title="Testplan").exists()


def test_import_command_says_in_swedish_why_it_cannot_read_the_file(world, tmp_path):
    # Not the operating system's English ("No such file or directory", "Is a directory").
    for path, reason in [
        (tmp_path / "finns-inte.yaml", "Det finns ingen sådan fil."),
        (tmp_path, "Det här är en mapp, inte en fil."),
    ]:
        with pytest.raises(CommandError) as info:
            call_command("import_plan", str(path), "--municipality", "0180")
        assert str(info.value) == f"{path}: {reason}"
    assert not Plan.objects.filter(title="Testplan").exists()


def test_import_command_refuses_an_alias_bomb_at_once(world, tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 600
    with pytest.raises(SystemExit):
        call_command("import_plan", str(path), "--municipality", "0180")
    err = capsys.readouterr().err
    assert f"{path}: Rad 1: Ankare och alias (& och *) är inte tillåtna i en planfil" in err


NASTY_TEXTS = [
    "Plan: med kolon, #hash och - streck",
    "- börjar som en lista",
    "'citat' och \"citat\"",
    "yes",
    "1.10",
    "2026-01-01",
    "~",
    "&ankare *alias !tagg",
    "Romani čhib · ✓ · 𝄞",
    "   ",
]


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_whatever_the_forms_accept_exports_and_imports_again(world, text):
    """Exports always re-import: titles, codes and free text that are valid in the forms
    (which, like the import, strip space around a value)."""
    plan = world.plan
    plan.title = f"Titel {text}".strip()
    plan.description = f"Första raden {text}\r\nandra raden  \n\n\ttabb {text}".strip()
    plan.overall_goal = f"{text}\n\n\n{text}".strip()
    plan.adopted_by = text.strip()
    plan.full_clean()
    plan.save()
    level = plan.levels.get(depth=1)
    level.name = f"Nivå {text}".strip()
    level.full_clean()
    level.save()
    world.goal.title = f"{text} mål".strip()
    world.goal.guidance = f"indrag {text}\n  - punkt\n\n    kod".strip()
    world.goal.full_clean()
    world.goal.save()
    world.result_goal.code = ("1.2.1 " + text[:10]).strip()
    world.result_goal.save()
    text_out = dump_plan(Plan.objects.get(pk=plan.pk))
    spec = parse_plan_file(text_out, world.municipality)
    copy = plan_import(municipality=world.municipality, spec=spec, by=None, as_new=True)
    original, again = plan_to_data(Plan.objects.get(pk=plan.pk)), plan_to_data(copy)
    assert again == original


def test_a_plan_of_more_goals_than_any_real_plan_is_refused_at_the_first_goal_too_many(world, swedish):
    """Each goal costs a few queries to import: the number of goals bounds how long
    an upload holds a worker (found by review: 4,000 goals in 286 kB took 20 s)."""
    from plans.planfile import MAX_GOALS

    head = VALID.split("goals:\n", 1)[0]
    goals = "".join(f'  - code: "{n}"\n    title: Mål {n}\n' for n in range(1, MAX_GOALS + 3))
    errors = errors_of(head + "goals:\n" + goals, world.municipality)
    first_line_too_many = len((head + "goals:\n").splitlines()) + 2 * MAX_GOALS + 1
    assert errors == [f"Rad {first_line_too_many}: Planen har fler än {MAX_GOALS} mål; så stor är aldrig en plan."]
    # At the limit it is read.
    at_limit = "".join(f'  - code: "{n}"\n    title: Mål {n}\n' for n in range(1, MAX_GOALS + 1))
    assert len(parse_plan_file(head + "goals:\n" + at_limit, world.municipality).all_goals()) == MAX_GOALS
