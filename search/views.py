from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse

from lib.paging import CountedPaginator
from organisations.access import member_required

from . import query, text
from .models import SearchEntry

Kind = SearchEntry.Kind
FIRST_HITS = 5  # per kind on the page of all kinds
PAGE_SIZE = 20  # on the page of one kind

URLS = {
    Kind.GOAL: "plans:goal",
    Kind.ACTIVITY: "activities:detail",
    Kind.CONSULTATION: "consultations:detail",
    Kind.VIEW: "consultations:trace",
    Kind.REPORT: "reports:detail",
    Kind.INVENTORY: "inventories:detail",
    Kind.DECISION: "decisions:detail",
    Kind.TRAINING: "competence:detail",
    Kind.EXAMPLE: "practice:detail",
    Kind.PERSON: "organisations:member_edit",
}


class _Hits:
    """A kind's hits as the sequence a Paginator slices: each slice is one query."""

    def __init__(self, count: int, **lookup):
        self.count, self.lookup = count, lookup

    def __len__(self):
        return self.count

    def __getitem__(self, part: slice):
        return query.page(**self.lookup, offset=part.start, limit=part.stop - part.start)


def _present(entries, wanted: set[str]) -> list[dict]:
    return [
        {
            "url": reverse(URLS[entry.kind], args=[entry.object_id]),
            "title": text.highlight(entry.title, wanted),
            "context": entry.context,
            "snippet": text.snippet(entry.body, wanted) if entry.body else "",
        }
        for entry in entries
    ]


def _query_string(**params) -> str:
    query_dict = QueryDict(mutable=True)
    query_dict.update({name: value for name, value in params.items() if value})
    return query_dict.urlencode()


@member_required
def search(request):
    """Search the municipality's goals, activities, consultations, views, reports,
    inventories, decisions, trainings, practice examples (also those shared by other
    municipalities) and (for coordinators) people: hits grouped by kind (docs/search.md)."""
    membership = request.membership
    q = " ".join(request.GET.get("q", "").split())[: text.MAX_QUERY_CHARS]
    chosen = request.GET.get("typ", "")
    chosen = chosen if chosen in Kind.values else ""
    keys = text.query_keys(q)
    lookup = {
        "municipality_id": membership.municipality_id,
        "audiences": query.audiences(membership),
        "query_keys": keys,
    }
    counts = query.counts(**lookup)
    wanted = set(keys)
    groups, page = [], None
    if chosen:
        paginator = CountedPaginator(
            _Hits(counts.get(chosen, 0), kind=chosen, **lookup), PAGE_SIZE, count=counts.get(chosen, 0)
        )
        page = paginator.get_page(request.GET.get("sida"))
        groups.append(
            {
                "kind": chosen,
                "label": Kind(chosen).label,
                "count": counts.get(chosen, 0),
                "hits": _present(page.object_list, wanted),
            }
        )
    else:
        for kind in Kind.values:
            if counts.get(kind):
                hits = query.page(kind=kind, offset=0, limit=FIRST_HITS, **lookup)
                groups.append(
                    {"kind": kind, "label": Kind(kind).label, "count": counts[kind], "hits": _present(hits, wanted)}
                )
    kinds = [
        {"kind": kind, "label": Kind(kind).label, "count": counts.get(kind, 0)}
        for kind in Kind.values
        if counts.get(kind)
    ]
    context = {
        "q": q,
        "searched": bool(q),
        "no_words": bool(q) and not keys,
        "total": sum(counts.values()),
        "kinds": kinds,
        "chosen": chosen,
        "chosen_label": Kind(chosen).label if chosen else "",
        "groups": groups,
        "page": page,
        "first_hits": FIRST_HITS,
        "page_query": _query_string(q=q, typ=chosen),
        "q_query": _query_string(q=q),
    }
    return render(request, "search/search.html", context)
