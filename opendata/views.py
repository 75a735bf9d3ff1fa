"""The open-data API (docs/open-data.md): read-only, anonymous, JSON and CSV.

Each dataset is one view class for the JSON (paginated) with a subclass for
the CSV (every record). What is public is decided in selectors.py; what each
record says in serializers.py; the CSV layout in tabular.py. Labels are
always in Swedish, whatever language the asker's browser chose, so every
harvest reads alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics
from rest_framework.exceptions import NotFound, ParseError, Throttled
from rest_framework.negotiation import BaseContentNegotiation

from lib.forms import MAX_ID
from organisations.models import Municipality
from plans.models import PlanLevel

from . import export, selectors, serializers, tabular
from .throttling import EXPORT_COST


class JsonOnly(BaseContentNegotiation):
    """Always the view's first renderer: the JSON (or the CSV at its own
    address), whatever the client's Accept header asks for."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class SwedishMixin:
    content_negotiation_class = JsonOnly

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Open data: any web page may read it. Nothing here uses cookies or a session.
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def throttled(self, request, wait):
        exception = Throttled(
            detail=_(
                "Too many requests. At most %(limit)d requests a minute are allowed from one address, and a "
                "whole dataset as CSV counts as %(cost)d. Try again in %(seconds)d seconds."
            )
            % {"limit": settings.OPEN_DATA_REQUESTS_PER_MINUTE, "cost": EXPORT_COST, "seconds": wait}
        )
        exception.wait = wait  # Retry-After, without DRF's own sentence in the message
        raise exception


KOMMUNKOD = OpenApiParameter(
    "kommunkod",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("The municipality code (four digits), e.g. 0180 for Stockholm."),
    pattern="^[0-9]{4}$",
)
NOT_FOUND = OpenApiResponse(
    serializers.ErrorSerializer, description=gettext_lazy("No municipality has the code, or no such page.")
)
CSV = OpenApiResponse(
    OpenApiTypes.STR,
    description=gettext_lazy("UTF-8 with a byte order mark, semicolon-separated, a header row of the field names."),
)
LIMITED = OpenApiResponse(serializers.ErrorSerializer, description=gettext_lazy("Too many requests; try again later."))
NOT_MODIFIED = OpenApiResponse(
    description=gettext_lazy("Not modified since the version named in If-None-Match (the ETag of an earlier answer).")
)


class Dataset(SwedishMixin, generics.ListAPIView):
    """One dataset of one municipality, paginated."""

    filename = ""  # the dataset's name in URLs and file names
    columns: list[tabular.Column] = []
    per_municipality = True

    def get_queryset(self):  # the schema generator asks; the records come from objects()
        return Municipality.objects.none()

    def get_municipality(self) -> Municipality | None:
        if not self.per_municipality:
            return None
        municipality = Municipality.objects.filter(code=self.kwargs["kommunkod"]).first()
        if municipality is None:
            raise NotFound(_("No municipality has this municipality code."))
        return municipality

    def objects(self, municipality: Municipality | None):
        """What the dataset publishes, in order: a queryset or a list, to paginate."""
        raise NotImplementedError

    def load(self, municipality: Municipality | None, objects) -> list:
        """The records of a page, with what the serializer needs."""
        return list(objects)

    def extra_context(self, municipality: Municipality | None) -> dict[str, Any]:
        return {}

    def context(self, municipality: Municipality | None) -> dict[str, Any]:
        return {**self.get_serializer_context(), "municipality": municipality, **self.extra_context(municipality)}

    def serialize(self, municipality: Municipality | None, objects, context: dict | None = None) -> list:
        context = context if context is not None else self.context(municipality)
        return self.get_serializer_class()(self.load(municipality, objects), many=True, context=context).data

    def list(self, request, *args, **kwargs):
        municipality = self.get_municipality()
        page = self.paginate_queryset(self.objects(municipality))
        return self.get_paginated_response(self.serialize(municipality, page))

    # The CSV: every record, flattened by tabular.py, streamed CSV_CHUNK records
    # at a time (read, prefetched and serialized a chunk at a time) and kept in
    # the shared cache per version of the data (export.py).
    cache_params: tuple[str, ...] = ()  # the query parameters that change the CSV

    def rows(self, records: list) -> Iterable:
        return records

    def record_chunks(self, municipality: Municipality | None, objects) -> Iterator[list]:
        """The records, CSV_CHUNK at a time."""
        context = self.context(municipality)
        for chunk in chunked(objects, CSV_CHUNK):
            yield self.serialize(municipality, chunk, context)

    def csv_tag(self) -> tuple[Municipality | None, str]:
        """The municipality and the CSV's ETag (two queries, once per request)."""
        if not hasattr(self, "_csv_tag"):
            municipality = self.get_municipality()
            params = "&".join(f"{p}={self.request.query_params.get(p, '')}" for p in self.cache_params)
            code = municipality.code if municipality else ""
            version = export.data_version(municipality)
            self._csv_tag = municipality, export.etag(f"{code}|{self.filename}|{params}", version)
        return self._csv_tag

    def not_modified(self, request) -> bool:
        asked = request.headers.get("If-None-Match", "")
        tag = self.csv_tag()[1]
        return any(candidate.strip().removeprefix("W/") in (tag, "*") for candidate in asked.split(",") if candidate)

    def csv_cost(self, request) -> int:
        """A whole CSV costs EXPORT_COST of the rate limit; answered Not Modified, one."""
        try:
            return 1 if self.not_modified(request) else EXPORT_COST
        except NotFound:
            return 1

    def check_params(self) -> None:
        """Raise ParseError for a query parameter that is not valid (before anything is sent)."""

    def csv(self, request):
        municipality, tag = self.csv_tag()
        self.check_params()
        if self.not_modified(request):
            response = HttpResponseNotModified()
        else:

            def produce():  # run only when the CSV is not in the cache
                with translation.override(settings.LANGUAGE_CODE):
                    chunks = self.record_chunks(municipality, self.objects(municipality))
                    yield from tabular.csv_lines((row for chunk in chunks for row in self.rows(chunk)), self.columns)

            response = StreamingHttpResponse(export.cached(tag, produce), content_type="text/csv; charset=utf-8")
            name = f"{municipality.code}-{self.filename}.csv" if municipality else f"{self.filename}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["ETag"] = tag
        # Caches may keep it, but ask each time (If-None-Match: 304 while the data is the same).
        response["Cache-Control"] = "public, no-cache"
        return response


