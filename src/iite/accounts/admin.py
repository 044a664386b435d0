"""Staff screens for people, organisations, roles and tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from iite.accounts import services
from iite.accounts.models import ApiToken, Organisation, Role, RoleAssignment, User
from iite.core.errors import ApplicationError


class RoleAssignmentForm(forms.ModelForm):
    """Holds the admin to the same scope rules as ``services.role_grant``."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "country", "organisation"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        if role is not None:
            try:
                services.role_scope_check(role, cleaned.get("country"), cleaned.get("organisation"))
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return cleaned


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["country"]
    readonly_fields = ["granted_by", "created_at"]
    fields = ["role", "country", "organisation", "granted_by", "created_at"]


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "country", "email_verified", "is_active", "is_staff"]
    list_filter = ["email_verified", "is_active", "is_staff", "is_superuser", "education_role"]
    search_fields = ["email", "name", "organisation__name"]
    raw_id_fields = ["country"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["languages", "groups", "user_permissions"]
    readonly_fields = ["date_joined", "last_login"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "name",
                    "country",
                    "languages",
                    "education_role",
                    "organisation",
                    "language",
                )
            },
        ),
        (
            _("Status"),
            {"fields": ("email_verified", "is_active", "is_staff", "is_superuser")},
        ),
        (_("Django permissions"), {"fields": ("groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: Any) -> None:
        # Record who granted roles added here.
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, RoleAssignment) and instance.granted_by_id is None:
                instance.granted_by = request.user  # type: ignore[assignment]
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            instance.save()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "website"]
    raw_id_fields = ["country"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scope", "order"]
    ordering = ["order"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the permission tables name roles by code; removing one breaks them


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "country", "organisation", "granted_by", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    list_select_related = ["user", "role", "country", "organisation", "granted_by"]
    autocomplete_fields = ["user", "organisation"]
    raw_id_fields = ["country"]
    readonly_fields = ["granted_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if obj.granted_by_id is None:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created by their owners, who alone see the token once
