"""Who may read the audit log: a tenant's admins and supervisors, their tenant only."""

from __future__ import annotations

from typing import Any

from django.db import models

from pasokh.audit.models import AuditEntry
from pasokh.tenancy.access import access, refine
from pasokh.tenancy.models import Role


@refine(AuditEntry)
def _only_admins_and_supervisors(user: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if user.role in {Role.ADMIN, Role.SUPERVISOR} else queryset.none()


def access_audit_entry(user: Any, entry_id: object) -> AuditEntry:
    return access(user, AuditEntry, entry_id)
