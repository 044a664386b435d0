"""Pages of the library's search part, included in the library's URL map (namespace `library`)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
