from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pasokh.router.models import (
    AgentPresence,
    AgentProfile,
    AgentSkill,
    Queue,
    QueueEntry,
    ReasonCode,
    RoutingEvent,
    RoutingProfile,
    RoutingProfileQueue,
    Skill,
)
from pasokh.tenancy.admin import TenantScopedAdmin, TenantScopedInline
from pasokh.tenancy.models import Role

ROUTING_EDITORS = (Role.ADMIN, Role.SUPERVISOR)
log = logging.getLogger("pasokh.router")


def _reload_after_commit(tenant: Any) -> None:
    """The running router picks up the change once it is committed."""

    def reload() -> None:
        from pasokh.router.actions import do_reload_routing_config

        try:
            do_reload_routing_config(tenant)
        except Exception:
            log.exception("could not reload the routing config of tenant %s", tenant.pk)

    if tenant is not None:
        transaction.on_commit(reload)


class ReloadsRouting(TenantScopedAdmin):
    """Config edits reach the router: saving or deleting reloads the tenant's definitions."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _reload_after_commit(form.instance.tenant)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        tenant = obj.tenant
        super().delete_model(request, obj)
        _reload_after_commit(tenant)


class RoutingLogAdmin(TenantScopedAdmin):
    """Runtime rows written by the router only: shown, never edited here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Skill)
class SkillAdmin(ReloadsRouting):
    ltr_fields = ("code",)
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    tenant_editable_by = ROUTING_EDITORS


@admin.register(Queue)
class QueueAdmin(ReloadsRouting):
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
class RoutingProfileAdmin(ReloadsRouting):
    list_display = ("name",)
    inlines = (RoutingProfileQueueInline,)
    tenant_editable_by = ROUTING_EDITORS


class AgentSkillInline(TenantScopedInline):
    model = AgentSkill


@admin.register(AgentProfile)
class AgentProfileAdmin(ReloadsRouting):
    list_display = ("user", "routing_profile", "extension")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    inlines = (AgentSkillInline,)
    tenant_editable_by = ROUTING_EDITORS


@admin.register(ReasonCode)
class ReasonCodeAdmin(TenantScopedAdmin):
    ltr_fields = ("code",)
    list_display = ("code", "name", "is_break", "is_active")
    tenant_editable_by = ROUTING_EDITORS


@admin.register(QueueEntry)
class QueueEntryAdmin(RoutingLogAdmin):
    ltr_fields = ("interaction_id", "queue_code", "agent_id")
    list_display = (
        "interaction_id",
        "queue_code",
        "channel",
        "status",
        "final_state",
        "arrived_at",
    )
    list_filter = ("status", "channel", "final_state")
    search_fields = ("interaction_id", "queue_code")


@admin.register(AgentPresence)
class AgentPresenceAdmin(RoutingLogAdmin):
    list_display = ("agent_id", "state", "reason", "since", "load_voice", "load_chat")
    list_filter = ("state",)


@admin.register(RoutingEvent)
class RoutingEventAdmin(RoutingLogAdmin):
    ltr_fields = ("name", "interaction_id", "agent_id")
    list_display = ("at", "name", "interaction_id", "agent_id")
    list_filter = ("name",)
    search_fields = ("interaction_id", "agent_id")