CSV_CHUNK = 500  # records read, prefetched, serialized and written at a time


def chunked(objects, size: int) -> Iterator[list]:
    """A queryset (through .iterator(), prefetching per chunk) or a list, ``size`` at a time."""
    items = objects.iterator(chunk_size=size) if isinstance(objects, QuerySet) else iter(objects)
    while chunk := list(islice(items, size)):
        yield chunk


BAD_REQUEST = OpenApiResponse(serializers.ErrorSerializer, description=gettext_lazy("A parameter is not valid."))


def _schema(summary, *, description="", parameters=(), bad_request=False):
    """The dataset's JSON operation: a page of its records, or an error."""

    def decorate(dataset: type[Dataset]) -> type[Dataset]:
        responses = {200: dataset.serializer_class, 404: NOT_FOUND, 429: LIMITED}
        if bad_request:
            responses[400] = BAD_REQUEST
        path = [KOMMUNKOD] if dataset.per_municipality else []
        return extend_schema_view(
            get=extend_schema(
                operation_id=f"{dataset.filename}_list",
                summary=summary,
                description=description,
                parameters=[*path, *parameters],
                responses=responses,
                tags=["json"],
            )
        )(dataset)

    return decorate


def csv_view(dataset: type[Dataset], summary, *, parameters=(), bad_request=False) -> type[Dataset]:
    """The dataset's CSV view: the same records, all of them, as CSV."""
    responses = {(200, "text/csv"): CSV, 304: NOT_MODIFIED, 429: LIMITED}
    if dataset.per_municipality:
        responses[404] = NOT_FOUND
    if bad_request:
        responses[400] = BAD_REQUEST
    path = [KOMMUNKOD] if dataset.per_municipality else []

    @extend_schema(
        operation_id=f"{dataset.filename}_csv",
        summary=summary,
        parameters=[*path, *parameters],
        responses=responses,
        tags=["csv"],
    )
    def get(self, request, *args, **kwargs):
        return self.csv(request)

    def request_cost(self, request) -> int:
        return self.csv_cost(request)

    return type(
        f"{dataset.__name__}Csv", (dataset,), {"pagination_class": None, "get": get, "request_cost": request_cost}
    )


# --- The datasets -----------------------------------------------------------------------------


@_schema(gettext_lazy("Municipalities"), description=gettext_lazy("The municipalities in this installation."))
class Municipalities(Dataset):
    """The municipalities in this installation."""

    serializer_class = serializers.MunicipalitySerializer
    filename = "kommuner"
    columns = tabular.MUNICIPALITY_COLUMNS
    per_municipality = False

    def objects(self, municipality):
        return Municipality.objects.order_by("code")


@_schema(
    gettext_lazy("Plans"),
    description=gettext_lazy("The municipality's adopted and replaced plans, the adopted first."),
)
class Plans(Dataset):
    serializer_class = serializers.PlanSerializer
    filename = "planer"
    columns = tabular.PLAN_COLUMNS

    def objects(self, municipality):
        levels = Prefetch("levels", queryset=PlanLevel.objects.order_by("depth"))
        return selectors.published_plans(municipality).prefetch_related(levels).current_first()


