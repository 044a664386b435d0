"""Pages of the library's search part, included in the library's URL map (namespace `library`)."""

from django.urls import URLPattern, URLResolver, path

from iite.library.search import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search_page, name="search"),
    path("search.csv", views.search_csv, name="search-csv"),
]
