"""The OAI-PMH endpoint at /oai, outside the language prefix (harvesters do not pick a language)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
