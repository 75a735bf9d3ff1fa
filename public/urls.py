"""The public pages of each municipality: ``/<kommunkod>/…`` in Swedish and
``/<kommunkod>/<language slug>/…`` in the other languages it offers (the page
paths are Swedish in every language). Each page is listed once in PAGES and
gets both addresses under the same name."""

from django.urls import path, register_converter
from django.views.generic.base import RedirectView

from .site import KommunkodConverter, LanguageSlugConverter
from .views import calendar as calendar_views
from .views import feedback as feedback_views
from .views import inventories, plan, statements
from .views import practice as practice_views
from .views import remiss as remiss_views
from .views.rights import rights as rights_page

register_converter(KommunkodConverter, "kommunkod")
register_converter(LanguageSlugConverter, "publiclang")

app_name = "public"

# (path after /<kod>/[<slug>/], view, name)
PAGES = [
    ("", statements.start, "start"),
    ("tillganglighet/", statements.accessibility, "accessibility"),
    ("personuppgifter/", statements.privacy, "privacy"),
    ("rattigheter/", rights_page, "rights"),
    ("aterkoppling/", feedback_views.feedback, "feedback"),
    ("aterkoppling/<int:pk>/", feedback_views.feedback_consultation, "feedback_consultation"),
    ("plan/", plan.plan, "plan"),
    ("plan/<int:pk>/", plan.plan_detail, "plan_detail"),
    ("mal/<int:pk>/", plan.goal, "goal"),
    ("aktivitet/<int:pk>/", plan.activity, "activity"),
    ("indikator/<int:pk>/", plan.indicator, "indicator"),
    ("remiss/<int:pk>/", remiss_views.remiss, "remiss"),
    ("exempel/", practice_views.examples, "examples"),
    ("exempel/<int:pk>/", practice_views.example, "example"),
    ("behovsinventeringar/", inventories.inventories, "inventories"),
    ("behovsinventering/<int:pk>/", inventories.inventory, "inventory"),
    ("kalender/", calendar_views.calendar, "calendar"),
    ("kalender.ics", calendar_views.calendar_ics, "calendar_ics"),
    ("evenemang/<int:pk>/", calendar_views.event, "event"),
    ("evenemang/<int:pk>.ics", calendar_views.event_ics, "event_ics"),
    ("samrad/<int:pk>/", calendar_views.consultation, "consultation"),
    ("samrad/<int:pk>.ics", calendar_views.consultation_ics, "consultation_ics"),
]

urlpatterns = []
for route, view, name in PAGES:
    urlpatterns += [
        path(f"<kommunkod:kod>/{route}", view, name=name),
        path(f"<kommunkod:kod>/<publiclang:lang>/{route}", view, name=name),
    ]
# Swedish has no language segment: /0180/sv/… is /0180/….
urlpatterns.append(
    path("<kommunkod:kod>/sv/<path:rest>", RedirectView.as_view(url="/%(kod)s/%(rest)s", permanent=True))
)
urlpatterns.append(path("<kommunkod:kod>/sv/", RedirectView.as_view(url="/%(kod)s/", permanent=True)))
