"""The event catalogue: everything the routing engine reports, in one place.

Each event is a frozen dataclass with a dotted ``name``. The router service persists the state
they describe, then publishes them after commit. ``final_state_of(event)`` says whether an event
closes an interaction for good; every interaction receives exactly one such event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pasokh.routing.model import AgentState, FinalState, MaxWaitAction


class OfferKind(StrEnum):
    QUEUE = "queue"  # routed from a queue
    TRANSFER = "transfer"  # a blind transfer to a named agent
    CONSULT = "consult"  # a warm transfer: the first agent still holds the interaction


@dataclass(frozen=True)
class Event:
    name: ClassVar[str] = "event"


# ── configuration ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class AgentDefined(Event):
    name: ClassVar[str] = "agent.defined"
    agent_id: str


@dataclass(frozen=True)
class AgentRemoved(Event):
    name: ClassVar[str] = "agent.removed"
    agent_id: str


@dataclass(frozen=True)
class QueueDefined(Event):
    name: ClassVar[str] = "queue.defined"
    queue_id: str


@dataclass(frozen=True)
class QueueRemoved(Event):
    name: ClassVar[str] = "queue.removed"
    queue_id: str


# ── agents ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class AgentStateChanged(Event):
    name: ClassVar[str] = "agent.state_changed"
    agent_id: str
    previous: AgentState
    state: AgentState
    reason: str = ""


@dataclass(frozen=True)
class WrapUpStarted(Event):
    name: ClassVar[str] = "wrapup.started"
    agent_id: str
    interaction_id: str
    ends_at: datetime


@dataclass(frozen=True)
class WrapUpEnded(Event):
    name: ClassVar[str] = "wrapup.ended"
    agent_id: str
    interaction_id: str
    by: str  # "timer", "agent", "ready" or "logout"


# ── interactions waiting ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class InteractionQueued(Event):
    """Waiting in a queue: on arrival, or back after a rejected, expired or revoked offer."""

    name: ClassVar[str] = "interaction.queued"
    interaction_id: str
    queue_id: str
    priority: int
    arrived_at: datetime
    requeued: bool = False


@dataclass(frozen=True)
class InteractionRelaxed(Event):
    """A routing step widened the set of agents who may take the interaction."""

    name: ClassVar[str] = "interaction.relaxed"
    interaction_id: str
    queue_id: str
    stage: int
    expression: str


@dataclass(frozen=True)
class PreferredAgentReleased(Event):
    """The returning customer's agent did not take them in time; anyone may now."""

    name: ClassVar[str] = "interaction.preferred_agent_released"
    interaction_id: str
    agent_id: str


@dataclass(frozen=True)
class InteractionOverflowed(Event):
    name: ClassVar[str] = "interaction.overflowed"
    interaction_id: str
    from_queue_id: str
    to_queue_id: str


@dataclass(frozen=True)
class CallbackRequested(Event):
    """The interaction is now a callback; it keeps its arrival time and so its place."""

    name: ClassVar[str] = "interaction.callback_requested"
    interaction_id: str
    queue_id: str


@dataclass(frozen=True)
class InteractionMaxWaitReached(Event):
    """The queue's maximum wait passed. Voicemail and ticket close the interaction here; a
    callback keeps it waiting (``final_state`` is then None)."""

    name: ClassVar[str] = "interaction.max_wait_reached"
    interaction_id: str
    queue_id: str
    action: MaxWaitAction
    final_state: FinalState | None


# ── offers ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class InteractionOffered(Event):
    name: ClassVar[str] = "interaction.offered"
    interaction_id: str
    agent_id: str
    queue_id: str
    offer_id: int
    expires_at: datetime
    kind: OfferKind = OfferKind.QUEUE


@dataclass(frozen=True)
class OfferAccepted(Event):
    name: ClassVar[str] = "offer.accepted"
    interaction_id: str
    agent_id: str
    offer_id: int


@dataclass(frozen=True)
class OfferRejected(Event):
    name: ClassVar[str] = "offer.rejected"
    interaction_id: str
    agent_id: str
    offer_id: int
    reason: str = ""


@dataclass(frozen=True)
class OfferExpired(Event):
    name: ClassVar[str] = "offer.expired"
    interaction_id: str
    agent_id: str
    offer_id: int


@dataclass(frozen=True)
class OfferRevoked(Event):
    """The engine withdrew a ringing offer (agent went not ready, customer left, ...)."""

    name: ClassVar[str] = "offer.revoked"
    interaction_id: str
    agent_id: str
    offer_id: int
    reason: str


# ── interactions handled ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class InteractionAssigned(Event):
    name: ClassVar[str] = "interaction.assigned"
    interaction_id: str
    agent_id: str
    queue_id: str


@dataclass(frozen=True)
class InteractionTransferred(Event):
    """Not final: the interaction continues in another queue or with another agent."""

    name: ClassVar[str] = "interaction.transferred"
    interaction_id: str
    from_agent_id: str
    to_queue_id: str | None = None
    to_agent_id: str | None = None
    warm: bool = False


@dataclass(frozen=True)
class InteractionEnded(Event):
    name: ClassVar[str] = "interaction.ended"
    interaction_id: str
    agent_id: str
    queue_id: str
    final_state: FinalState = FinalState.COMPLETED


@dataclass(frozen=True)
class InteractionAbandoned(Event):
    name: ClassVar[str] = "interaction.abandoned"
    interaction_id: str
    queue_id: str
    waited_s: float
    final_state: FinalState = FinalState.ABANDONED


@dataclass(frozen=True)
class InteractionCancelled(Event):
    name: ClassVar[str] = "interaction.cancelled"
    interaction_id: str
    queue_id: str
    reason: str = ""
    final_state: FinalState = FinalState.CANCELLED


FinalEvent = (
    InteractionEnded | InteractionAbandoned | InteractionCancelled | InteractionMaxWaitReached
)


def final_state_of(event: Event) -> FinalState | None:
    """The final state this event puts its interaction in, or None if it is not final."""
    if isinstance(event, FinalEvent):
        return event.final_state
    return None


CATALOGUE: tuple[type[Event], ...] = (
    AgentDefined,
    AgentRemoved,
    QueueDefined,
    QueueRemoved,
    AgentStateChanged,
    WrapUpStarted,
    WrapUpEnded,
    InteractionQueued,
    InteractionRelaxed,
    PreferredAgentReleased,
    InteractionOverflowed,
    CallbackRequested,
    InteractionMaxWaitReached,
    InteractionOffered,
    OfferAccepted,
    OfferRejected,
    OfferExpired,
    OfferRevoked,
    InteractionAssigned,
    InteractionTransferred,
    InteractionEnded,
    InteractionAbandoned,
    InteractionCancelled,
)
