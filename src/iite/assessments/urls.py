from django.urls import path

from iite.assessments import views

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
    path("r/<int:response_id>/<str:section>/", views.answer, name="answer"),
]
