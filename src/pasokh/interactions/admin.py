from __future__ import annotations

from django.contrib import admin

from pasokh.interactions.models import DispositionCode, Interaction
from pasokh.tenancy.admin import TenantScopedAdmin
from pasokh.tenancy.models import Role


@admin.register(DispositionCode)
class DispositionCodeAdmin(TenantScopedAdmin):
    list_display = ("code", "name", "is_active")
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)


@admin.register(Interaction)
class InteractionAdmin(TenantScopedAdmin):
    list_display = ("__str__", "contact", "queue", "agent", "status", "arrived_at")
    list_filter = ("channel", "status")
    date_hierarchy = "arrived_at"
    raw_id_fields = ("contact",)
