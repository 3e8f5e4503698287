"""Read-only questions to the engine, and its snapshot / restore contract."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime
from typing import Self

from pasokh.routing.core import WORK_CHANNELS, RoutingCore
from pasokh.routing.model import ALWAYS_OPEN, AgentState, Channel, RoutingPolicy, Schedule
from pasokh.routing.snapshot import (
    AgentSnapshot,
    InteractionSnapshot,
    OfferSnapshot,
    QueueSnapshot,
    RoutingSnapshot,
)
from pasokh.routing.state import (
    AgentAtWork,
    LiveInteraction,
    Offer,
    QueueLine,
    RoutingError,
    Status,
)


@dataclass(frozen=True)
class QueueSummary:
    queue_id: str
    waiting: int  # in line, no offer ringing
    offered: int  # an offer is ringing
    longest_wait_s: float  # of those in line, counted from their first arrival
    available_agents: int  # members who could take some work right now
    service_level: float | None  # share answered within the threshold; None before any


@dataclass(frozen=True)
class AgentSummary:
    agent_id: str
    state: AgentState
    reason: str
    since: datetime
    load: dict[Channel, int]  # ringing offers and held interactions, per channel
    offers: frozenset[str]
    assigned: frozenset[str]
    wrap_ups: frozenset[str]


class RoutingQueries(RoutingCore):
    # ── queues ──────────────────────────────────────────────────────────────────────────────

    def queue_ids(self) -> list[str]:
        return sorted(self._queues)

    def waiting_count(self, queue_id: str) -> int:
        return len(self._queue(queue_id).waiting)

    def longest_wait_s(self, queue_id: str) -> float:
        line = self._queue(queue_id)
        heap = line.by_arrival
        while heap:
            arrived_at, _, ticket, iid = heap[0]
            interaction = self._interactions.get(iid)
            if (
                interaction is not None
                and interaction.status is Status.WAITING
                and interaction.arrival_ticket == ticket
                and interaction.queue_id == line.queue_id
            ):
                return (self.now - arrived_at).total_seconds()
            heapq.heappop(heap)  # a stale place in line; dropping it changes no decision
        return 0.0

    def queue_summary(self, queue_id: str) -> QueueSummary:
        line = self._queue(queue_id)
        offered = sum(
            1
            for i in self._interactions.values()
            if i.queue_id == queue_id and i.status is Status.OFFERED
        )
        level = line.answered_in_target / line.answered if line.answered else None
        return QueueSummary(
            queue_id,
            len(line.waiting),
            offered,
            self.longest_wait_s(queue_id),
            sum(1 for agent_id in line.members if self._agents[agent_id].available),
            level,
        )

    def _queue(self, queue_id: str) -> QueueLine:
        line = self._queues.get(queue_id)
        if line is None:
            raise RoutingError("unknown_queue", f"no queue {queue_id!r}")
        return line

    # ── agents and interactions ─────────────────────────────────────────────────────────────

    def agent_ids(self) -> list[str]:
        return sorted(self._agents)

    def agent_summary(self, agent_id: str) -> AgentSummary:
        agent = self._agents.get(agent_id)
        if agent is None:
            raise RoutingError("unknown_agent", f"no agent {agent_id!r}")
        return AgentSummary(
            agent_id,
            agent.state,
            agent.reason,
            agent.state_since,
            dict(agent.load),
            frozenset(agent.offers),
            frozenset(agent.assigned),
            frozenset(agent.wrap_ups),
        )

    def agent_load(self, agent_id: str) -> dict[Channel, int]:
        return self.agent_summary(agent_id).load

    def interaction_status(self, interaction_id: str) -> Status | None:
        """None once the interaction has reached its final state (or was never here)."""
        interaction = self._interactions.get(interaction_id)
        return None if interaction is None else interaction.status

    def live_offer(self, interaction_id: str) -> OfferSnapshot | None:
        interaction = self._interactions.get(interaction_id)
        if interaction is None or interaction.offer is None:
            return None
        offer = interaction.offer
        return OfferSnapshot(offer.offer_id, offer.agent_id, offer.expires_at, offer.kind)

    def interaction_ids(self) -> list[str]:
        return sorted(self._interactions)

    # ── lookups that refuse (for command handlers) ──────────────────────────────────────────

    def _agent(self, agent_id: str) -> AgentAtWork:
        agent = self._agents.get(agent_id)
        if agent is None:
            raise RoutingError("unknown_agent", f"no agent {agent_id!r}")
        return agent

    def _line(self, queue_id: str) -> QueueLine:
        line = self._queues.get(queue_id)
        if line is None:
            raise RoutingError("unknown_queue", f"no queue {queue_id!r}")
        return line

    def _interaction(self, interaction_id: str, *statuses: Status) -> LiveInteraction:
        interaction = self._interactions.get(interaction_id)
        if interaction is None:
            raise RoutingError("unknown_interaction", f"no live interaction {interaction_id!r}")
        if statuses and interaction.status not in statuses:
            raise RoutingError(f"not_{statuses[0]}", f"{interaction_id!r} is {interaction.status}")
        return interaction

    def _holder(self, interaction: LiveInteraction) -> AgentAtWork:
        assert interaction.agent_id is not None
        return self._agents[interaction.agent_id]

    # ── snapshot and restore ────────────────────────────────────────────────────────────────

    def snapshot(self) -> RoutingSnapshot:
        agents = tuple(
            AgentSnapshot(
                a.definition,
                a.state,
                a.reason,
                a.state_since,
                a.idle_since,
                a.missed_offers,
                tuple(sorted(a.wrap_ups.items())),
            )
            for _, a in sorted(self._agents.items())
        )
        queues = tuple(
            QueueSnapshot(
                line.definition, line.round_robin_cursor, line.answered, line.answered_in_target
            )
            for _, line in sorted(self._queues.items())
        )
        interactions = tuple(
            _interaction_snapshot(i) for _, i in sorted(self._interactions.items())
        )
        return RoutingSnapshot(
            self._now,
            self._open,
            agents,
            queues,
            interactions,
            self._next_order,
            self._next_offer_id,
        )

    @classmethod
    def restore(
        cls,
        snapshot: RoutingSnapshot,
        schedule: Schedule = ALWAYS_OPEN,
        policy: RoutingPolicy | None = None,
    ) -> Self:
        """Rebuild an engine from a snapshot; no events are produced and nothing is routed."""
        engine = cls(schedule, policy)
        engine._now, engine._open = snapshot.at, snapshot.is_open
        engine._next_order, engine._next_offer_id = snapshot.next_order, snapshot.next_offer_id
        for queue in snapshot.queues:
            line = QueueLine(queue.definition, round_robin_cursor=queue.round_robin_cursor)
            line.answered, line.answered_in_target = queue.answered, queue.answered_in_target
            engine._queues[queue.definition.queue_id] = line
        for agent in snapshot.agents:
            engine._restore_agent(agent)
        for interaction in snapshot.interactions:
            engine._restore_interaction(interaction)
        for agent_at_work in engine._agents.values():
            engine._refresh(agent_at_work)
        return engine

    def _restore_agent(self, snapshot: AgentSnapshot) -> None:
        definition = snapshot.definition
        agent = AgentAtWork(
            definition,
            definition.environment(),
            snapshot.state,
            snapshot.reason,
            snapshot.state_since,
            snapshot.idle_since,
            load=dict.fromkeys(WORK_CHANNELS, 0),
            missed_offers=snapshot.missed_offers,
            wrap_ups=dict(snapshot.wrap_ups),
        )
        agent.limits = self._limits_of(definition)
        priorities = sorted({m.priority for m in definition.profile}, reverse=True)
        agent.groups = [
            [m.queue_id for m in definition.profile if m.priority == p] for p in priorities
        ]
        for membership in definition.profile:
            line = self._queues.get(membership.queue_id)
            if line is not None:
                self._enrol(agent, line, membership.priority)
        for iid, ends_at in snapshot.wrap_ups:
            heapq.heappush(self._wrap_up_timers, (ends_at, definition.agent_id, iid))
        self._agents[definition.agent_id] = agent

    def _restore_interaction(self, snapshot: InteractionSnapshot) -> None:
        if snapshot.queue_id not in self._queues:
            raise RoutingError("bad_snapshot", f"{snapshot.interaction_id!r} in unknown queue")
        interaction = LiveInteraction(
            snapshot.interaction_id,
            snapshot.channel,
            snapshot.queue_id,
            snapshot.priority,
            dict(snapshot.attributes),
            snapshot.arrived_at,
            snapshot.queued_at,
            snapshot.order,
            stage=snapshot.stage,
            preferred_agent_id=snapshot.preferred_agent_id,
            last_missed_by=snapshot.last_missed_by,
        )
        self._interactions[snapshot.interaction_id] = interaction
        slot = snapshot.channel.capacity_channel
        if snapshot.status is Status.WAITING:
            self._place(interaction, announce=False, requeued=False)
            return
        interaction.status = snapshot.status
        if snapshot.agent_id is not None:
            holder = self._restored_agent(snapshot.agent_id)
            interaction.agent_id = snapshot.agent_id
            holder.assigned.add(snapshot.interaction_id)
            holder.load[slot] += 1
        if snapshot.offer is not None:
            offer = snapshot.offer
            agent = self._restored_agent(offer.agent_id)
            interaction.offer = Offer(offer.offer_id, offer.agent_id, offer.expires_at, offer.kind)
            agent.offers.add(snapshot.interaction_id)
            agent.load[slot] += 1
            heapq.heappush(
                self._offer_timers, (offer.expires_at, offer.offer_id, snapshot.interaction_id)
            )

    def _restored_agent(self, agent_id: str) -> AgentAtWork:
        agent = self._agents.get(agent_id)
        if agent is None:
            raise RoutingError("bad_snapshot", f"unknown agent {agent_id!r}")
        return agent


def _interaction_snapshot(i: LiveInteraction) -> InteractionSnapshot:
    offer = None
    if i.offer is not None:
        offer = OfferSnapshot(i.offer.offer_id, i.offer.agent_id, i.offer.expires_at, i.offer.kind)
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
