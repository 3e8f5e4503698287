"""Build the routing core's definitions from the router's configuration tables.

Agents are ``AgentProfile`` rows (id = the user's pk as a string), with their skills, language
skills, teams, capacity and routing profile; queues are ``Queue`` rows (id = the queue code).
The tenant's business week and holidays become the engine's schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pasokh.router.models import AgentProfile, Queue, RoutingProfileQueue, Skill
from pasokh.routing.model import (
    AgentDefinition,
    Channel,
    MaxWaitAction,
    QueueDefinition,
    QueueMembership,
    RoutingPolicy,
    Schedule,
    ServiceLevel,
    Step,
    Strategy,
)
from pasokh.tenancy.calendars import business_calendar
from pasokh.tenancy.models import Tenant


@dataclass(frozen=True)
class RoutingConfig:
    agents: dict[str, AgentDefinition]
    queues: list[QueueDefinition]  # in an order where overflow targets come first
    schedule: Schedule
    policy: RoutingPolicy


def queue_definition(queue: Queue) -> QueueDefinition:
    keeps_waiting = queue.max_wait_action == Queue.MaxWaitAction.NONE
    steps = tuple(
        Step(
            int(step["after_s"]),
            expression=step.get("expression"),
            overflow_to=step.get("overflow_to"),
        )
        for step in sorted(queue.steps or [], key=lambda s: int(s["after_s"]))
    )
    return QueueDefinition(
        queue_id=queue.code,
        channels=frozenset(Channel(channel) for channel in queue.channels),
        target=queue.target_expression or "true",
        steps=steps,
        priority=queue.priority,
        strategy=Strategy(queue.strategy),
        service_level=ServiceLevel(queue.service_level_percent / 100, queue.service_level_seconds),
        wrap_up_s=queue.wrapup_seconds,
        offer_timeout_s=queue.offer_timeout_seconds,
        max_wait_s=None if keeps_waiting else queue.max_wait_seconds,
        max_wait_action=MaxWaitAction.VOICEMAIL
        if keeps_waiting
        else MaxWaitAction(queue.max_wait_action),
        route_outside_hours=queue.route_outside_hours,
        sticky_s=queue.sticky_seconds,
    )


def _overflow_first(definitions: list[QueueDefinition]) -> list[QueueDefinition]:
    """Order queues so that each overflow target is defined before the queue overflowing to it;
    a queue overflowing to a missing queue, or to one that takes none of its channels, is left
    out (the admin form refuses both)."""
    by_id = {d.queue_id: d for d in definitions}
    ordered: list[QueueDefinition] = []
    done: set[str] = set()

    def visit(definition: QueueDefinition, path: frozenset[str]) -> bool:
        if definition.queue_id in done:
            return True
        overflow = definition.overflow
        if overflow is not None:
            target = by_id.get(str(overflow.overflow_to))
            if (
                target is None
                or not target.channels & definition.channels
                or target.queue_id in path
                or not visit(target, path | {target.queue_id})
            ):
                return False
        done.add(definition.queue_id)
        ordered.append(definition)
        return True

    for definition in sorted(definitions, key=lambda d: d.queue_id):
        visit(definition, frozenset({definition.queue_id}))
    return ordered


def agent_definitions(tenant: Tenant) -> dict[str, AgentDefinition]:
    memberships: dict[int, list[QueueMembership]] = {}
    for row in RoutingProfileQueue.objects.filter(tenant=tenant).select_related("queue"):
        memberships.setdefault(row.profile_id, []).append(
            QueueMembership(row.queue.code, row.priority)
        )
    agents: dict[str, AgentDefinition] = {}
    profiles = (
        AgentProfile.objects.filter(tenant=tenant, user__is_active=True)
        .select_related("user")
        .prefetch_related("skills__skill", "user__teams")
    )
    for profile in profiles:
        skills: dict[str, int] = {}
        languages: set[str] = set()
        for agent_skill in profile.skills.all():
            skills[agent_skill.skill.code] = agent_skill.level
            if agent_skill.skill.kind == Skill.Kind.LANGUAGE and agent_skill.level > 0:
                languages.add(agent_skill.skill.code)
        teams = frozenset(str(team.pk) for team in profile.user.teams.all())
        agent_id = str(profile.user_id)
        profile_queues = memberships.get(profile.routing_profile_id or -1, [])
        agents[agent_id] = AgentDefinition(
            agent_id=agent_id,
            skills=skills,
            languages=frozenset(languages),
            teams=teams,
            capacity={
                channel: profile.capacity_for(channel.value)
                for channel in (Channel.VOICE, Channel.CHAT, Channel.EMAIL, Channel.MESSAGING)
            },
            profile=tuple(sorted(profile_queues, key=lambda m: m.queue_id)),
        )
    return agents


def load_config(tenant: Tenant) -> RoutingConfig:
    queues = _overflow_first([queue_definition(q) for q in Queue.objects.filter(tenant=tenant)])
    return RoutingConfig(
        agents=agent_definitions(tenant),
        queues=queues,
        schedule=business_calendar(tenant),
        policy=RoutingPolicy(),
    )


def describe(config: RoutingConfig) -> dict[str, Any]:
    """A small summary for logs and the router's start-up line."""
    return {"agents": len(config.agents), "queues": len(config.queues)}
