"""Pages of the library app, under /<lang>/library/: search (the landing page), resources and
their workflow, and the harvest sources."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "library"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("iite.library.search.urls")),
    path("harvest/", include("iite.library.oai.urls")),
]
