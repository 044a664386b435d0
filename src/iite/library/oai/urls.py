"""Pages of the library's oai part, included in the library's URL map (namespace `library`)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
