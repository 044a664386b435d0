"""Pages of the library app, under /<lang>/library/: search (the landing page), resources and
their workflow, and the harvest sources."""

from django.urls import URLPattern, URLResolver, include, path

from iite.library import views, workflow_views
from iite.library.feeds import CollectionFeed, NewResourcesFeed, TopicFeed

app_name = "library"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("iite.library.search.urls")),
    path("harvest/", include("iite.library.oai.urls")),
]

urlpatterns += [
    path("r/<uuid:uuid>/", views.resource, name="resource"),
    path("r/<uuid:uuid>/cite.<str:fmt>", views.resource_cite, name="cite"),
    path("r/<uuid:uuid>/files/<int:file_id>/", views.file_download, name="file"),
    path("r/<uuid:uuid>/cover", views.cover, name="cover"),
    path("r/<uuid:uuid>/edit/", views.resource_edit, name="edit"),
    path("r/<uuid:uuid>/files/", views.resource_files, name="files"),
    path("r/<uuid:uuid>/submit/", views.resource_submit, name="submit"),
    path("r/<uuid:uuid>/review/", workflow_views.review_page, name="review"),
    path("r/<uuid:uuid>/review/<slug:action>/", workflow_views.review_act, name="review-act"),
    path("r/<uuid:uuid>/usage/", views.usage, name="usage"),
    path("contribute/", views.contribute, name="contribute"),
    path("new/", views.resource_new, name="new"),
    path("case-study/new/", views.case_study_new, name="case-study-new"),
    path("workflow/", workflow_views.workflow, name="workflow"),
    path("criteria/", views.criteria, name="criteria"),
    path("collections/", views.collections, name="collections"),
    path("collections/<slug:code>/", views.collection, name="collection"),
    path("import/", views.import_csv, name="import"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("feeds/new.atom", NewResourcesFeed(), name="feed-new"),
    path("feeds/collections/<slug:code>.atom", CollectionFeed(), name="feed-collection"),
    path("feeds/topics/<slug:code>.atom", TopicFeed(), name="feed-topic"),
]
