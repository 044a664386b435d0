from django.urls import path

from iite.reference import views

app_name = "reference"

urlpatterns = [
    path("", views.index, name="index"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("regions/", views.region_list, name="region-list"),
    path("languages/", views.language_list, name="language-list"),
    path("isced/", views.isced_list, name="isced-list"),
    path("sdg4/", views.sdg_list, name="sdg-list"),
    path("priorities/", views.institute, name="institute"),
    path("topics/", views.topic_list, name="topic-list"),
    path("licences/", views.licence_list, name="licence-list"),
    path("vocabularies/<slug:code>/", views.vocabulary_detail, name="vocabulary-detail"),
    path("frameworks/", views.framework_list, name="framework-list"),
    path(
        "frameworks/<slug:code>/<str:version>/",
        views.framework_detail,
        name="framework-detail",
    ),
]
