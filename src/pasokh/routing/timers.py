"""What the passing of time does: offers expire, steps relax, maximum waits act.

Only ``Tick`` runs these; every other command leaves time-driven changes to the next tick, so
a replay with the same ticks gives the same events.
"""

from __future__ import annotations

import heapq

from pasokh.routing import commands as c
from pasokh.routing.events import (
    CallbackRequested,
    InteractionMaxWaitReached,
    InteractionOverflowed,
    InteractionRelaxed,
    OfferExpired,
    OfferKind,
    PreferredAgentReleased,
)
from pasokh.routing.model import AgentState, Channel, FinalState, MaxWaitAction
from pasokh.routing.queries import RoutingQueries
from pasokh.routing.state import LiveInteraction, QueueLine

_FINAL_BY_ACTION = {
    MaxWaitAction.VOICEMAIL: FinalState.VOICEMAIL,
    MaxWaitAction.TICKET: FinalState.TICKET,
}


class RoutingClock(RoutingQueries):
    def _tick(self, command: c.Tick) -> None:
        now = self.now
        timers = self._offer_timers
        while timers and timers[0][0] <= now:
            _, offer_id, iid = heapq.heappop(timers)
            interaction = self._interactions.get(iid)
            if interaction and interaction.offer and interaction.offer.offer_id == offer_id:
                self._expire(interaction)
        wrap_ups = self._wrap_up_timers
        while wrap_ups and wrap_ups[0][0] <= now:
            ends_at, agent_id, iid = heapq.heappop(wrap_ups)
            agent = self._agents.get(agent_id)
            if agent is not None and agent.wrap_ups.get(iid) == ends_at:
                self._end_wrap_up(agent, iid, "timer")
                self._route_agent(agent)
        waits = self._wait_timers
        while waits and waits[0][0] <= now:
            _, _, ticket, iid = heapq.heappop(waits)
            interaction = self._interactions.get(iid)
            # Still waiting where this timer put it (a live entry: ``_is_live_entry``)?
            if interaction and interaction.heap is not None and interaction.ticket == ticket:
                self._advance(interaction)

    def _expire(self, interaction: LiveInteraction) -> None:
        offer, agent = self._release_offer(interaction)
        self._events.append(
            OfferExpired(interaction.interaction_id, agent.agent_id, offer.offer_id)
        )
        agent.missed_offers += 1
        limit = self.policy.missed_offers_limit
        if agent.missed_offers >= limit and agent.state in (AgentState.READY, AgentState.WRAP_UP):
            self._set_state(agent, AgentState.NOT_READY, "missed_offers")
            agent.missed_offers = 0
            self._revoke_offers_of(agent, "agent_not_ready")
        if offer.kind is not OfferKind.CONSULT:
            self._return_to_queue(interaction, agent.agent_id)
        self._route_agent(agent)

    def _advance(self, interaction: LiveInteraction) -> None:
        """A waiting interaction's timer is due: maximum wait, overflow, sticky, next stage."""
        line = self._queues[interaction.queue_id]
        definition = line.definition
        waited = (self.now - interaction.queued_at).total_seconds()
        max_wait = definition.max_wait_s
        if interaction.channel is Channel.CALLBACK:
            max_wait = None
        overflow = definition.overflow
        target = self._overflow_target(interaction, line) if overflow else None
        overflow_at = overflow.after_s if target and overflow else None
        max_wait_first = overflow_at is None or (max_wait is not None and max_wait <= overflow_at)
        if max_wait is not None and waited >= max_wait and max_wait_first:
            self._max_wait(interaction, line)
            return
        if target is not None and overflow_at is not None and waited >= overflow_at:
            self._overflow(interaction, line, target)
            return
        iid = interaction.interaction_id
        preferred = interaction.preferred_agent_id
        if preferred is not None and waited >= definition.sticky_s:
            interaction.preferred_agent_id = None
            self._events.append(PreferredAgentReleased(iid, preferred))
        stages = definition.stages
        stage = interaction.stage
        while stage + 1 < len(stages) and waited >= stages[stage + 1].after_s:
            stage += 1
        if stage != interaction.stage:
            interaction.stage = stage
            text = stages[stage].expression.text
            self._events.append(InteractionRelaxed(iid, line.queue_id, stage, text))
        self._file(interaction, line)  # same queue, same place in its line by arrival
        self._route_interaction(interaction)

    def _max_wait(self, interaction: LiveInteraction, line: QueueLine) -> None:
        action = line.definition.max_wait_action
        final = _FINAL_BY_ACTION.get(action)
        iid = interaction.interaction_id
        self._events.append(InteractionMaxWaitReached(iid, line.queue_id, action, final))
        if final is None:
            self._make_callback(interaction)
        else:
            self._take_out(interaction)
            del self._interactions[iid]

    def _overflow(self, interaction: LiveInteraction, line: QueueLine, target: QueueLine) -> None:
        self._take_out(interaction)
        self._events.append(
            InteractionOverflowed(interaction.interaction_id, line.queue_id, target.queue_id)
        )
        self._move_to(interaction, target)
        self._place(interaction, announce=True, requeued=False)
        self._route_interaction(interaction)

    def _make_callback(self, interaction: LiveInteraction) -> None:
        interaction.channel = Channel.CALLBACK
        self._events.append(CallbackRequested(interaction.interaction_id, interaction.queue_id))
        self._place(interaction, announce=False, requeued=False)
        self._route_interaction(interaction)

    def _move_to(self, interaction: LiveInteraction, line: QueueLine) -> None:
        interaction.queue_id = line.queue_id
        interaction.queued_at = self.now
        interaction.stage = 0
        interaction.preferred_agent_id = None
