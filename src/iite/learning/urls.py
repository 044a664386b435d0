"""Pages of the learning app, under /<lang>/learning/."""

from django.urls import URLPattern, URLResolver, path

from iite.learning import authoring_views, credential_views, views

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
    # Authoring: paths, steps, quiz questions and cohorts (editors and administrators).
    path("manage/", authoring_views.paths, name="manage"),
    path("manage/new/", authoring_views.path_new, name="manage-new"),
    path("manage/paths/<slug:slug>/", authoring_views.path_manage, name="manage-path"),
    path("manage/paths/<slug:slug>/edit/", authoring_views.path_edit, name="manage-edit"),
    path("manage/paths/<slug:slug>/status/", authoring_views.path_status, name="manage-status"),
    path(
        "manage/paths/<slug:slug>/steps/new/<slug:kind>/",
        authoring_views.step_new,
        name="manage-step-new",
    ),
    path(
        "manage/paths/<slug:slug>/steps/<int:step_id>/",
        authoring_views.step_edit,
        name="manage-step",
    ),
    path(
        "manage/paths/<slug:slug>/steps/<int:step_id>/move/",
        authoring_views.step_move,
        name="manage-step-move",
    ),
    path(
        "manage/paths/<slug:slug>/steps/<int:step_id>/remove/",
        authoring_views.step_remove,
        name="manage-step-remove",
    ),
    path(
        "manage/paths/<slug:slug>/steps/<int:step_id>/questions/",
        authoring_views.questions,
        name="manage-questions",
    ),
    path(
        "manage/paths/<slug:slug>/steps/<int:step_id>/questions/<int:number>/",
        authoring_views.question_edit,
        name="manage-question",
    ),
    path(
        "manage/paths/<slug:slug>/steps/<int:step_id>/questions/<int:number>/remove/",
        authoring_views.question_remove,
        name="manage-question-remove",
    ),
    path(
        "manage/paths/<slug:slug>/cohorts/new/",
        authoring_views.cohort_new,
        name="manage-cohort-new",
    ),
    path(
        "manage/paths/<slug:slug>/cohorts/<int:cohort_id>/",
        authoring_views.cohort_edit,
        name="manage-cohort",
    ),
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
