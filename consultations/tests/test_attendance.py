"""A consultation's attendance by age group and gender: exact for those who
run it (the coordinator, the organising unit's contacts); for everyone else —
the invited representative above all — protected like survey counts with the
municipality's k, the total shown only from k up."""

import re

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from consultations.models import Consultation
from consultations.selectors import attendance

BREAKDOWN = {"barn_unga": {"kvinnor": 6, "man": 7}, "vuxna": {"kvinnor": 9, "man": 1}, "aldre": {"kvinnor": 2}}
TOTAL = 27  # two more than the breakdown: not counted by age group and gender


def section(page: str):
    return lxml.html.fromstring(page).get_element_by_id("attendance")


def table_texts(el) -> list[list[str]]:
    """The attendance table's cells, row by row, header row first."""
    return [[" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")] for tr in el.xpath(".//tr")]


def small_numbers(text: str, k: int) -> list[str]:
    return [n for n in re.findall(r"\d+", text) if 1 <= int(n) < k]


def expected_texts(consultation: Consultation, *, exact: bool) -> list[list[str]]:
    """The table as the selector makes it, each cell as str() shows it, in Swedish."""
    with translation.override("sv"):
        shown = attendance(consultation, exact=exact)
        return [
            *[[*map(str, row.cells), str(row.total)] for row in shown.rows],
            [*map(str, shown.col_totals), str(shown.total)],
        ]


@pytest.fixture
def consultation(world):
    c = world.consultation
    c.attendance, c.attendance_total = BREAKDOWN, TOTAL
    c.save()
    return c


@pytest.mark.parametrize("k", [5, 7])
def test_the_representative_sees_no_small_count(world, consultation, k):
    world.municipality.suppression_k = k
    world.municipality.save()
    consultation.refresh_from_db()
    page = world.client("representative").get(reverse("consultations:detail", args=[consultation.pk]))
    el = section(page.content.decode())
    text = " ".join(el.text_content().split())
    assert small_numbers(text, k) == []

    rows = table_texts(el)
    assert [r[1:] for r in rows[1:]] == expected_texts(consultation, exact=False)
    with translation.override("sv"):
        shown = attendance(consultation, exact=False)
    hidden = [cell for row in shown.rows for cell in [*row.cells, row.total]] + [*shown.col_totals, shown.total]
    hidden = [cell for cell in hidden if cell.suppressed]
    assert hidden  # there are small counts to hide, and each shows as str(cell)
    with translation.override("sv"):
        assert all(str(cell) in text for cell in hidden)
    # Every hidden value is one of the table's counts 1..k-1 or a complement: none of them shows.
    small = {n for counts in BREAKDOWN.values() for n in counts.values() if n < k}
    assert small and not any(str(n) in [c for r in rows[1:] for c in r[1:]] for n in small)


def test_a_total_below_k_is_hidden(world, consultation):
    consultation.attendance, consultation.attendance_total = {}, 3
    consultation.save()
    page = world.client("representative").get(reverse("consultations:detail", args=[consultation.pk]))
    el = section(page.content.decode())
    text = " ".join(el.text_content().split())
    assert "3" not in re.findall(r"\d+", text)
    with translation.override("sv"):
        total = attendance(consultation, exact=False).total
        assert total.suppressed and str(total) in text
    assert not el.xpath(".//table")

    consultation.attendance_total = 12
    consultation.save()
    page = world.client("representative").get(reverse("consultations:detail", args=[consultation.pk]))
    assert "12" in section(page.content.decode()).text_content()


@pytest.mark.parametrize("role", ["coordinator", "contact_a"])
def test_who_runs_the_consultation_sees_the_exact_figures(world, consultation, role):
    page = world.client(role).get(reverse("consultations:detail", args=[consultation.pk]))
    rows = table_texts(section(page.content.decode()))
    assert [r[1:] for r in rows[1:]] == expected_texts(consultation, exact=True)
    assert [r[1:] for r in rows[1:]] == [
        ["6", "7", "0", "13"],
        ["9", "1", "0", "10"],
        ["2", "0", "0", "2"],
        ["0", "0", "2", "2"],
        ["17", "8", "2", "27"],
    ]


@pytest.mark.parametrize("role", ["reader", "contact_b"])
def test_other_staff_see_it_protected_in_the_page_and_its_history(world, role):
    """The coordinator records the attendance through the form, as the browser sends it."""
    coordinator = world.client("coordinator")
    url = reverse("consultations:edit", args=[world.consultation.pk])
    form = lxml.html.fromstring(coordinator.get(url).content.decode()).forms[-1]
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data |= {"attendance_total": [str(TOTAL)], "att_vuxna_kvinnor": ["9"], "att_vuxna_man": ["1"]}
    data |= {"att_aldre_kvinnor": ["2"], "att_barn_unga_kvinnor": ["6"], "att_barn_unga_man": ["7"]}
    assert coordinator.post(url, data).status_code == 302
    consultation = Consultation.objects.get(pk=world.consultation.pk)
    assert consultation.attendance == BREAKDOWN

    page = world.client(role).get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    text = " ".join(section(page).text_content().split())
    assert small_numbers(text, 5) == []
    changes = [
        " ".join(td.text_content().split()) for td in lxml.html.fromstring(page).xpath("//table[@class='changes']//td")
    ]
    assert changes  # the history shows the edit ...
    assert not any("pojkar 7" in v or "män 1" in v or v == str(TOTAL) for v in changes)  # ... but not the figures
    with translation.override("sv"):
        hidden = attendance(consultation, exact=False).total
        assert str(type(hidden)(None, True, 5)) in changes
    # The coordinator's page keeps the figures, in the history too.
    own = coordinator.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    own_changes = [" ".join(td.text_content().split()) for td in lxml.html.fromstring(own).xpath("//td")]
    assert str(TOTAL) in own_changes
    assert "barn och unga: flickor 6, pojkar 7; vuxna: kvinnor 9, män 1; äldre: kvinnor 2" in own_changes  # in words


def test_the_figures_spreadsheet_gives_the_exact_total_only_to_who_runs_the_consultation(world):
    from io import BytesIO

    from openpyxl import load_workbook

    from conftest import make_consultation

    world.consultation.attendance_total = 3
    world.consultation.save()
    theirs = make_consultation(world.municipality, world.unit_b, title="Samråd i Hägersten", attendance_total=4)
    with translation.override("sv"):
        hidden_a = str(attendance(world.consultation, exact=False).total)
        hidden_b = str(attendance(theirs, exact=False).total)

    def totals(role) -> dict:
        response = world.client(role).get(reverse("consultations:figures_xlsx"), {"ar": 2026})
        sheet = load_workbook(BytesIO(response.content))["Samråd"]
        return {row[1]: row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}

    a, b = world.consultation.title, theirs.title
    assert totals("coordinator") == {a: 3, b: 4}
    assert totals("contact_a") == {a: 3, b: hidden_b}
    assert totals("contact_b") == {a: hidden_a, b: 4}
    assert totals("reader") == {a: hidden_a, b: hidden_b}
