"""Staff screens for the library: read-only, because every write goes through ``services`` (which
checks permissions, records transitions and refreshes the search index in one transaction).
Editors change resources, collections and the workflow on the library's own pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from iite.library.models import (
    Collection,
    Resource,
    ReviewAssignment,
    Transition,
    UsageMonth,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "language", "published_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "uuid"]
    list_select_related = ["language"]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["resource", "from_status", "to_status", "by", "at"]
    list_select_related = ["resource", "by"]


@admin.register(ReviewAssignment)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["resource", "reviewer", "recommendation", "completed_at"]
    list_select_related = ["resource", "reviewer"]


@admin.register(Collection)
class CollectionAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind"]


@admin.register(UsageMonth)
class UsageAdmin(ReadOnlyAdmin):
    list_display = ["resource", "month", "country", "views", "downloads"]
    list_select_related = ["resource", "country"]
