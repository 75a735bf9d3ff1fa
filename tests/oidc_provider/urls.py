from django.urls import include, path

from . import views

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("test-login/", views.not_signed_in),
    path("test-login/<str:username>/", views.test_login),
    path("test-mode/<str:mode>/", views.test_mode),
]
