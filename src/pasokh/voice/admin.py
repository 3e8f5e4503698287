from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pasokh.tenancy.admin import TenantScopedAdmin
from pasokh.tenancy.models import Role
from pasokh.voice.models import (
    Call,
    CallLeg,
    IvrChoice,
    IvrMenu,
    PhoneNumber,
    SipAccount,
    SipTrunk,
    VoicePolicy,
)


@admin.register(VoicePolicy)
class VoicePolicyAdmin(TenantScopedAdmin):
    list_display = ("tenant", "recording", "retention_days", "caller_id")
    tenant_editable_by = (Role.ADMIN,)


@admin.register(SipTrunk)
class SipTrunkAdmin(TenantScopedAdmin):
    list_display = ("name", "host", "port", "is_active")
    tenant_editable_by = (Role.ADMIN,)


@admin.register(PhoneNumber)
class PhoneNumberAdmin(TenantScopedAdmin):
    list_display = ("number", "menu", "trunk", "is_active")
    tenant_editable_by = (Role.ADMIN,)


@admin.register(IvrMenu)
class IvrMenuAdmin(TenantScopedAdmin):
    list_display = ("name", "language", "timeout_s", "max_attempts")
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)


@admin.register(IvrChoice)
class IvrChoiceAdmin(TenantScopedAdmin):
    list_display = ("menu", "digit", "action", "queue", "submenu")
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)


@admin.register(SipAccount)
class SipAccountAdmin(TenantScopedAdmin):
    list_display = ("username", "realm", "user", "is_active")
    readonly_fields = ("ha1",)
    tenant_editable_by = (Role.ADMIN,)


class CallRecordAdmin(TenantScopedAdmin):
    """Calls are written by the voice service only: readable, never edited here."""

    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(CallRecordAdmin):
    list_display = ("caller", "number", "state", "started_at", "answered_at", "end_reason")
    list_filter = ("state", "end_reason")


@admin.register(CallLeg)
class CallLegAdmin(CallRecordAdmin):
    list_display = ("call", "side", "agent", "state", "status_code", "started_at")
