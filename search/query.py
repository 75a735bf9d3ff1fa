"""Looking up hits in the full-text index of each database: one query for the
counts of every kind, one for each page of one kind (docs/search.md)."""

from __future__ import annotations

from django.db import connection

from . import text
from .models import SearchEntry


def audiences(membership) -> list[str]:
    """Whose entries the person may see: the object pages' rules (search.index)."""
    if not membership.is_staff_member:
        return []
    # Staff also read the practice examples other municipalities share (practice.access).
    if membership.is_coordinator:
        return [SearchEntry.Audience.STAFF, SearchEntry.Audience.SHARED, SearchEntry.Audience.COORDINATORS]
    return [SearchEntry.Audience.STAFF, SearchEntry.Audience.SHARED]


def _scope(municipality_id: int, audiences: list[str]) -> tuple[str, list]:
    """(WHERE fragment, params): entries of the person's audiences, of their own
    municipality or shared with every municipality (a shared example is one row,
    in the municipality that entered it)."""
    marks = ", ".join(["%s"] * len(audiences))
    return (
        f"e.audience IN ({marks}) AND (e.municipality_id = %s OR e.audience = %s)",
        [*audiences, municipality_id, SearchEntry.Audience.SHARED],
    )


def _match(query_keys: list[str]) -> tuple[str, str, str, list]:
    """(FROM clause, WHERE clause, ORDER BY expression, params) of a query's hits."""
    if connection.vendor == "postgresql":
        return (
            "search_searchentry e",
            "e.document @@ to_tsquery('simple', %s)",
            "ts_rank(e.document, to_tsquery('simple', %s)) DESC",
            [text.tsquery(query_keys)],
        )
    # SQLite: the full-text table first (CROSS JOIN fixes the order: led by the
    # municipality's index instead, SQLite runs the MATCH once per entry, 1.5 s
    # instead of 0.4 ms for the large city); bm25 with a title hit counting ten
    # times a hit in the text, lower is better.
    return (
        "search_fts f CROSS JOIN search_searchentry e ON e.id = f.rowid",
        "search_fts MATCH %s",
        "bm25(search_fts, 10.0, 1.0)",
        [text.fts5_query(query_keys)],
    )


def counts(*, municipality_id: int, audiences: list[str], query_keys: list[str]) -> dict[str, int]:
    """Hits per kind."""
    if not query_keys or not audiences:
        return {}
    source, where, _order, params = _match(query_keys)
    scope, scope_params = _scope(municipality_id, audiences)
    sql = (
        f"SELECT e.kind, COUNT(*) FROM {source} WHERE {where} "  # noqa: S608 (fixed fragments; values are params)
        f"AND {scope} GROUP BY e.kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *scope_params])
        return dict(cursor.fetchall())


def page(
    *, municipality_id: int, audiences: list[str], query_keys: list[str], kind: str, offset: int, limit: int
) -> list[SearchEntry]:
    """One page of a kind's hits, best first."""
    if not query_keys or not audiences:
        return []
    source, where, order, params = _match(query_keys)
    scope, scope_params = _scope(municipality_id, audiences)
    sql = (
        f"SELECT e.id, e.kind, e.object_id, e.title, e.context, e.body FROM {source} "  # noqa: S608 (as above)
        f"WHERE {where} AND e.kind = %s AND {scope} "
        f"ORDER BY {order}, e.title, e.id LIMIT %s OFFSET %s"
    )
    order_params = params if connection.vendor == "postgresql" else []
    return list(SearchEntry.objects.raw(sql, [*params, kind, *scope_params, *order_params, limit, offset]))
