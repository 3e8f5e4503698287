"""Transfers and callbacks: blind to a queue or an agent, warm (consult) to an agent."""

from __future__ import annotations

from pasokh.routing import commands as c
from pasokh.routing.events import InteractionTransferred, OfferKind
from pasokh.routing.model import Channel
from pasokh.routing.state import AgentAtWork, LiveInteraction, RoutingError, Status
from pasokh.routing.timers import RoutingClock


class RoutingTransfers(RoutingClock):
    def _drop_consult(self, interaction: LiveInteraction, reason: str) -> AgentAtWork | None:
        if interaction.offer is None or interaction.offer.kind is not OfferKind.CONSULT:
            return None
        return self._revoke(interaction, reason)

    def _transfer_to_queue(self, command: c.TransferToQueue) -> None:
        interaction = self._interaction(command.interaction_id, Status.ASSIGNED)
        line = self._line(command.queue_id)
        if interaction.channel not in line.definition.channels:
            raise RoutingError("wrong_channel", f"{line.queue_id!r} takes no {interaction.channel}")
        holder = self._holder(interaction)
        consulted = self._drop_consult(interaction, "transferred")
        self._events.append(
            InteractionTransferred(
                interaction.interaction_id, holder.agent_id, to_queue_id=line.queue_id
            )
        )
        self._release_assignment(interaction, holder, wrap_up=True)
        self._move_to(interaction, line)
        self._return_to_queue_after_move(interaction, holder.agent_id)
        for agent in (holder, consulted):
            if agent is not None:
                self._route_agent(agent)

    def _return_to_queue_after_move(self, interaction: LiveInteraction, missed_by: str) -> None:
        interaction.last_missed_by = missed_by
        self._place(interaction, announce=True, requeued=False)
        self._route_interaction(interaction)

    def _transfer_to_agent(self, command: c.TransferToAgent) -> None:
        interaction = self._interaction(command.interaction_id, Status.ASSIGNED)
        target = self._agent(command.agent_id)
        holder = self._holder(interaction)
        if target is holder or not self._can_take(target, interaction.channel):
            raise RoutingError("agent_unavailable", f"{command.agent_id!r} cannot take it now")
        consulted = self._drop_consult(interaction, "transferred")
        self._events.append(
            InteractionTransferred(
                interaction.interaction_id, holder.agent_id, to_agent_id=target.agent_id
            )
        )
        self._release_assignment(interaction, holder, wrap_up=True)
        interaction.queued_at, interaction.stage = self.now, 0
        interaction.status, interaction.agent_id = Status.OFFERED, None
        self._offer(interaction, target, OfferKind.TRANSFER)
        for agent in (holder, consulted):
            if agent is not None:
                self._route_agent(agent)

    def _consult(self, command: c.ConsultTransfer) -> None:
        interaction = self._interaction(command.interaction_id, Status.ASSIGNED)
        target = self._agent(command.agent_id)
        if interaction.offer is not None:
            raise RoutingError("offer_live", f"{command.interaction_id!r} already has an offer")
        if target is self._holder(interaction) or not self._can_take(target, interaction.channel):
            raise RoutingError("agent_unavailable", f"{command.agent_id!r} cannot take it now")
        self._offer(interaction, target, OfferKind.CONSULT)

    def _request_callback(self, command: c.RequestCallback) -> None:
        interaction = self._interaction(command.interaction_id, Status.WAITING, Status.OFFERED)
        if interaction.channel is not Channel.VOICE:
            raise RoutingError("not_a_call", "only a waiting call can become a callback")
        agent = self._revoke(interaction, "callback_requested") if interaction.offer else None
        self._make_callback(interaction)
        if agent is not None:
            self._route_agent(agent)
