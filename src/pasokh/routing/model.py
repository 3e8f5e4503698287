"""The nouns of routing: channels, agents, queues, steps, policies and schedules.

Everything here is configuration: frozen values that the router service builds from its tables
and hands to the engine in ``DefineAgent`` / ``DefineQueue`` commands. The engine's moving
parts (who is ready, what is waiting, which offer is ringing) live in ``state.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Final, Protocol

from pasokh.routing.expressions import Expression, Value, parse


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    MESSAGING = "messaging"
    # A callback is a voice call the agent places to a customer who asked to be called back.
    CALLBACK = "callback"

    @property
    def capacity_channel(self) -> Channel:
        """The channel whose capacity this work uses: a callback occupies a voice line."""
        return Channel.VOICE if self is Channel.CALLBACK else self


DEFAULT_CAPACITY: Final[Mapping[Channel, int]] = {
    Channel.VOICE: 1,
    Channel.CHAT: 3,
    Channel.EMAIL: 5,
    Channel.MESSAGING: 5,
}


class AgentState(StrEnum):
    READY = "ready"
    NOT_READY = "not_ready"
    WRAP_UP = "wrap_up"
    OFFLINE = "offline"


class FinalState(StrEnum):
    """How an interaction leaves routing. Each interaction reaches exactly one of these."""

    COMPLETED = "completed"  # an agent handled it and ended it
    ABANDONED = "abandoned"  # the customer left before an agent took it
    VOICEMAIL = "voicemail"  # the maximum wait sent the caller to voicemail
    TICKET = "ticket"  # the maximum wait turned the contact into a ticket
    CANCELLED = "cancelled"  # the service withdrew it (spam, duplicate, channel closed)


class Strategy(StrEnum):
    LONGEST_IDLE = "longest_idle"
    LEAST_OCCUPIED = "least_occupied"
    ROUND_ROBIN = "round_robin"
    HIGHEST_PROFICIENCY = "highest_proficiency"


class MaxWaitAction(StrEnum):
    VOICEMAIL = "voicemail"
    CALLBACK = "callback"
    TICKET = "ticket"


class Schedule(Protocol):
    """Business hours. The Django side passes the tenant's Iranian calendar."""

    def is_open(self, at: datetime) -> bool: ...


class AlwaysOpen:
    def is_open(self, at: datetime) -> bool:
        return True


ALWAYS_OPEN: Final = AlwaysOpen()


@dataclass(frozen=True)
class CrossChannelRule:
    """Which channels' live work blocks new offers on which other channels.

    ``CrossChannelRule.of({Channel.VOICE: {Channel.CHAT}})`` says an agent on a call (or with a
    call ringing) is offered no new chat; chats already open continue.
    """

    blocks: tuple[tuple[Channel, frozenset[Channel]], ...] = ()

    @classmethod
    def of(cls, blocks: Mapping[Channel, set[Channel] | frozenset[Channel]]) -> CrossChannelRule:
        return cls(tuple(sorted((busy, frozenset(new)) for busy, new in blocks.items())))

    @classmethod
    def independent(cls) -> CrossChannelRule:
        return cls()

    @cached_property
    def blocked_by(self) -> Mapping[Channel, frozenset[Channel]]:
        """For each new channel, the channels whose load forbids it."""
        result: dict[Channel, set[Channel]] = {}
        for busy, new_channels in self.blocks:
            for new in new_channels:
                result.setdefault(new.capacity_channel, set()).add(busy.capacity_channel)
        return {new: frozenset(busy) for new, busy in result.items()}


DEFAULT_CROSS_CHANNEL_RULE: Final = CrossChannelRule.of(
    {Channel.VOICE: {Channel.CHAT, Channel.MESSAGING}}
)


@dataclass(frozen=True)
class RoutingPolicy:
    """Per-tenant rules that are not tied to one queue."""

    cross_channel: CrossChannelRule = DEFAULT_CROSS_CHANNEL_RULE
    missed_offers_limit: int = 2


@dataclass(frozen=True)
class QueueMembership:
    """One line of an agent's routing profile: serve this queue at this priority (higher first)."""

    queue_id: str
    priority: int = 1


