"""Staff screens for paths (with their steps and cohorts) and issued credentials.

Credentials are read-only here: their document is signed, so nothing in it may change; the one
change staff make, revocation, goes through ``credential_services.credential_revoke``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from iite.core.errors import ApplicationError
from iite.learning import credential_services
from iite.learning.models import Cohort, Credential, Enrolment, Path, Step


class StepInline(admin.StackedInline):
    model = Step
    extra = 0
    fields = [
        "order",
        "kind",
        "title",
        "instructions",
        "url",
        "resource",
        "questions",
        "estimated_minutes",
        "competencies",
    ]
    raw_id_fields = ["resource"]
    filter_horizontal = ["competencies"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ["name", "starts_on", "ends_on", "facilitators"]
    filter_horizontal = ["facilitators"]


@admin.register(Path)
class PathAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "status", "kind"]
    list_filter = ["status", "language", "kind"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["competencies", "prerequisites", "facilitators"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [StepInline, CohortInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["learner", "path", "cohort", "status", "enrolled_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["learner__email", "learner__name", "path__title"]
    readonly_fields = ["path", "learner", "status", "last_step", "enrolled_at", "completed_at"]


@admin.action(description=_("Revoke the selected credentials (reason: withdrawn by staff)"))
def revoke(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for credential in queryset:
        try:
            credential_services.credential_revoke(
                credential=credential,
                reason=str(_("Withdrawn by the platform's staff.")),
                by=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as error:
            model_admin.message_user(request, error.message, level=messages.ERROR)
            return
    model_admin.message_user(request, _("Revoked."))


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["public_id", "enrolment", "issued_at", "revoked_at"]
    search_fields = ["public_id", "enrolment__learner__email"]
    readonly_fields = [
        "public_id",
        "enrolment",
        "document",
        "key",
        "status_index",
        "issued_at",
        "revoked_at",
        "revocation_reason",
        "revoked_by",
    ]
    actions = [revoke]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
