"""``RoutingEngine``: commands in, events out, the clock passed in.

    engine = RoutingEngine(schedule=tenant_calendar, policy=RoutingPolicy())
    events = engine.handle(EnqueueInteraction("i-1", Channel.CHAT, "sales"), now)

``handle`` is the only way to change the engine. A refused command raises ``RoutingError``
(with a stable ``code``) before anything changes. Read-only queries and ``snapshot()`` never
change what the engine will do next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pasokh.routing import commands as c
from pasokh.routing.core import WORK_CHANNELS, seconds
from pasokh.routing.events import (
    AgentDefined,
    AgentRemoved,
    Event,
    InteractionAbandoned,
    InteractionAssigned,
    InteractionCancelled,
    InteractionEnded,
    InteractionTransferred,
    OfferAccepted,
    OfferKind,
    OfferRejected,
    QueueDefined,
    QueueRemoved,
)
from pasokh.routing.model import (
    AgentDefinition,
    AgentState,
)
from pasokh.routing.state import (
    AgentAtWork,
    LiveInteraction,
    QueueLine,
    RoutingError,
    Status,
)
from pasokh.routing.transfers import RoutingTransfers


class RoutingEngine(RoutingTransfers):
    def handle(self, command: c.Command, now: datetime) -> list[Event]:
        """Apply one command at time ``now`` (timezone-aware, never earlier than the last)."""
        if now.tzinfo is None:
            raise RoutingError("naive_time", "now must be timezone-aware")
        if self._now is not None and now < self._now:
            raise RoutingError("clock_went_back", f"{now} is earlier than {self._now}")
        handler = _HANDLERS.get(type(command))
        if handler is None:
            raise RoutingError("unknown_command", f"{type(command).__name__} is not a command")
        was_open, previous_now = self._open, self._now
        self._now, self._open = now, self.schedule.is_open(now)
        events: list[Event] = []
        self._events = events
        try:
            handler(self, command)
        except RoutingError:
            self._now, self._open = previous_now, was_open
            raise
        if self._open and not was_open:
            # Business hours began: every ready agent looks at what has been waiting.
            for agent in sorted(self._agents.values(), key=lambda a: (a.idle_since, a.agent_id)):
                self._route_agent(agent)
        self._events = []
        return events

    # ── configuration ───────────────────────────────────────────────────────────────────────

    def _define_agent(self, command: c.DefineAgent) -> None:
        definition = command.agent
        agent = self._agents.get(definition.agent_id)
        if agent is None:
            agent = AgentAtWork(
                definition, definition.environment(), AgentState.OFFLINE, "", self.now, self.now
            )
            agent.load = dict.fromkeys(WORK_CHANNELS, 0)
            self._agents[definition.agent_id] = agent
        else:
            self._leave_queues(agent)
            agent.definition, agent.environment = definition, definition.environment()
        agent.limits = self._limits_of(definition)
        self._join_queues(agent, definition)
        self._events.append(AgentDefined(definition.agent_id))
        self._route_agent(agent)

    def _join_queues(self, agent: AgentAtWork, definition: AgentDefinition) -> None:
        priorities = sorted({m.priority for m in definition.profile}, reverse=True)
        agent.groups = [
            [m.queue_id for m in definition.profile if m.priority == priority]
            for priority in priorities
        ]
        for membership in definition.profile:
            line = self._queues.get(membership.queue_id)
            if line is not None:
                self._enrol(agent, line, membership.priority)
        self._refresh(agent)

    def _leave_queues(self, agent: AgentAtWork) -> None:
        for membership in agent.definition.profile:
            line = self._queues.get(membership.queue_id)
            if line is not None:
                self._unenrol(agent, line)

    def _remove_agent(self, command: c.RemoveAgent) -> None:
        agent = self._agent(command.agent_id)
        if agent.assigned:
            raise RoutingError("agent_busy", f"{command.agent_id!r} holds interactions")
        self._set_state(agent, AgentState.OFFLINE, "removed")
        self._revoke_offers_of(agent, "agent_removed")
        self._leave_queues(agent)
        del self._agents[command.agent_id]
        self._events.append(AgentRemoved(command.agent_id))

    def _define_queue(self, command: c.DefineQueue) -> None:
        definition = command.queue
        overflow = definition.overflow
        if overflow is not None:
            target = self._queues.get(str(overflow.overflow_to))
            if target is None:
                raise RoutingError("unknown_queue", f"overflow to unknown {overflow.overflow_to!r}")
            if not definition.channels & target.definition.channels:
                raise RoutingError(
                    "wrong_channel", f"{overflow.overflow_to!r} takes none of these channels"
                )
        queue_id = definition.queue_id
        previous = self._queues.get(queue_id)
        line = QueueLine(definition)
        if previous is not None:
            line.round_robin_cursor = previous.round_robin_cursor
            line.answered, line.answered_in_target = previous.answered, previous.answered_in_target
        self._queues[queue_id] = line
        for agent in self._agents.values():
            for membership in agent.definition.profile:
                if membership.queue_id == queue_id:
                    self._enrol(agent, line, membership.priority)
        if previous is not None:
            for iid in sorted(previous.waiting):
                self._place(self._interactions[iid], announce=False, requeued=False)
        self._events.append(QueueDefined(queue_id))
        for agent_id in sorted(a for a in line.members if self._agents[a].available):
            self._route_agent(self._agents[agent_id])

    def _remove_queue(self, command: c.RemoveQueue) -> None:
        self._line(command.queue_id)
        if any(i.queue_id == command.queue_id for i in self._interactions.values()):
            raise RoutingError("queue_in_use", f"{command.queue_id!r} still has interactions")
        for other in self._queues.values():
            overflow = other.definition.overflow
            if overflow is not None and overflow.overflow_to == command.queue_id:
                raise RoutingError("queue_in_use", f"{other.queue_id!r} overflows to it")
        del self._queues[command.queue_id]
        self._events.append(QueueRemoved(command.queue_id))

    # ── agents ──────────────────────────────────────────────────────────────────────────────

    def _log_in(self, command: c.LogInAgent) -> None:
        agent = self._agent(command.agent_id)
        if agent.state is not AgentState.OFFLINE:
            raise RoutingError("already_logged_in", f"{command.agent_id!r} is {agent.state}")
        if command.ready:
            self._set_state(agent, AgentState.READY)
        else:
            self._set_state(agent, AgentState.NOT_READY, "logged_in")
        self._route_agent(agent)

    def _log_out(self, command: c.LogOutAgent) -> None:
        agent = self._agent(command.agent_id)
        if agent.assigned:
            raise RoutingError("agent_busy", f"{command.agent_id!r} holds interactions")
        self._set_state(agent, AgentState.OFFLINE)
        for iid in sorted(agent.wrap_ups):
            self._end_wrap_up(agent, iid, "logout")
        self._revoke_offers_of(agent, "agent_logged_out")

    def _set_agent_state(self, command: c.SetAgentState) -> None:
        agent = self._agent(command.agent_id)
        if agent.state is AgentState.OFFLINE:
            raise RoutingError("agent_offline", f"{command.agent_id!r} must log in first")
        if command.state is AgentState.READY:
            for iid in sorted(agent.wrap_ups):
                self._end_wrap_up(agent, iid, "ready")
            self._set_state(agent, AgentState.READY)
            self._route_agent(agent)
        elif command.state is AgentState.NOT_READY:
            self._set_state(agent, AgentState.NOT_READY, command.reason)
            self._revoke_offers_of(agent, "agent_not_ready")
        else:
            raise RoutingError("invalid_state", f"agents cannot set {command.state} themselves")

    def _end_wrap_up_command(self, command: c.EndWrapUp) -> None:
        agent = self._agent(command.agent_id)
        if command.interaction_id is None:
            targets = sorted(agent.wrap_ups)
        elif command.interaction_id in agent.wrap_ups:
            targets = [command.interaction_id]
        else:
            targets = []
        if not targets:
            raise RoutingError("no_wrap_up", f"{command.agent_id!r} has no such wrap-up")
        for iid in targets:
            self._end_wrap_up(agent, iid, "agent")
        self._route_agent(agent)

    # ── interactions ────────────────────────────────────────────────────────────────────────

    def _enqueue(self, command: c.EnqueueInteraction) -> None:
        if command.interaction_id in self._interactions:
            raise RoutingError("duplicate_interaction", f"{command.interaction_id!r} is live")
        line = self._line(command.queue_id)
        if command.channel not in line.definition.channels:
            raise RoutingError("wrong_channel", f"{line.queue_id!r} takes no {command.channel}")
        arrived_at = command.arrived_at or self.now
        if not isinstance(arrived_at, datetime):
            raise RoutingError("bad_arrival", "arrived_at must be a datetime")
        preferred = command.attributes.get("preferred_agent_id")
        sticky = (
            isinstance(preferred, str)
            and preferred in line.members
            and line.definition.sticky_s > 0
        )
        self._next_order += 1
        interaction = LiveInteraction(
            command.interaction_id,
            command.channel,
            command.queue_id,
            line.definition.priority if command.priority is None else command.priority,
            dict(command.attributes),
            arrived_at,
            self.now,
            self._next_order,
            preferred_agent_id=preferred if sticky and isinstance(preferred, str) else None,
        )
        self._interactions[command.interaction_id] = interaction
        self._place(interaction, announce=True, requeued=False)
        self._route_interaction(interaction)

    def _accept(self, command: c.AcceptOffer) -> None:
        interaction = self._interaction(command.interaction_id)
        offer = interaction.offer
        if offer is None or offer.agent_id != command.agent_id:
            raise RoutingError("no_offer", f"{command.agent_id!r} has no offer of it")
        agent = self._agents[offer.agent_id]
        agent.offers.discard(interaction.interaction_id)
        agent.missed_offers = 0
        interaction.offer = None
        iid = interaction.interaction_id
        self._events.append(OfferAccepted(iid, agent.agent_id, offer.offer_id))
        if offer.kind is OfferKind.CONSULT:
            first = self._holder(interaction)
            self._events.append(
                InteractionTransferred(iid, first.agent_id, to_agent_id=agent.agent_id, warm=True)
            )
            self._release_assignment(interaction, first, wrap_up=True)
        else:
            interaction.status = Status.ASSIGNED
            line = self._queues[interaction.queue_id]
            line.answered += 1
            waited = self.now - interaction.arrived_at
            if waited <= seconds(line.definition.service_level.within_s):
                line.answered_in_target += 1
        interaction.agent_id = agent.agent_id
        interaction.preferred_agent_id = interaction.last_missed_by = None
        agent.assigned.add(iid)
        self._events.append(InteractionAssigned(iid, agent.agent_id, interaction.queue_id))
        if offer.kind is OfferKind.CONSULT:
            self._route_agent(first)

    def _reject(self, command: c.RejectOffer) -> None:
        interaction = self._interaction(command.interaction_id)
        offer = interaction.offer
        if offer is None or offer.agent_id != command.agent_id:
            raise RoutingError("no_offer", f"{command.agent_id!r} has no offer of it")
        offer, agent = self._release_offer(interaction)
        agent.missed_offers = 0
        self._events.append(
            OfferRejected(
                interaction.interaction_id, agent.agent_id, offer.offer_id, command.reason
            )
        )
        if offer.kind is not OfferKind.CONSULT:
            self._return_to_queue(interaction, agent.agent_id)
        self._route_agent(agent)

    def _end_interaction(self, command: c.EndInteraction) -> None:
        interaction = self._interaction(command.interaction_id, Status.ASSIGNED)
        self._complete(interaction)

    def _complete(self, interaction: LiveInteraction) -> None:
        agent = self._holder(interaction)
        consulted = self._drop_consult(interaction, "interaction_ended")
        del self._interactions[interaction.interaction_id]
        self._events.append(
            InteractionEnded(interaction.interaction_id, agent.agent_id, interaction.queue_id)
        )
        self._release_assignment(interaction, agent, wrap_up=True)
        self._route_agent(agent)
        if consulted is not None:
            self._route_agent(consulted)

    def _abandon(self, command: c.AbandonInteraction) -> None:
        interaction = self._interaction(command.interaction_id)
        if interaction.status is Status.ASSIGNED:
            # The customer hung up on the agent: that is how a handled contact ends.
            self._complete(interaction)
            return
        agent = self._revoke(interaction, "abandoned") if interaction.offer else None
        self._take_out(interaction)
        del self._interactions[interaction.interaction_id]
        waited = (self.now - interaction.arrived_at).total_seconds()
        self._events.append(
            InteractionAbandoned(interaction.interaction_id, interaction.queue_id, waited)
        )
        if agent is not None:
            self._route_agent(agent)

    def _cancel(self, command: c.CancelInteraction) -> None:
        interaction = self._interaction(command.interaction_id)
        freed: list[AgentAtWork] = []
        if interaction.offer is not None:
            freed.append(self._revoke(interaction, "cancelled"))
        if interaction.status is Status.ASSIGNED:
            holder = self._holder(interaction)
            self._release_assignment(interaction, holder, wrap_up=False)
            freed.append(holder)
        self._take_out(interaction)
        del self._interactions[interaction.interaction_id]
        self._events.append(
            InteractionCancelled(interaction.interaction_id, interaction.queue_id, command.reason)
        )
        for agent in freed:
            self._route_agent(agent)


_HANDLERS: Mapping[type[Any], Callable[[RoutingEngine, Any], None]] = {
    c.DefineAgent: RoutingEngine._define_agent,
    c.RemoveAgent: RoutingEngine._remove_agent,
    c.DefineQueue: RoutingEngine._define_queue,
    c.RemoveQueue: RoutingEngine._remove_queue,
    c.LogInAgent: RoutingEngine._log_in,
    c.LogOutAgent: RoutingEngine._log_out,
    c.SetAgentState: RoutingEngine._set_agent_state,
    c.EnqueueInteraction: RoutingEngine._enqueue,
    c.AcceptOffer: RoutingEngine._accept,
    c.RejectOffer: RoutingEngine._reject,
    c.Tick: RoutingEngine._tick,
    c.EndInteraction: RoutingEngine._end_interaction,
    c.EndWrapUp: RoutingEngine._end_wrap_up_command,
    c.AbandonInteraction: RoutingEngine._abandon,
    c.CancelInteraction: RoutingEngine._cancel,
    c.TransferToQueue: RoutingEngine._transfer_to_queue,
    c.TransferToAgent: RoutingEngine._transfer_to_agent,
    c.ConsultTransfer: RoutingEngine._consult,
    c.RequestCallback: RoutingEngine._request_callback,
}
