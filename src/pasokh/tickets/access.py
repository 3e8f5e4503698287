"""Chokepoints for tickets and their configuration.

Every user of the tenant reads tickets (agents pick up each other's cases); only
supervisors and admins change ticket types and SLA policies.
"""

from __future__ import annotations

from typing import Any

from pasokh.tenancy.access import access, require_role
from pasokh.tenancy.models import Role
from pasokh.tickets.models import SlaAlert, SlaPolicy, Ticket, TicketComment, TicketType


def access_ticket(user: Any, ticket_id: object) -> Ticket:
    return access(user, Ticket, ticket_id)


def access_ticket_type(user: Any, type_id: object) -> TicketType:
    return access(user, TicketType, type_id)


def access_sla_policy(user: Any, policy_id: object) -> SlaPolicy:
    return access(user, SlaPolicy, policy_id)


def access_ticket_comment(user: Any, comment_id: object) -> TicketComment:
    return access(user, TicketComment, comment_id)


def access_sla_alert(user: Any, alert_id: object) -> SlaAlert:
    return access(user, SlaAlert, alert_id)


def require_ticket_admin(user: Any) -> None:
    """SLA policies and ticket types are configuration: supervisors and admins only."""
    require_role(user, Role.SUPERVISOR, Role.ADMIN)
