"""lib/tables.py: the sort a URL asks for, its ordering and its links."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import OrderBy
from django.test import RequestFactory
from django.utils import translation

from lib.tables import Column, Sort, Table

TABLE = Table(
    Column("Reference", "nummer", ("number",)),
    Column("Title", "titel", ("title",)),
    Column("Goals"),
    Column("Period", "period", ("start_date", "-end_date"), nullable=True, descending_first=True),
    default="nummer",
)


def sort(**params) -> Sort:
    return TABLE.sort(RequestFactory().get("/aktiviteter/", params))


def link_params(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_no_sort_asked_is_the_default():
    s = sort()
    assert (s.key, s.descending, s.explicit) == ("nummer", False, False)
    assert s.ordering() == ["number", "pk"]
    assert s.hidden_input() == ""


@pytest.mark.parametrize("value", ["okand", "-okand", "--titel", "", "mal", "-", "titel "])
def test_an_unknown_or_unsortable_key_is_ignored(value):
    s = sort(ordning=value)
    assert (s.key, s.descending, s.explicit) == ("nummer", False, False)


def test_direction_and_a_unique_tiebreak():
    assert sort(ordning="titel").ordering() == ["title", "pk"]
    assert sort(ordning="-titel").ordering() == ["-title", "-pk"]


def test_nullable_fields_put_empty_values_last_both_ways_and_a_minus_turns_one_round():
    ascending = sort(ordning="period").ordering()
    assert all(isinstance(o, OrderBy) for o in ascending[:2]) and ascending[2] == "pk"
    assert [(o.expression.name, o.descending, o.nulls_last) for o in ascending[:2]] == [
        ("start_date", False, True),
        ("end_date", True, True),
    ]
    descending = sort(ordning="-period").ordering()
    assert [(o.expression.name, o.descending, o.nulls_last) for o in descending[:2]] == [
        ("start_date", True, True),
        ("end_date", False, True),
    ]
    assert descending[2] == "-pk"


def test_a_table_without_a_default_leaves_the_querysets_order():
    table = Table(Column("Title", "titel", ("title",)), default=None)
    s = table.sort(RequestFactory().get("/"))
    assert s.ordering() == [] and s.key == ""
    assert "aria-sort" not in s.headers()


def test_a_bad_declaration_is_refused():
    with pytest.raises(ValueError):
        Column("Title", "titel")
    with pytest.raises(ValueError):
        Table(Column("Title", "titel", ("title",)), default="okand")


def test_sort_links_keep_the_filters_and_go_back_to_page_one():
    s = sort(enhet="3", q="språk", sida="4", ordning="titel")
    href = s.link(TABLE.by_key["titel"])
    # The current column turns round; the filters stay; the page is dropped.
    assert link_params(href) == {"enhet": ["3"], "q": ["språk"], "ordning": ["-titel"]}
    assert link_params(s.link(TABLE.by_key["nummer"]))["ordning"] == ["nummer"]
    # A date column sorts the latest first on the first click.
    assert link_params(s.link(TABLE.by_key["period"]))["ordning"] == ["-period"]


def test_paging_links_keep_the_sort_and_the_filters():
    s = sort(enhet="3", mal="7", sida="2", ordning="-titel")
    assert parse_qs(s.page_query) == {"enhet": ["3"], "mal": ["7"], "ordning": ["-titel"]}
    assert 'name="ordning" value="-titel"' in s.hidden_input()


def test_a_repeated_filter_parameter_is_kept_whole():
    s = sort(enhet=["3", "4"], ordning="titel")
    assert link_params(s.link(TABLE.by_key["nummer"]))["enhet"] == ["3", "4"]


def test_header_cells():
    with translation.override("sv"):
        html = sort(ordning="-titel", q="a&b").headers()
    assert html.count('<th scope="col"') == 4
    assert '<th scope="col" aria-sort="descending"><a class="sort-link" href="?q=a%26b&amp;ordning=titel">Title' in html
    assert html.count("aria-sort") == 1
    assert '<th scope="col">Goals</th>' in html
    # What following each link does, said to a screen reader.
    assert "sortera i stigande ordning" in html and "sortera i fallande ordning" in html


def test_labels_and_values_are_escaped():
    table = Table(Column("<b>Title</b>", "titel", ("title",)), default="titel")
    html = table.sort(RequestFactory().get("/", {"x": '"><script>'})).headers()
    assert "<b>" not in html and "<script>" not in html


def test_an_anchor_is_added_to_sort_links():
    s = TABLE.sort(RequestFactory().get("/"), anchor="goal-activities")
    assert s.link(TABLE.by_key["titel"]).endswith("#goal-activities")
