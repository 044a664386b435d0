from django.urls import path

from iite.reference import views

app_name = "reference"

urlpatterns = [
    path("", views.index, name="index"),
    path("frameworks/", views.index, name="framework-list"),
]
