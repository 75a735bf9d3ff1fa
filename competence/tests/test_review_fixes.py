"""The reviewer's findings on /kompetens/ (units without a headcount, the
computed measurements' author and note, the occasion form's error summary,
the training's own wording, one decimal, the goal picker's filter box)."""

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from competence.models import Headcount, TrainingOccasion
from competence.services import share_indicators_refresh
from tests.formreader import submissions

from .factories import make_occasion, make_share_indicator, make_training, staff_groups


def form_of(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return dict(sub.data)


def summary_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of the error summary's links."""
    (summary,) = re.findall(r"<div class=\"form-errors error-summary\".*?</div>\s*</div>", html, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)


def _unit_without_headcount(world):
    """SN: 17 teachers' places of 100 trained (17,0 %); Hägersten-Älvsjö: 5 took
    part, no headcount this year."""
    year = timezone.localdate().year
    teachers, social = staff_groups(world)
    Headcount.objects.create(unit=world.unit_a, staff_group=teachers, year=year, number=100)
    training = make_training(world)
    make_occasion(training, date(year, 2, 1), [(world.unit_a, teachers, 17), (world.unit_b, social, 5)])
    return year, teachers, social


def test_the_overview_leaves_out_and_names_a_unit_without_headcount(world):
    year, _teachers, _social = _unit_without_headcount(world)
    html = world.client("reader").get(reverse("competence:overview") + f"?ar={year}").content.decode()
    (unit_b_row,) = re.findall(r"<tr>\s*<th scope=\"row\">Hägersten-Älvsjö stadsdelsnämnd</th>.*?</tr>", html, re.S)
    cells = re.findall(r"<td class=\"num\">([^<]*)</td>", unit_b_row)
    # Staff "saknas", the 5 participants shown, the share "antal anställda saknas".
    assert cells[-3:] == ["saknas", "5", "antal anställda saknas"]
    # The municipality's share over SN alone, with one decimal and a decimal comma.
    (foot,) = re.findall(r"<tfoot>.*?</tfoot>", html, re.S)
    assert "17,0&nbsp;%" in foot and "saknas" not in foot
    assert f"1 enhet saknar antal anställda för {year} och är inte med: Hägersten-Älvsjö stadsdelsnämnd." in html


def test_a_unit_alone_without_headcount_gives_no_number(world):
    year = timezone.localdate().year
    _teachers, social = staff_groups(world)
    make_occasion(make_training(world), date(year, 2, 1), [(world.unit_b, social, 5)])
    html = world.client("reader").get(reverse("competence:overview") + f"?ar={year}").content.decode()
    (foot,) = re.findall(r"<tfoot>.*?</tfoot>", html, re.S)
    assert "antal anställda saknas" in foot and "%" not in foot


def test_the_computed_measurement_reads_as_computed_with_its_note(world):
    year, teachers, _social = _unit_without_headcount(world)
    indicator = make_share_indicator(world)
    share_indicators_refresh(municipality=world.municipality, by=None)
    # A contact's occasion recomputes the share: the measurement has no person as author.
    client = world.client("contact_a")
    url = reverse("competence:occasion_create", args=[make_training(world, "Ny kurs").pk])
    data = form_of(client, url) | {"date": [f"{year}-03-10"], "rader-0-unit": [str(world.unit_a.pk)]}
    data |= {"rader-0-staff_group": [str(teachers.pk)], "rader-0-participants": ["3"]}
    assert client.post(url, data).status_code == 302
    measurement = indicator.measurements.get()
    assert measurement.value == Decimal("20.0") and measurement.entered_by is None
    note = f"1 enhet saknar antal anställda för {year} och är inte med: Hägersten-Älvsjö stadsdelsnämnd."
    assert measurement.note == note
    html = world.client("coordinator").get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    (table,) = re.findall(r"<tbody>\s*<tr>\s*<th scope=\"row\" class=\"ind-nowrap\">.*?</tbody>", html, re.S)
    assert "Beräknad," in table and note in table
    assert "Testsson" not in table  # not the person whose write recomputed it


def test_a_half_line_links_to_its_missing_field(world):
    _teachers, _social = staff_groups(world)
    training = make_training(world)
    client = world.client("coordinator")
    url = reverse("competence:occasion_create", args=[training.pk])
    data = form_of(client, url) | {"date": ["2026-03-10"], "rader-1-unit": [str(world.unit_b.pk)]}
    html = client.post(url, data).content.decode()
    assert summary_links(html) == [
        ("#id_rader-1-staff_group", "Personalgrupp, rad 2: Välj personalgrupp, eller lämna hela raden tom."),
        ("#id_rader-1-participants", "Deltagare, rad 2: Ange antal deltagare, eller lämna hela raden tom."),
    ]
    assert not TrainingOccasion.objects.exists()


def test_an_empty_form_links_to_the_first_lines_unit(world):
    staff_groups(world)
    client = world.client("coordinator")
    url = reverse("competence:occasion_create", args=[make_training(world).pk])
    html = client.post(url, form_of(client, url) | {"date": ["2026-03-10"]}).content.decode()
    (link,) = summary_links(html)
    assert link[0] == "#id_rader-0-unit" and "rad 1" in link[1] and "minst en enhet" in link[1]


def test_a_line_given_twice_links_to_the_second(world):
    _teachers, social = staff_groups(world)
    client = world.client("coordinator")
    url = reverse("competence:occasion_create", args=[make_training(world).pk])
    data = form_of(client, url) | {"date": ["2026-03-10"]}
    for n in (0, 2):
        data |= {f"rader-{n}-unit": [str(world.unit_a.pk)], f"rader-{n}-staff_group": [str(social.pk)]}
        data |= {f"rader-{n}-participants": ["4"]}
    (link,) = summary_links(client.post(url, data).content.decode())
    assert link[0] == "#id_rader-2-staff_group" and "rad 3" in link[1]
    assert not TrainingOccasion.objects.exists()


def test_the_training_says_its_own_goals_and_filters_them(world):
    training = make_training(world)
    training.goals.set([world.goal])
    client = world.client("coordinator")
    detail = client.get(reverse("competence:detail", args=[training.pk])).content.decode()
    assert "Mål som utbildningen bidrar till" in detail and "evenemanget" not in detail
    form = client.get(reverse("competence:create")).content.decode()
    assert "Mål som utbildningen bidrar till" in form and "evenemanget" not in form
    assert 'data-filter-picker data-filter-label="Filtrera målen"' in form
