"""Commands: what the router service asks the engine to do.

Each is a small frozen dataclass; ``RoutingEngine.handle(command, now)`` answers with events.
The clock is the ``now`` argument of ``handle``, never a field, so a command replays the same
way whenever it is handled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pasokh.routing.expressions import Value
from pasokh.routing.model import AgentDefinition, AgentState, Channel, QueueDefinition

# ── configuration ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class DefineAgent:
    """Create an agent, or replace the definition of an existing one (its work is kept)."""

    agent: AgentDefinition


@dataclass(frozen=True)
class RemoveAgent:
    """Forget an agent. Refused while the agent holds an interaction."""

    agent_id: str


@dataclass(frozen=True)
class DefineQueue:
    """Create a queue, or replace the definition of an existing one (its waiting line is kept)."""

    queue: QueueDefinition


@dataclass(frozen=True)
class RemoveQueue:
    """Forget a queue. Refused while an interaction is in it."""

    queue_id: str


# ── agents ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class LogInAgent:
    agent_id: str
    ready: bool = False


@dataclass(frozen=True)
class LogOutAgent:
    """Refused while the agent holds an interaction; live offers go back to their queues."""

    agent_id: str


@dataclass(frozen=True)
class SetAgentState:
    """Ready or not ready (with a reason code). Wrap-up and offline are reached otherwise."""

    agent_id: str
    state: AgentState
    reason: str = ""


# ── interactions ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class EnqueueInteraction:
    """A new contact arrives. ``attributes["preferred_agent_id"]`` asks for a returning agent.

    ``priority`` defaults to the queue's priority; ``arrived_at`` defaults to ``now``.
    """

    interaction_id: str
    channel: Channel
    queue_id: str
    priority: int | None = None
    attributes: Mapping[str, Value] = field(default_factory=dict)
    arrived_at: datetime | None = None


@dataclass(frozen=True)
class AcceptOffer:
    interaction_id: str
    agent_id: str


@dataclass(frozen=True)
class RejectOffer:
    interaction_id: str
    agent_id: str
    reason: str = ""


@dataclass(frozen=True)
class Tick:
    """Let time pass: expire offers, end wrap-up timers, relax steps, apply maximum waits."""


@dataclass(frozen=True)
class EndInteraction:
    """The agent hung up or closed the conversation: it is completed; wrap-up may follow."""

    interaction_id: str


@dataclass(frozen=True)
class EndWrapUp:
    """The agent finished after-call work early (one interaction's, or all of it)."""

    agent_id: str
    interaction_id: str | None = None


@dataclass(frozen=True)
class AbandonInteraction:
    """The customer left. A waiting or offered interaction is abandoned."""

    interaction_id: str


@dataclass(frozen=True)
class CancelInteraction:
    """The service withdraws an interaction in any state (spam, duplicate, channel closed)."""

    interaction_id: str
    reason: str = ""


@dataclass(frozen=True)
class TransferToQueue:
    """Blind transfer: the agent lets go and the interaction waits in another queue, keeping
    its arrival time and priority."""

    interaction_id: str
    queue_id: str


@dataclass(frozen=True)
class TransferToAgent:
    """Blind transfer to a named agent who must be free to take it now. If they reject it or
    let the offer expire, it waits in its queue with its arrival time and priority."""

    interaction_id: str
    agent_id: str


@dataclass(frozen=True)
class ConsultTransfer:
    """Warm transfer: the named agent is offered the interaction while the first agent keeps
    it. On accept the first agent leaves; on reject or time-out the first agent keeps it."""

    interaction_id: str
    agent_id: str


@dataclass(frozen=True)
class RequestCallback:
    """A waiting customer asks to be called back: they keep their place in the queue."""

    interaction_id: str


Command = (
    DefineAgent
    | RemoveAgent
    | DefineQueue
    | RemoveQueue
    | LogInAgent
    | LogOutAgent
    | SetAgentState
    | EnqueueInteraction
    | AcceptOffer
    | RejectOffer
    | Tick
    | EndInteraction
    | EndWrapUp
    | AbandonInteraction
    | CancelInteraction
    | TransferToQueue
    | TransferToAgent
    | ConsultTransfer
    | RequestCallback
)