PLAN_FILTER = OpenApiParameter(
    "plan", int, OpenApiParameter.QUERY, description=gettext_lazy("Only the goals of this plan (its id).")
)


@_schema(
    gettext_lazy("Goals"),
    description=gettext_lazy(
        "The goals of the adopted and replaced plans, plan by plan and level by level, with the "
        "responsible units and the national strategy's rights areas."
    ),
    parameters=[PLAN_FILTER],
    bad_request=True,
)
class Goals(Dataset):
    serializer_class = serializers.GoalSerializer
    filename = "mal"
    columns = tabular.GOAL_COLUMNS
    cache_params = ("plan",)

    def check_params(self) -> int | None:
        plan = self.request.query_params.get("plan")
        if plan is not None:
            if not (plan.isascii() and plan.isdigit()) or len(plan) > len(str(MAX_ID)) or int(plan) > MAX_ID:
                raise ParseError(_("Give the plan's id, a whole number."))
            plan = int(plan)
        return plan

    def objects(self, municipality):
        return selectors.public_goals(municipality, plan=self.check_params())

    def extra_context(self, municipality):
        return {"goals": selectors.GoalIndex.of(municipality), "levels": selectors.level_names(municipality)}


@_schema(
    gettext_lazy("Activities"),
    description=gettext_lazy("The activities the municipality has made public, under its adopted and replaced plans."),
)
class Activities(Dataset):
    serializer_class = serializers.ActivitySerializer
    filename = "aktiviteter"
    columns = tabular.ACTIVITY_COLUMNS

    def objects(self, municipality):
        return selectors.public_activities(municipality)

    def extra_context(self, municipality):
        return {"goals": selectors.GoalIndex.of(municipality)}

    def record_chunks(self, municipality, objects):
        # The largest dataset: read as values, not model instances.
        goals = selectors.GoalIndex.of(municipality)
        yield from selectors.activity_record_chunks(municipality, goals, size=CSV_CHUNK)


@_schema(
    gettext_lazy("Indicators"),
    description=gettext_lazy(
        "The indicators the municipality publishes as open data, with baseline, targets and measurements."
    ),
)
class Indicators(Dataset):
    serializer_class = serializers.IndicatorSerializer
    filename = "indikatorer"
    columns = tabular.INDICATOR_COLUMNS

    def objects(self, municipality):
        return selectors.public_indicators(municipality)

    def load(self, municipality, objects):
        return selectors.indicators_with_values(objects)

    def extra_context(self, municipality):
        return {"goals": selectors.GoalIndex.of(municipality)}

    def rows(self, records):
        return tabular.indicator_rows(records)


@_schema(
    gettext_lazy("Consultation figures"),
    description=gettext_lazy(
        "Per year and unit: consultations held and views given feedback in time. Empty unless the "
        "municipality publishes its consultation figures."
    ),
)
class ConsultationFigures(Dataset):
    serializer_class = serializers.ConsultationFiguresSerializer
    filename = "samrad"
    columns = tabular.CONSULTATION_COLUMNS

    def objects(self, municipality):
        return selectors.consultation_figures(municipality)


@_schema(
    gettext_lazy("Survey and needs-inventory results"),
    description=gettext_lazy(
        "The published results of closed surveys and needs inventories, as the tables on their public "
        "pages: small counts hidden."
    ),
)
class Results(Dataset):
    serializer_class = serializers.ResultsSerializer
    filename = "enkatresultat"
    columns = tabular.RESULT_COLUMNS

    def objects(self, municipality):
        return selectors.published_results(municipality)

    def load(self, municipality, objects):
        return selectors.with_tables(objects)

    def rows(self, records):
        return tabular.result_rows(records)


def site_context(municipality) -> dict[str, Any]:
    """Whether the municipality's public site is published (its pages are linked then)."""
    from public.models import PublicSite

    return {"site_published": PublicSite.objects.filter(municipality=municipality, published=True).exists()}


@_schema(
    gettext_lazy("Feedback on views from samråd"),
    description=gettext_lazy(
        "The views from held samråd that the municipality published on its återkoppling page, with the "
        "decision each came before and the feedback, in the municipality's public wording. Newest samråd first."
    ),
)
class FeedbackViews(Dataset):
    serializer_class = serializers.FeedbackRecordSerializer
    filename = "aterkoppling"
    columns = tabular.FEEDBACK_COLUMNS

    def objects(self, municipality):
        from public.selectors.feedback import published_views

        return published_views(municipality)

    def extra_context(self, municipality):
        return site_context(municipality)


