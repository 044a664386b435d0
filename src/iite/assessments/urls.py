from django.urls import path

from iite.assessments import open_data, staff_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("self/<slug:code>/", views.self_start, name="self-start"),
    path("join/", views.join, name="join"),
    path("c/<str:join_code>/", views.campaign, name="campaign"),
    path("c/<str:join_code>/resume/", views.resume, name="resume"),
    path("r/<int:response_id>/review/", views.review, name="review"),
    path("r/<int:response_id>/submit/", views.submit, name="submit"),
    path("r/<int:response_id>/result/", views.result, name="result"),
    path("r/<int:response_id>/result.pdf", views.result_pdf, name="result-pdf"),
    path("r/<int:response_id>/<str:section>/", views.answer, name="answer"),
]

# Pages for the people who run campaigns (coordinators, focal points, editors).
urlpatterns += [
    path("campaigns/", staff_views.campaigns, name="campaigns"),
    path("campaigns/new/", staff_views.campaign_new, name="campaign-new"),
    path("campaigns/<int:campaign_id>/", staff_views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:campaign_id>/close/", staff_views.campaign_close, name="campaign-close"),
    path(
        "campaigns/<int:campaign_id>/report/", staff_views.campaign_report, name="campaign-report"
    ),
    path(
        "campaigns/<int:campaign_id>/report.csv",
        staff_views.campaign_report_csv,
        name="campaign-report-csv",
    ),
    path(
        "campaigns/<int:campaign_id>/report.pdf",
        staff_views.campaign_report_pdf,
        name="campaign-report-pdf",
    ),
    path("campaigns/<int:campaign_id>/action-plan/", staff_views.action_plan, name="action-plan"),
    path(
        "campaigns/<int:campaign_id>/own-questions/",
        staff_views.own_question_add,
        name="own-question-add",
    ),
    path(
        "campaigns/<int:campaign_id>/own-questions/<int:question_id>/",
        staff_views.own_question_edit,
        name="own-question-edit",
    ),
    path(
        "campaigns/<int:campaign_id>/own-questions/<int:question_id>/remove/",
        staff_views.own_question_remove,
        name="own-question-remove",
    ),
    path("r/<int:response_id>/result.csv", staff_views.result_csv, name="result-csv"),
]

# Anonymised open data for researchers (the same rows as /api/v1/assessments/open-data).
urlpatterns += [
    path("open-data.csv", open_data.open_data_csv, name="open-data-csv"),
]
