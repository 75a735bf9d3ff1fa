from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("ny/", views.plan_create, name="create"),
    path("importera/", views.plan_import, name="import"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/redigera/", views.plan_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.plan_delete, name="delete"),
    path("<int:pk>/aktuell/", views.plan_make_current, name="make_current"),
    path("<int:pk>/planfil.yaml", views.plan_export, name="export"),
    path("<int:pk>/plan.xlsx", views.plan_xlsx, name="xlsx"),
    path("<int:pk>/statusar/", views.plan_statuses, name="statuses"),
    path("<int:pk>/styrning/", views.plan_steering, name="steering"),
    path("<int:pk>/sammanfattning/", views.plan_summary, name="plan_summary"),
    path("<int:pk>/ny-version/", views.plan_new_version, name="new_version"),
    path("<int:pk>/anta/", views.plan_adopt, name="adopt"),
    path("<int:pk>/jamfor/", views.plan_compare_choose, name="compare_choose"),
    path("<int:pk>/jamfor/<int:other_pk>/", views.plan_compare, name="compare"),
    path("<int:pk>/jamfor/<int:other_pk>/jamforelse.docx", views.plan_compare_docx, name="compare_docx"),
    path(
        "<int:pk>/jamfor/<int:other_pk>/sparade-andringar.docx",
        views.plan_compare_tracked_docx,
        name="compare_tracked_docx",
    ),
    path("<int:plan_pk>/mal/nytt/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/", views.goal_detail, name="goal"),
    path("mal/<int:pk>/redigera/", views.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/ta-bort/", views.goal_delete, name="goal_delete"),
    path("mal/<int:pk>/sammanfattning/", views.goal_summary, name="goal_summary"),
]
