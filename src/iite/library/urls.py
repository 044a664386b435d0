"""Pages of the library app, under /<lang>/library/."""

from django.urls import URLPattern, URLResolver

app_name = "library"

urlpatterns: list[URLPattern | URLResolver] = []