@dataclass(frozen=True)
class AgentDefinition:
    agent_id: str
    skills: Mapping[str, int] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    extra: Mapping[str, Value] = field(default_factory=dict)
    capacity: Mapping[Channel, int] = field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    profile: tuple[QueueMembership, ...] = ()

    def __post_init__(self) -> None:
        for skill, level in self.skills.items():
            if not 0 <= level <= 10:
                raise ValueError(f"skill {skill!r} of agent {self.agent_id!r} must be 0–10")
        for channel, slots in self.capacity.items():
            if slots < 0 or channel is Channel.CALLBACK:
                raise ValueError(f"capacity for {channel} of agent {self.agent_id!r} is invalid")
        queue_ids = [membership.queue_id for membership in self.profile]
        if len(set(queue_ids)) != len(queue_ids):
            raise ValueError(f"agent {self.agent_id!r} lists a queue twice in the profile")

    def environment(self) -> dict[str, Value]:
        """The names a routing expression sees for this agent."""
        env: dict[str, Value] = dict(self.extra)
        env.update(self.skills)
        env["languages"] = env["language"] = self.languages
        env["teams"] = env["team"] = self.teams
        return env

    def capacity_for(self, channel: Channel) -> int:
        return self.capacity.get(channel.capacity_channel, 0)


@dataclass(frozen=True)
class Step:
    """After ``after_s`` seconds in the queue, relax the target or overflow to another queue."""

    after_s: int
    expression: str | None = None
    overflow_to: str | None = None

    def __post_init__(self) -> None:
        if (self.expression is None) == (self.overflow_to is None):
            raise ValueError("a step either relaxes the expression or overflows, not both")
        if self.after_s <= 0:
            raise ValueError("a step starts after a positive number of seconds")


@dataclass(frozen=True)
class ServiceLevel:
    """The share of interactions to answer within a threshold, e.g. 80 % within 20 s."""

    fraction: float = 0.8
    within_s: int = 20


@dataclass(frozen=True)
class Stage:
    """One expression in force from ``after_s`` seconds of waiting (stage 0 starts at 0)."""

    after_s: int
    expression: Expression


@dataclass(frozen=True)
class QueueDefinition:
    queue_id: str
    channels: frozenset[Channel]
    target: str = "true"
    steps: tuple[Step, ...] = ()
    priority: int = 5
    strategy: Strategy = Strategy.LONGEST_IDLE
    proficiency_skill: str | None = None
    service_level: ServiceLevel = ServiceLevel()
    wrap_up_s: int = 30
    offer_timeout_s: int = 20
    max_wait_s: int | None = None
    max_wait_action: MaxWaitAction = MaxWaitAction.VOICEMAIL
    route_outside_hours: bool = False
    sticky_s: int = 0

    def __post_init__(self) -> None:
        if not self.channels:
            raise ValueError(f"queue {self.queue_id!r} serves no channel")
        if Channel.VOICE in self.channels and Channel.CALLBACK not in self.channels:
            # A caller who asks for a callback keeps their place in the same queue.
            object.__setattr__(self, "channels", self.channels | {Channel.CALLBACK})
        times = [step.after_s for step in self.steps]
        if times != sorted(times) or len(set(times)) != len(times):
            raise ValueError(f"steps of queue {self.queue_id!r} must have increasing after_s")
        overflows = [step for step in self.steps if step.overflow_to is not None]
        if len(overflows) > 1 or (overflows and overflows[0] is not self.steps[-1]):
            raise ValueError(f"queue {self.queue_id!r} may overflow once, as its last step")
        if overflows and overflows[0].overflow_to == self.queue_id:
            raise ValueError(f"queue {self.queue_id!r} cannot overflow to itself")
        self.stages  # noqa: B018 - parse every expression now so a bad one fails at definition

    @cached_property
    def stages(self) -> tuple[Stage, ...]:
        stages = [Stage(0, parse(self.target))]
        stages.extend(
            Stage(step.after_s, parse(step.expression))
            for step in self.steps
            if step.expression is not None
        )
        return tuple(stages)

    @cached_property
    def overflow(self) -> Step | None:
        if self.steps and self.steps[-1].overflow_to is not None:
            return self.steps[-1]
        return None
