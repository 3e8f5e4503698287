"""Writing the audit log: the one place entries are created."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from pasokh.audit.models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: forwarded headers are client-controlled unless a proxy is configured.
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    tenant: Any = None,
    actor: Any = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    actor_row = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        tenant=tenant,
        actor=actor_row,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        ip_address=client_ip(request),
    )


def record_change(
    *,
    tenant: Any,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    return record(
        action=action,
        tenant=tenant,
        actor=actor,
        request=request,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj),
        changes=changes,
    )
