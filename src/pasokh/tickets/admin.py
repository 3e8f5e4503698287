from __future__ import annotations

from django.contrib import admin

from pasokh.tenancy.admin import TenantScopedAdmin
from pasokh.tenancy.models import Role
from pasokh.tickets.models import SlaPolicy, Ticket, TicketType


@admin.register(TicketType)
class TicketTypeAdmin(TenantScopedAdmin):
    list_display = ("code", "name", "is_active")
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)
    ltr_fields = ("code",)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(TenantScopedAdmin):
    list_display = ("ticket_type", "priority", "first_response_minutes", "resolution_minutes")
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)


@admin.register(Ticket)
class TicketAdmin(TenantScopedAdmin):
    """Read-mostly: tickets change through their pages so SLA clocks stay right."""

    list_display = ("reference", "subject", "status", "priority", "assignee", "created_at")
    list_filter = ("status", "priority")
    readonly_fields = (
        "status",
        "first_response_due_at",
        "resolution_due_at",
        "first_responded_at",
        "escalated",
    )
    raw_id_fields = ("contact", "interactions")
