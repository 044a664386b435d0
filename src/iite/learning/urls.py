"""Pages of the learning app, under /<lang>/learning/."""

from django.urls import URLPattern, URLResolver

app_name = "learning"

urlpatterns: list[URLPattern | URLResolver] = []
