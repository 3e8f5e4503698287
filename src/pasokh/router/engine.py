"""The routing engine as the service runs it: the core's engine plus the reads persistence needs.

The core's public ``snapshot()`` copies the whole state; after each command the service needs
the same records for only the interactions, agents and queues that command touched, and the
moment of the next timer so it can sleep until then. ``ServiceEngine`` adds those reads; it
never changes what the engine decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pasokh.routing.engine import RoutingEngine
from pasokh.routing.model import ALWAYS_OPEN, Channel, RoutingPolicy, Schedule
from pasokh.routing.snapshot import (
    AgentSnapshot,
    InteractionSnapshot,
    OfferSnapshot,
    QueueSnapshot,
)


@dataclass
class WrittenRows:
    """What this engine last wrote to its runtime rows: row id and field values by
    interaction and by agent, and the queue statistics. It lives and dies with the engine
    (a rebuilt engine starts empty and reads row ids back when it first needs them)."""

    entries: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    presence: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    queue_stats: dict[str, list[int | str | None]] | None = None


class ServiceEngine(RoutingEngine):
    version: str = ""  # the RouterState.version this engine's state corresponds to

    def __init__(
        self, schedule: Schedule = ALWAYS_OPEN, policy: RoutingPolicy | None = None
    ) -> None:
        super().__init__(schedule, policy)
        self.written = WrittenRows()

    def interaction_record(self, interaction_id: str) -> InteractionSnapshot | None:
        i = self._interactions.get(interaction_id)
        if i is None:
            return None
        offer = None
        if i.offer is not None:
            offer = OfferSnapshot(
                i.offer.offer_id, i.offer.agent_id, i.offer.expires_at, i.offer.kind
            )
        return InteractionSnapshot(
            i.interaction_id,
            i.channel,
            i.queue_id,
            i.priority,
            i.arrived_at,
            i.queued_at,
            i.order,
            i.status,
            dict(i.attributes),
            i.stage,
            i.preferred_agent_id,
            i.last_missed_by,
            i.agent_id,
            offer,
        )

    def agent_record(self, agent_id: str) -> tuple[AgentSnapshot, dict[Channel, int]] | None:
        a = self._agents.get(agent_id)
        if a is None:
            return None
        snapshot = AgentSnapshot(
            a.definition,
            a.state,
            a.reason,
            a.state_since,
            a.idle_since,
            a.missed_offers,
            tuple(sorted(a.wrap_ups.items())),
        )
        return snapshot, dict(a.load)

    def queue_records(self) -> list[QueueSnapshot]:
        return [
            QueueSnapshot(
                line.definition, line.round_robin_cursor, line.answered, line.answered_in_target
            )
            for _, line in sorted(self._queues.items())
        ]

    def counters(self) -> tuple[datetime | None, bool, int, int]:
        return self._now, self._open, self._next_order, self._next_offer_id

    def next_deadline(self) -> datetime | None:
        """The earliest timer (offer expiry, wrap-up end, step, maximum wait), if any.

        Timers of interactions that moved on may still sit in the heaps; a Tick at such a time
        simply does nothing, so an early wake-up is harmless.
        """
        heads = [
            heap[0][0]
            for heap in (self._offer_timers, self._wrap_up_timers, self._wait_timers)
            if heap
        ]
        return min(heads, default=None)
