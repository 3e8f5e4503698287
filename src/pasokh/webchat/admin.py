from __future__ import annotations

from django.contrib import admin

from pasokh.tenancy.admin import TenantScopedAdmin
from pasokh.tenancy.models import Role
from pasokh.webchat.models import ChatWidget, EntryPoint


@admin.register(ChatWidget)
class ChatWidgetAdmin(TenantScopedAdmin):
    list_display = ("tenant", "is_enabled", "max_attachment_bytes")
    tenant_editable_by = (Role.ADMIN,)


@admin.register(EntryPoint)
class EntryPointAdmin(TenantScopedAdmin):
    list_display = ("code", "name", "name_en", "queue", "position", "is_active")
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)
