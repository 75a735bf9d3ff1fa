"""Tables that sort by their columns and page, on the server and through the URL
(DEVELOPERS.md, "Tables: sorting and paging").

A table declares its columns once: a column with a ``key`` sorts, by the ORM
fields in ``order``. The URL says how the table is sorted, ``?ordning=<key>``
or ``?ordning=-<key>`` (descending); an unknown key is ignored (the table's
default). The ordering always ends in a unique tiebreak (``pk``), so that a row
never moves between pages. Links keep every other query parameter (filters):
a sort link goes back to page 1, a paging link keeps the sort.

    ACTIVITY_TABLE = Table(
        Column(_("Reference"), "nummer", ("number",)),
        Column(_("Goals")),  # not sortable
        default="nummer",
    )
    sort = ACTIVITY_TABLE.sort(request)
    page = Paginator(sort.apply(queryset), 50).get_page(request.GET.get("sida"))
    # template: <thead><tr>{% sortable_headers sort %}</tr></thead>,
    #           {% include "pagination.html" with page=page query=sort.page_query %}
    #           and {{ sort.hidden_input }} inside the filter form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OrderBy, QuerySet
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SORT_PARAM = "ordning"
PAGE_PARAM = "sida"


@dataclass(frozen=True)
class Column:
    """One column of a table. ``key`` (the URL's word for it) and ``order`` (ORM
    field names sorting it ascending; a leading ``-`` turns that field round)
    make it sortable. ``nullable`` fields put empty values last both ways (as
    SQLite and PostgreSQL would not agree otherwise). ``descending_first``:
    the first click sorts it descending (dates, counts: the latest first).
    ``css``: the header cell's class; ``label_hidden``: a label read only by screen
    readers (a column of links, not sortable)."""

    label: str
    key: str = ""
    order: tuple[str, ...] = ()
    nullable: bool = False
    descending_first: bool = False
    css: str = ""
    label_hidden: bool = False  # a label for screen readers only (a column of links)

    def __post_init__(self):
        if bool(self.key) != bool(self.order):
            raise ValueError(f"Column {self.label!r}: a sortable column needs both key and order.")


class Table:
    """A sortable table's columns (in the order shown), its default sort
    (``"key"`` / ``"-key"``, or None for the queryset's own order) and its
    unique tiebreak."""

    def __init__(
        self, *columns: Column, default: str | None, tiebreak: tuple[str, ...] = ("pk",), param: str = SORT_PARAM
    ):
        self.columns = columns
        self.by_key = {c.key: c for c in columns if c.key}
        self.tiebreak = tiebreak
        self.param = param
        self.default = _parse(default or "", self.by_key) if default else None
        if default and self.default is None:
            raise ValueError(f"Unknown default sort {default!r}.")

    def sort(self, request, *, anchor: str = "") -> Sort:
        """How the request asks the table to be sorted (the default when it does
        not, or asks for a column that does not sort)."""
        params = request.GET.copy()
        chosen = _parse(params.get(self.param, ""), self.by_key)
        explicit = chosen is not None
        key, descending = chosen or self.default or ("", False)
        return Sort(self, key, descending, params, explicit=explicit, anchor=anchor)


def _parse(value: str, by_key: dict[str, Column]) -> tuple[str, bool] | None:
    descending = value.startswith("-")
    key = value[1:] if descending else value
    return (key, descending) if key in by_key else None


def _order_by(field: str, descending: bool, nullable: bool) -> OrderBy | str:
    if field.startswith("-"):
        field, descending = field[1:], not descending
    if nullable:
        expression = F(field)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return f"-{field}" if descending else field


@dataclass
class Sort:
    """A table sorted one way for one request: the ordering for the queryset and
    the links for the header cells, the paging and the filter form."""

    table: Table
    key: str  # "" when the queryset's own order applies
    descending: bool
    params: QueryDict
    explicit: bool = False
    anchor: str = ""

    @property
    def column(self) -> Column | None:
        return self.table.by_key.get(self.key)

    @property
    def value(self) -> str:
        """The URL's value for this sort (``-key`` when descending)."""
        return f"-{self.key}" if self.key and self.descending else self.key

    def ordering(self) -> list:
        """The ORM ordering: the column's fields, then the tiebreak, in the sort's direction."""
        column = self.column
        if column is None:
            return []
        fields = [_order_by(f, self.descending, column.nullable) for f in column.order]
        return fields + [_order_by(f, self.descending, False) for f in self.table.tiebreak]

    def apply(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` in this sort's order (unchanged when no column applies)."""
        ordering = self.ordering()
        return queryset.order_by(*ordering) if ordering else queryset

    def _query(self, **changes) -> str:
        query = self.params.copy()
        query.pop(PAGE_PARAM, None)
        for name, value in changes.items():
            query.pop(name, None)
            if value:
                query[name] = value
        return query.urlencode()

    @property
    def page_query(self) -> str:
        """The query for the paging links (``pagination.html``'s ``query``): every
        parameter but the page, the sort included."""
        return self._query()

    def link(self, column: Column) -> str:
        """The address that sorts by ``column`` (the other way when it is the
        current sort), keeping every other parameter, on page 1."""
        if column.key == self.key and self.column is not None:
            descending = not self.descending
        else:
            descending = column.descending_first
        value = f"-{column.key}" if descending else column.key
        return "?" + self._query(**{self.table.param: value}) + (f"#{self.anchor}" if self.anchor else "")

    def headers(self) -> SafeString:
        """The header cells, ``<th scope="col">``, a sortable one with a link whose
        text says (to a screen reader) what following it does, and the current
        one with ``aria-sort``."""
        return format_html_join("", "{}", ((self._header(c),) for c in self.table.columns))

    def _header(self, column: Column) -> SafeString:
        css = format_html(' class="{}"', column.css) if column.css else ""
        if not column.key:
            if column.label_hidden:
                return format_html('<th scope="col"{}><span class="visually-hidden">{}</span></th>', css, column.label)
            return format_html('<th scope="col"{}>{}</th>', css, column.label)
        current = column.key == self.key
        next_descending = (not self.descending) if current else column.descending_first
        action = _("sort in descending order") if next_descending else _("sort in ascending order")
        if current:
            state = "descending" if self.descending else "ascending"
            arrow = "▼" if self.descending else "▲"
            return format_html(
                '<th scope="col" aria-sort="{}"{}><a class="sort-link" href="{}">{}'
                '<span class="sort-arrow" aria-hidden="true"> {}</span>'
                '<span class="visually-hidden">, {}</span></a></th>',
                state,
                css,
                self.link(column),
                column.label,
                arrow,
                action,
            )
        return format_html(
            '<th scope="col"{}><a class="sort-link" href="{}">{}<span class="visually-hidden">, {}</span></a></th>',
            css,
            self.link(column),
            column.label,
            action,
        )

    def hidden_input(self) -> SafeString:
        """For a filter form (GET): keeps an explicitly chosen sort when the filter changes."""
        if not self.explicit:
            return mark_safe("")
        return format_html('<input type="hidden" name="{}" value="{}">', self.table.param, self.value)
