"""The OAI-PMH endpoint at /oai, outside the language prefix (harvesters do not pick a language).

config/urls.py includes this map at "oai" (no slash), so routes here begin with one; they are
written as ``[/]`` because Django warns (urls.W002) about a route starting with a plain slash.
"""

from django.urls import URLPattern, URLResolver, re_path

from iite.library.oai import views

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^(?:[/])?$", views.endpoint, name="library-oai"),
    re_path(r"^[/]schemas/(?P<filename>[A-Za-z0-9_.-]+)$", views.schema, name="library-oai-schema"),
]
