"""The production URLs plus ``/_bench/bare/``: a view that returns a tiny
response through the same middleware (sessions, authentication, membership,
CSP…), the baseline bench/server_pages.py compares every page with. Used only
by bench/bench_settings.py, never by config.urls."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("_bench/bare/", bare),
    path("", include("config.urls")),
]
