from django.urls import path

from iite.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language_choose, name="language"),
]
