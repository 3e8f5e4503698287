"""Writes to the routing configuration (the only write path for this app's config tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from pasokh.router.models import (
    AgentProfile,
    AgentSkill,
    Queue,
    ReasonCode,
    RoutingProfile,
    RoutingProfileQueue,
    Skill,
)
from pasokh.tenancy.models import Tenant, User


@transaction.atomic
def do_create_skill(
    *, tenant: Tenant, code: str, name: str, kind: str = Skill.Kind.PRODUCT
) -> Skill:
    skill = Skill(tenant=tenant, code=code, name=name, kind=kind)
    skill.full_clean()
    skill.save()
    return skill


@transaction.atomic
def do_create_queue(*, tenant: Tenant, code: str, name: str, **options: Any) -> Queue:
    queue = Queue(tenant=tenant, code=code, name=name, **options)
    queue.full_clean()
    queue.save()
    return queue


@transaction.atomic
def do_create_routing_profile(
    *, tenant: Tenant, name: str, queues: Iterable[tuple[Queue, int]]
) -> RoutingProfile:
    profile = RoutingProfile.objects.create(tenant=tenant, name=name)
    for queue, priority in queues:
        RoutingProfileQueue.objects.create(
            tenant=tenant, profile=profile, queue=queue, priority=priority
        )
    return profile


@transaction.atomic
def do_create_agent_profile(
    *,
    user: User,
    routing_profile: RoutingProfile | None,
    skills: Mapping[Skill, int],
    capacity: Mapping[str, int] | None = None,
    extension: str = "",
) -> AgentProfile:
    assert user.tenant is not None, "agents belong to a tenant"
    profile = AgentProfile.objects.create(
        tenant=user.tenant,
        user=user,
        routing_profile=routing_profile,
        capacity=dict(capacity or {}),
        extension=extension,
    )
    for skill, level in skills.items():
        AgentSkill.objects.create(tenant=user.tenant, agent=profile, skill=skill, level=level)
    return profile


@transaction.atomic
def do_create_reason_code(
    *, tenant: Tenant, code: str, name: str, is_break: bool = False
) -> ReasonCode:
    return ReasonCode.objects.create(tenant=tenant, code=code, name=name, is_break=is_break)
