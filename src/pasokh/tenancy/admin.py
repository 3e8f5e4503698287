"""Admin for tenants, teams, users and holidays, and the base every tenant-data admin uses.

A tenant's admin (``role=admin``, ``is_staff``) manages only their own tenant's rows: the
querysets go through the access chokepoint, new rows get the admin's tenant, and foreign-key
choices are limited to that tenant. Platform superusers see every tenant. Every change made
here is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pasokh.audit.actions import record_change
from pasokh.tenancy.access import tenant_field, visible_to
from pasokh.tenancy.calendars import calendar_changed
from pasokh.tenancy.models import ApiKey, Holiday, Role, Team, Tenant, User


def _is_platform(request: HttpRequest) -> bool:
    return bool(request.user.is_superuser and getattr(request.user, "tenant_id", None) is None)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Writes every admin addition, change and deletion to the audit log."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "admin.added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "admin.changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, obj, "admin.deleted", [])
        return super().log_deletions(request, queryset)

    def _audit(self, request: HttpRequest, obj: Any, action: str, message: Any) -> None:
        tenant = obj if isinstance(obj, Tenant) else getattr(obj, "tenant", None)
        record_change(
            tenant=tenant,
            actor=request.user,
            action=action,
            obj=obj,
            changes={"message": message if isinstance(message, list | str) else str(message)},
            request=request,
        )


class TenantScopedInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline for tenant rows: the tenant comes from the parent row, choices stay in it."""

    exclude = ("tenant",)
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if not _is_platform(request) and related is not None and tenant_field(related):
            kwargs["queryset"] = visible_to(request.user, related)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TenantScopedAdmin(AuditedAdmin):
    """Base admin for models holding one tenant's data."""

    tenant_editable_by = (Role.ADMIN,)
    # Codes, expressions and JSON read left to right even on a Persian page.
    ltr_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.ltr_fields:
            field.widget.attrs["dir"] = "ltr"
        return field

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        if _is_platform(request):
            return super().get_queryset(request)
        return visible_to(request.user, self.model)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        if not _is_platform(request) and tenant_field(self.model) == "tenant":
            excluded.append("tenant")
        return excluded

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if _is_platform(request) or tenant_field(self.model) != "tenant":
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "tenant"]})
            for name, options in fieldsets
        ]

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        if _is_platform(request) and tenant_field(self.model) == "tenant":
            filters.insert(0, "tenant")
        return filters

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not _is_platform(request) and tenant_field(self.model) == "tenant":
            obj.tenant_id = request.user.tenant_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Inline rows belong to the same tenant as the row they are edited with.
        instances = formset.save(commit=False)
        parent_tenant = getattr(form.instance, "tenant_id", None)
        for instance in instances:
            if tenant_field(type(instance)) == "tenant" and parent_tenant is not None:
                instance.tenant_id = parent_tenant
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit_to_tenant(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit_to_tenant(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limit_to_tenant(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        related = db_field.related_model
        if _is_platform(request) or related is None or tenant_field(related) is None:
            return
        kwargs["queryset"] = visible_to(request.user, related)

    def _allowed(self, request: HttpRequest) -> bool:
        if _is_platform(request):
            return True
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and getattr(user, "role", None) in self.tenant_editable_by
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


@admin.register(Tenant)
class TenantAdmin(TenantScopedAdmin):
    list_display = ("name", "slug", "default_language", "calendar", "time_zone", "is_active")
    search_fields = ("name", "slug")
    readonly_fields = ("public_key", "created_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_platform(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_platform(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if {"business_week", "time_zone"} & set(form.changed_data):
            calendar_changed(obj)


@admin.register(Team)
class TeamAdmin(TenantScopedAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Holiday)
class HolidayAdmin(TenantScopedAdmin):
    list_display = ("date", "name_fa", "name_en", "closed")
    list_filter = ("closed",)
    search_fields = ("name_fa", "name_en")
    date_hierarchy = "date"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar_changed(obj.tenant)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        tenant = obj.tenant
        super().delete_model(request, obj)
        calendar_changed(tenant)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        tenants = list(Tenant.objects.filter(pk__in=queryset.values("tenant_id")))
        super().delete_queryset(request, queryset)
        for tenant in tenants:
            calendar_changed(tenant)


@admin.register(User)
class UserAdmin(TenantScopedAdmin, DjangoUserAdmin):  # type: ignore[misc]
    list_display = ("username", "display_name", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "display_name", "email")
    filter_horizontal = ("teams",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "display_name", "email", "language")}),
        (_("Work"), {"fields": ("tenant", "role", "teams", "is_active", "is_staff")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "tenant", "role")}),)
    readonly_fields = ("last_login", "date_joined")


@admin.register(ApiKey)
class ApiKeyAdmin(TenantScopedAdmin):
    """Keys are issued with `pasokh issue_api_key`; here they are listed and revoked."""

    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked")
    readonly_fields = ("name", "prefix", "user", "created_at", "last_used_at")
    fields = ("name", "prefix", "user", "created_at", "last_used_at", "revoked")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False