@_schema(
    gettext_lazy("Events"),
    description=gettext_lazy(
        "The municipality's public events (the Roma National Day on 8 April, cultural evenings, competitions) "
        "with time, place, accessibility, interpretation and childcare, the goals and activities they serve, and "
        "afterwards the participants with small counts hidden. Oldest first."
    ),
)
class Events(Dataset):
    serializer_class = serializers.EventRecordSerializer
    filename = "evenemang"
    columns = tabular.EVENT_COLUMNS

    def objects(self, municipality):
        from public.selectors.calendar import dataset_events

        return dataset_events(municipality)

    def load(self, municipality, objects):
        from public.selectors.calendar import event_records

        return event_records(municipality, objects)

    def extra_context(self, municipality):
        return {"goals": selectors.GoalIndex.of(municipality), **site_context(municipality)}


@_schema(
    gettext_lazy("Remisses"),
    description=gettext_lazy(
        "The remisses the municipality published: a plan proposal sent to its committees and to organisations "
        "for comment, with who was asked and what they answered, as on the remiss's public page. An external "
        "organisation that has not agreed to publication is counted but neither named nor quoted. Newest first; "
        "the CSV has a row per body asked."
    ),
)
class Remisses(Dataset):
    serializer_class = serializers.RemissSerializer
    filename = "remisser"
    columns = tabular.REMISS_COLUMNS

    def objects(self, municipality):
        from public.selectors.remiss import dataset_remisses

        return dataset_remisses(municipality)

    def extra_context(self, municipality):
        return site_context(municipality)

    def rows(self, records):
        return tabular.remiss_rows(records)


@_schema(
    gettext_lazy("Remiss comments"),
    description=gettext_lazy(
        "The published comments on the remisses (remissynpunkter), per goal or section of the plan, with what "
        "the municipality did with each (taken into account, partly, not) and why. Only comments of the "
        "municipality's units and of organisations that agreed to publication."
    ),
)
class RemissComments(Dataset):
    serializer_class = serializers.RemissCommentSerializer
    filename = "remissynpunkter"
    columns = tabular.REMISS_COMMENT_COLUMNS

    def objects(self, municipality):
        from public.selectors.remiss import dataset_remisses

        return selectors.remiss_comments(dataset_remisses(municipality))

    def extra_context(self, municipality):
        return site_context(municipality)


MunicipalitiesCsv = csv_view(Municipalities, gettext_lazy("Municipalities as CSV"))
PlansCsv = csv_view(Plans, gettext_lazy("Plans as CSV"))
GoalsCsv = csv_view(Goals, gettext_lazy("Goals as CSV"), parameters=[PLAN_FILTER], bad_request=True)
ActivitiesCsv = csv_view(Activities, gettext_lazy("Activities as CSV"))
IndicatorsCsv = csv_view(Indicators, gettext_lazy("Indicators as CSV (a row per measurement)"))
ConsultationFiguresCsv = csv_view(ConsultationFigures, gettext_lazy("Consultation figures as CSV"))
ResultsCsv = csv_view(Results, gettext_lazy("Survey and needs-inventory results as CSV (a row per table cell)"))
FeedbackViewsCsv = csv_view(FeedbackViews, gettext_lazy("Feedback on views from samråd as CSV"))
EventsCsv = csv_view(Events, gettext_lazy("Events as CSV"))
RemissesCsv = csv_view(Remisses, gettext_lazy("Remisses as CSV (a row per body asked)"))
RemissCommentsCsv = csv_view(RemissComments, gettext_lazy("Remiss comments as CSV"))


class Schema(SwedishMixin, SpectacularJSONAPIView):
    """The OpenAPI 3 description of the API."""


DATASETS = [
    ("plans", gettext_lazy("Plans")),
    ("goals", gettext_lazy("Goals")),
    ("activities", gettext_lazy("Activities")),
    ("indicators", gettext_lazy("Indicators")),
    ("consultation_figures", gettext_lazy("Consultation figures")),
    ("results", gettext_lazy("Survey and needs-inventory results")),
    ("feedback", gettext_lazy("Feedback on views from samråd")),
    ("events", gettext_lazy("Events")),
    ("remisses", gettext_lazy("Remisses")),
    ("remiss_comments", gettext_lazy("Remiss comments")),
]


def index(request):
    """A page for people: what the API publishes, and links for each municipality."""
    municipalities = [
        (
            municipality,
            [
                (label, reverse(f"opendata:{name}", args=[code]), reverse(f"opendata:{name}_csv", args=[code]))
                for name, label in DATASETS
            ],
        )
        for municipality in Municipality.objects.order_by("name")
        for code in [municipality.code]
    ]
    return render(request, "opendata/index.html", {"municipalities": municipalities})
