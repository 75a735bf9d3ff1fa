"""The open-data API, version 1 (docs/open-data.md). Each dataset as JSON
(paginated) and as CSV (everything), per municipality code."""

from django.urls import path

from . import views
from .dcat import dcat_rdf

app_name = "opendata"

DATASETS = [
    ("planer", "plans", views.Plans, views.PlansCsv),
    ("mal", "goals", views.Goals, views.GoalsCsv),
    ("aktiviteter", "activities", views.Activities, views.ActivitiesCsv),
    ("indikatorer", "indicators", views.Indicators, views.IndicatorsCsv),
    ("samrad", "consultation_figures", views.ConsultationFigures, views.ConsultationFiguresCsv),
    ("enkatresultat", "results", views.Results, views.ResultsCsv),
    ("aterkoppling", "feedback", views.FeedbackViews, views.FeedbackViewsCsv),
    ("evenemang", "events", views.Events, views.EventsCsv),
    ("remisser", "remisses", views.Remisses, views.RemissesCsv),
    ("remissynpunkter", "remiss_comments", views.RemissComments, views.RemissCommentsCsv),
]

urlpatterns = [
    path("v1/", views.index, name="index"),
    path("v1/openapi.json", views.Schema.as_view(), name="schema"),
    path("v1/kommuner/", views.Municipalities.as_view(), name="municipalities"),
    path("v1/kommuner.csv", views.MunicipalitiesCsv.as_view(), name="municipalities_csv"),
]
for segment, name, json_view, csv_view in DATASETS:
    urlpatterns += [
        path(f"v1/kommuner/<str:kommunkod>/{segment}/", json_view.as_view(), name=name),
        path(f"v1/kommuner/<str:kommunkod>/{segment}.csv", csv_view.as_view(), name=f"{name}_csv"),
    ]
# The DCAT-AP-SE catalogue of the datasets above, for Sweden's data portal (opendata.dcat).
urlpatterns.append(path("v1/kommuner/<str:kommunkod>/dcat.rdf", dcat_rdf, name="dcat"))
