from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pasokh.audit.models import AuditEntry
from pasokh.tenancy.admin import TenantScopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(TenantScopedAdmin):
    """Read-only: the audit log is append-only, even for admins."""

    list_display = ("at", "action", "actor", "object_repr", "ip_address")
    list_filter = ("action",)
    search_fields = ("action", "object_repr", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
