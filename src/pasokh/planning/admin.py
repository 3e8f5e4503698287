from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from pasokh.planning.models import SimulationRun
from pasokh.tenancy.admin import TenantScopedAdmin
from pasokh.tenancy.models import Role


@admin.register(SimulationRun)
class SimulationRunAdmin(TenantScopedAdmin):
    list_display = ("name", "author", "status", "progress", "created_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = (
        "author",
        "status",
        "progress",
        "result",
        "error",
        "worker",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Runs start from the planning page, which also starts their worker.
        return False
