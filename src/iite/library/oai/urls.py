"""Pages of the library's oai part, included in the library's URL map (namespace `library`) at
/<lang>/library/harvest/: the harvest sources editors configure, and their runs."""

from django.urls import URLPattern, URLResolver, path

from iite.library.oai import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.sources, name="harvest-sources"),
    path("new/", views.source_new, name="harvest-source-new"),
    path("<int:source_id>/", views.source_detail, name="harvest-source"),
    path("<int:source_id>/edit/", views.source_edit, name="harvest-source-edit"),
    path("<int:source_id>/run/", views.source_run, name="harvest-source-run"),
    path("<int:source_id>/delete/", views.source_delete, name="harvest-source-delete"),
    path("runs/<int:run_id>/", views.run_detail, name="harvest-run"),
]
