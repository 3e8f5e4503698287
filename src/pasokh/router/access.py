"""Chokepoints for routing configuration: readable by the tenant, edited by admins/supervisors."""

from __future__ import annotations

from typing import Any

from pasokh.router.models import AgentProfile, Queue, ReasonCode, RoutingProfile, Skill
from pasokh.tenancy.access import access


def access_queue(user: Any, queue_id: object) -> Queue:
    return access(user, Queue, queue_id)


def access_skill(user: Any, skill_id: object) -> Skill:
    return access(user, Skill, skill_id)


def access_routing_profile(user: Any, profile_id: object) -> RoutingProfile:
    return access(user, RoutingProfile, profile_id)


def access_agent_profile(user: Any, profile_id: object) -> AgentProfile:
    return access(user, AgentProfile, profile_id)


def access_reason_code(user: Any, reason_id: object) -> ReasonCode:
    return access(user, ReasonCode, reason_id)
