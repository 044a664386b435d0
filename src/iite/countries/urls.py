"""Pages of the countries app, under /<lang>/countries/."""

from django.urls import path

from iite.countries import views

app_name = "countries"

urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.world_map, name="map"),
    path("map.csv", views.world_map_csv, name="map-csv"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:release_id>/", views.import_detail, name="import-detail"),
    path("<str:code>/", views.profile, name="profile"),
    path("<str:code>/profile.csv", views.profile_csv, name="profile-csv"),
    path("<str:code>/brief.pdf", views.profile_pdf, name="profile-pdf"),
    path("<str:code>/policy/", views.policy_index, name="policy"),
    path("<str:code>/policy/<int:round_id>/", views.policy_round, name="policy-round"),
    path(
        "<str:code>/policy/<int:round_id>/visibility/",
        views.policy_visibility,
        name="policy-visibility",
    ),
]
