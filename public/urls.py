"""The public pages of each municipality: ``/<kommunkod>/…`` in Swedish and
``/<kommunkod>/<language slug>/…`` in the other languages it offers (the page
paths are Swedish in every language). Each page is listed once in PAGES and
gets both addresses under the same name."""

from django.urls import path, register_converter
from django.views.generic.base import RedirectView

from .site import KommunkodConverter, LanguageSlugConverter
from .views import statements

register_converter(KommunkodConverter, "kommunkod")
register_converter(LanguageSlugConverter, "publiclang")

app_name = "public"

# (path after /<kod>/[<slug>/], view, name)
PAGES = [
    ("", statements.start, "start"),
    ("tillganglighet/", statements.accessibility, "accessibility"),
    ("personuppgifter/", statements.privacy, "privacy"),
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
