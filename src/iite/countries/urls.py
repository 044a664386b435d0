"""Pages of the countries app, under /<lang>/countries/."""

from django.urls import URLPattern, URLResolver

app_name = "countries"

urlpatterns: list[URLPattern | URLResolver] = []
