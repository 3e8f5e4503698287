from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pasokh.router.models import (
    AgentProfile,
    AgentSkill,
    Queue,
    ReasonCode,
    RoutingProfile,
    RoutingProfileQueue,
    Skill,
)
from pasokh.tenancy.admin import TenantScopedAdmin, TenantScopedInline
from pasokh.tenancy.models import Role

ROUTING_EDITORS = (Role.ADMIN, Role.SUPERVISOR)


@admin.register(Skill)
class SkillAdmin(TenantScopedAdmin):
    ltr_fields = ("code",)
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    tenant_editable_by = ROUTING_EDITORS


@admin.register(Queue)
class QueueAdmin(TenantScopedAdmin):
    ltr_fields = ("code", "channels", "target_expression", "steps")
    list_display = (
        "name",
        "code",
        "target_expression",
        "priority",
        "strategy",
        "service_level_percent",
    )
    list_filter = ("strategy",)
    search_fields = ("name", "code")
    tenant_editable_by = ROUTING_EDITORS
    fieldsets = (
        (None, {"fields": ("name", "code", "channels", "priority")}),
        (
            _("Routing"),
            {
                "fields": (
                    "target_expression",
                    "steps",
                    "strategy",
                    "sticky_seconds",
                    "offer_timeout_seconds",
                )
            },
        ),
        (
            _("Service"),
            {
                "fields": (
                    "service_level_percent",
                    "service_level_seconds",
                    "wrapup_seconds",
                    "disposition_required",
                    "max_wait_seconds",
                    "max_wait_action",
                    "route_outside_hours",
                )
            },
        ),
    )


class RoutingProfileQueueInline(TenantScopedInline):
    model = RoutingProfileQueue


@admin.register(RoutingProfile)
class RoutingProfileAdmin(TenantScopedAdmin):
    list_display = ("name",)
    inlines = (RoutingProfileQueueInline,)
    tenant_editable_by = ROUTING_EDITORS


class AgentSkillInline(TenantScopedInline):
    model = AgentSkill


@admin.register(AgentProfile)
class AgentProfileAdmin(TenantScopedAdmin):
    list_display = ("user", "routing_profile", "extension")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    inlines = (AgentSkillInline,)
    tenant_editable_by = ROUTING_EDITORS


@admin.register(ReasonCode)
class ReasonCodeAdmin(TenantScopedAdmin):
    ltr_fields = ("code",)
    list_display = ("code", "name", "is_break", "is_active")
    tenant_editable_by = ROUTING_EDITORS
