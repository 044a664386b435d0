"""Reference data in the admin: readable by staff, changed only by ``iite load-reference``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from iite.reference import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look; the data files are the source, so nobody edits rows here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ("alpha2", "alpha3", "m49", "name", "unesco_region", "income_group")
    list_filter = ("unesco_region", "un_region", "income_group")
    search_fields = ("alpha2", "alpha3", "m49", "search_text")
    list_select_related = ("unesco_region",)


@admin.register(models.Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    list_select_related = ("parent",)


@admin.register(models.Language)
class LanguageAdmin(ReadOnlyAdmin):
    list_display = ("code", "alpha3", "name", "direction", "is_un_language")
    list_filter = ("direction", "is_un_language")
    search_fields = ("code", "alpha3")


@admin.register(models.Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "vocabulary")
    list_filter = ("vocabulary",)
    list_select_related = ("vocabulary",)


@admin.register(models.Competency)
class CompetencyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "framework", "dimension", "level")
    list_filter = ("framework",)
    list_select_related = ("framework", "dimension", "level")


for model, fields in (
    (models.IscedLevel, ("code", "name")),
    (models.SdgTarget, ("code", "name")),
    (models.SdgIndicator, ("code", "name")),
    (models.StrategicPriority, ("number", "name")),
    (models.ActionArea, ("number", "name")),
    (models.Topic, ("code", "name")),
    (models.Licence, ("spdx_id", "name", "is_open")),
    (models.Vocabulary, ("code", "name")),
    (models.Framework, ("code", "version", "name", "licence")),
    (models.Dimension, ("code", "name", "framework")),
    (models.FrameworkLevel, ("code", "name", "framework")),
):
    admin.site.register(
        model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": fields})
    )
