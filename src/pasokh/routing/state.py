"""The engine's moving parts: agents at work, interactions in flight, queues' waiting lines.

These are mutable, slot-based records owned by ``RoutingEngine``; nothing outside the engine
changes them. Read them through the engine's queries or a ``RoutingSnapshot``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias

from pasokh.routing.events import OfferKind
from pasokh.routing.expressions import Value
from pasokh.routing.model import AgentDefinition, AgentState, Channel, QueueDefinition

# A place in a waiting line: (-priority, arrived_at, order, ticket, interaction_id). The first
# three fields order it (higher priority first, then the longest waiting, then first come); the
# ticket tells a live entry from one left behind when the interaction moved on.
Entry: TypeAlias = tuple[int, datetime, int, int, str]

# One channel an agent has slots on: (channel, slots, channels whose load blocks new work on it,
# the channel's bit in a room mask).
Limit: TypeAlias = tuple[Channel, int, tuple[Channel, ...], int]


class RoutingError(Exception):
    """A command the engine refuses; nothing has changed. ``code`` is stable for callers."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Status(StrEnum):
    WAITING = "waiting"  # in a queue, no offer ringing
    OFFERED = "offered"  # an offer from its queue (or a blind transfer) is ringing
    ASSIGNED = "assigned"  # an agent holds it (a consult offer may ring on the side)


@dataclass(slots=True)
class Offer:
    offer_id: int
    agent_id: str
    expires_at: datetime
    kind: OfferKind


@dataclass(slots=True)
class LiveInteraction:
    interaction_id: str
    channel: Channel
    queue_id: str
    priority: int
    attributes: dict[str, Value]
    arrived_at: datetime  # first arrival; kept across requeues, transfers and callbacks
    queued_at: datetime  # entered the current queue; steps and maximum wait count from here
    order: int  # first-come tie-break among equal arrival times
    status: Status = Status.WAITING
    stage: int = 0
    preferred_agent_id: str | None = None  # only this agent may take it, until released
    last_missed_by: str | None = None  # offered elsewhere first, if anyone else can take it
    agent_id: str | None = None
    offer: Offer | None = None
    ticket: int = 0  # changes whenever it is (re)placed in a waiting heap
    # The heap holding its live entry while it waits (None otherwise), so that leaving the
    # line can clean that heap's head at once (see ``RoutingCore._leave_heap``).
    heap: list[Entry] | None = None
    arrival_ticket: int = 0  # changes whenever it (re)joins its queue's line by arrival

    def entry(self) -> Entry:
        return (-self.priority, self.arrived_at, self.order, self.ticket, self.interaction_id)


@dataclass(slots=True)
class AgentAtWork:
    definition: AgentDefinition
    environment: dict[str, Value]
    state: AgentState
    reason: str
    state_since: datetime
    idle_since: datetime
    load: dict[Channel, int] = field(default_factory=dict)
    offers: set[str] = field(default_factory=set)  # interactions with an offer ringing here
    assigned: set[str] = field(default_factory=set)
    wrap_ups: dict[str, datetime] = field(default_factory=dict)  # interaction -> ends at
    missed_offers: int = 0
    available: bool = False  # some room on some channel
    room: frozenset[Channel] = frozenset()  # capacity channels that can take an offer now
    room_mask: int = 0  # the same, as bits (see ``RoutingCore._refresh``)
    # What room depends on, from the definition and the policy (``RoutingCore._limits_of``).
    limits: tuple[Limit, ...] = ()
    groups: list[list[str]] = field(default_factory=list)  # profile queues, priority groups

    agent_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.agent_id = self.definition.agent_id

    @property
    def total_load(self) -> int:
        return sum(self.load.values())


class Bucket(list[Entry]):
    """A heap of waiting interactions that accept exactly the same agents: one queue, one
    channel, one stage, so only its head needs looking at.

    Entries of interactions that moved on stay in the heap until they surface, but never at its
    head: whoever leaves a bucket drops the stale entries above the first live one. And while
    a bucket holds anyone it is listed in its queue's ``by_slot``, so matching never visits an
    empty one (most are: on a busy floor the line is mostly at its last stage).
    """

    __slots__ = ("key", "listing", "stage")
    key: tuple[Channel, int]  # (channel, stage)
    stage: int
    listing: dict[tuple[Channel, int], Bucket]  # where it is listed while not empty

    def __init__(
        self, key: tuple[Channel, int], listing: dict[tuple[Channel, int], Bucket]
    ) -> None:
        super().__init__()
        self.key, self.stage, self.listing = key, key[1], listing


@dataclass(slots=True)
class QueueLine:
    definition: QueueDefinition
    # Waiting interactions that anyone eligible may take, one bucket per (channel, stage).
    buckets: dict[tuple[Channel, int], Bucket] = field(default_factory=dict)
    # Waiting interactions that only their preferred (returning) agent may take yet.
    sticky: dict[str, list[Entry]] = field(default_factory=dict)
    by_arrival: list[tuple[datetime, int, int, str]] = field(default_factory=list)
    waiting: set[str] = field(default_factory=set)
    # The buckets that hold anyone, by the capacity channel they need: slot -> {key: bucket}.
    by_slot: dict[Channel, dict[tuple[Channel, int], Bucket]] = field(
        default_factory=lambda: {channel.capacity_channel: {} for channel in Channel}
    )
    members: dict[str, int] = field(default_factory=dict)  # agent id -> profile priority
    # Per stage, the members whose attributes match that stage's expression. Attributes and
    # expressions change only on redefinition, so this is computed then, not while routing.
    # (Who has room right now is the engine's, per channel: ``RoutingCore._room_on``.)
    eligible: list[set[str]] = field(default_factory=list)
    # Per stage, members' levels for ``highest_proficiency`` (filled only for that strategy),
    # computed at the same moments and for the same reason.
    proficiency: list[dict[str, int]] = field(default_factory=list)
    round_robin_cursor: str | None = None
    answered: int = 0  # offers from this queue that were accepted
    answered_in_target: int = 0  # ... within the service-level threshold of arrival

    queue_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.queue_id = self.definition.queue_id
        self.eligible = [set() for _ in self.definition.stages]
        self.proficiency = [{} for _ in self.definition.stages]
