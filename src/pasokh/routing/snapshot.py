"""Snapshots: the engine's whole state as plain frozen values, and the way back.

The router service persists agents, queues, queue entries, offers, assignments and wrap-ups in
its tables. On start or takeover it builds a ``RoutingSnapshot`` from those rows and calls
``RoutingEngine.restore(snapshot, schedule=..., policy=...)``. The restored engine is the same
engine: ``restore(s).snapshot() == s`` and it answers every later command with the same events.
Timers are not stored; they follow from the times kept here (offer expiry, wrap-up end,
``queued_at`` for steps, stickiness and maximum wait), so a ``Tick`` right after a restore
catches up on everything that fell due while no engine was running.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pasokh.routing.events import OfferKind
from pasokh.routing.expressions import Value
from pasokh.routing.model import AgentDefinition, AgentState, Channel, QueueDefinition
from pasokh.routing.state import Status


@dataclass(frozen=True)
class AgentSnapshot:
    definition: AgentDefinition
    state: AgentState
    reason: str
    state_since: datetime
    idle_since: datetime
    missed_offers: int = 0
    wrap_ups: tuple[tuple[str, datetime], ...] = ()  # (interaction id, ends at), sorted


@dataclass(frozen=True)
class QueueSnapshot:
    definition: QueueDefinition
    round_robin_cursor: str | None = None
    answered: int = 0
    answered_in_target: int = 0


@dataclass(frozen=True)
class OfferSnapshot:
    offer_id: int
    agent_id: str
    expires_at: datetime
    kind: OfferKind = OfferKind.QUEUE


@dataclass(frozen=True)
class InteractionSnapshot:
    """A live interaction: waiting (no agent), offered (offer set), or assigned (agent set; a
    consult offer may ring beside it)."""

    interaction_id: str
    channel: Channel
    queue_id: str
    priority: int
    arrived_at: datetime
    queued_at: datetime
    order: int
    status: Status = Status.WAITING
    attributes: Mapping[str, Value] = field(default_factory=dict)
    stage: int = 0
    preferred_agent_id: str | None = None
    last_missed_by: str | None = None
    agent_id: str | None = None
    offer: OfferSnapshot | None = None


@dataclass(frozen=True)
class RoutingSnapshot:
    at: datetime | None
    is_open: bool
    agents: tuple[AgentSnapshot, ...]  # sorted by agent id
    queues: tuple[QueueSnapshot, ...]  # sorted by queue id
    interactions: tuple[InteractionSnapshot, ...]  # sorted by interaction id
    next_order: int = 0
    next_offer_id: int = 0
