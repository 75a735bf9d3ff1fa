from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from home.urls import auth_urlpatterns
from inventories.urls import public_urlpatterns as inventory_public_urls
from lib import health
from remiss.urls import public_urlpatterns as remiss_public_urls
from surveys.urls import public_urlpatterns as survey_public_urls

urlpatterns = [
    # For load balancers; answered by lib.health.HealthCheckMiddleware before any other middleware.
    path("halsa/live", health.live, name="health-live"),
    path("halsa/ready", health.ready, name="health-ready"),
    path("", include("home.urls")),
    path("", include(auth_urlpatterns)),
    path("konto/", include("signin.urls")),
    path("", include("organisations.urls")),
    path("planer/", include("plans.urls")),
    path("aktiviteter/", include("activities.urls")),
    path("uppfoljning/", include("followups.urls")),
    path("vantar/", include("inbox.urls")),
    path("indikatorer/", include("indicators.urls")),
    path("samrad/", include("consultations.urls")),
    path("evenemang/", include("events.urls")),
    path("uppsokande/", include("outreach.urls")),
    path("beslut/", include("decisions.urls")),
    path("exempel/", include("practice.urls")),
    path("kompetens/", include("competence.urls")),
    path("inventering/behov/", include("inventories.urls")),
    path("inventering/", include("surveys.urls")),
    path("", include((survey_public_urls, "survey_public"))),
    path("", include((inventory_public_urls, "inventory_public"))),
    path("remisser/", include("remiss.urls")),
    path("", include((remiss_public_urls, "remiss_public"))),
    path("rapporter/", include("reports.urls")),
    path("importer/", include("imports.urls")),
    path("dokument/", include("documents.urls")),
    path("sok/", include("search.urls")),
    path("api/", include("opendata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("publikt/", include("public.staff_urls")),
    # Last: the public pages of each municipality, /<kommunkod>/… (public/urls.py).
    path("", include("public.urls")),
]
