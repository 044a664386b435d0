"""Pages of the learning app, under /<lang>/learning/."""

from django.urls import URLPattern, URLResolver, path

from iite.learning import credential_views, views

app_name = "learning"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("me/", views.dashboard, name="dashboard"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("paths/<slug:slug>/", views.path_detail, name="path"),
    path("paths/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("paths/<slug:slug>/steps/<int:order>/", views.step, name="step"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:cohort_id>/progress.csv", views.cohort_csv, name="cohort-csv"),
    path("submissions/<int:progress_id>/review/", views.review, name="review"),
    # Credentials: verify any, and each one's public page and downloads.
    path("verify/", credential_views.verify, name="verify"),
    path("credentials/<str:public_id>/", credential_views.credential_page, name="credential"),
    path(
        "credentials/<str:public_id>/badge.json",
        credential_views.credential_json,
        name="credential-json",
    ),
    path(
        "credentials/<str:public_id>/badge.png",
        credential_views.credential_png,
        name="credential-png",
    ),
    path(
        "credentials/<str:public_id>/certificate.pdf",
        credential_views.credential_pdf,
        name="credential-pdf",
    ),
]
