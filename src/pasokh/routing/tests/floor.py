"""A tiny contact-center floor for tests: an engine, a clock, and sentence-like helpers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from pasokh.routing.commands import (
    AcceptOffer,
    Command,
    DefineAgent,
    DefineQueue,
    EnqueueInteraction,
    LogInAgent,
    Tick,
)
from pasokh.routing.engine import RoutingEngine
from pasokh.routing.events import Event, InteractionOffered
from pasokh.routing.model import (
    ALWAYS_OPEN,
    AgentDefinition,
    Channel,
    QueueDefinition,
    QueueMembership,
    RoutingPolicy,
    Schedule,
)

T0 = datetime(2026, 3, 21, 6, 30, tzinfo=UTC)  # Nowruz morning, Tehran 10:00
ALL_CHANNELS = frozenset({Channel.VOICE, Channel.CHAT, Channel.EMAIL, Channel.MESSAGING})


class Floor:
    def __init__(self, schedule: Schedule = ALWAYS_OPEN, policy: RoutingPolicy | None = None):
        self.engine = RoutingEngine(schedule, policy)
        self.now = T0
        self.log: list[Event] = []

    def do(self, command: Command) -> list[Event]:
        events = self.engine.handle(command, self.now)
        self.log.extend(events)
        return events

    def later(self, seconds: float) -> list[Event]:
        self.now += timedelta(seconds=seconds)
        return self.do(Tick())

    def queue(self, queue_id: str = "q", **options: Any) -> list[Event]:
        options.setdefault("channels", ALL_CHANNELS)
        options["channels"] = frozenset(options["channels"])
        return self.do(DefineQueue(QueueDefinition(queue_id, **options)))

    def agent(
        self,
        agent_id: str,
        queues: Iterable[str | tuple[str, int]] = ("q",),
        ready: bool = True,
        **definition: Any,
    ) -> list[Event]:
        profile = tuple(
            QueueMembership(q) if isinstance(q, str) else QueueMembership(*q) for q in queues
        )
        events = self.do(DefineAgent(AgentDefinition(agent_id, profile=profile, **definition)))
        return events + self.do(LogInAgent(agent_id, ready=ready))

    def arrive(
        self, iid: str, queue: str = "q", channel: Channel = Channel.VOICE, **options: Any
    ) -> list[Event]:
        return self.do(EnqueueInteraction(iid, channel, queue, **options))

    def answer(self, iid: str) -> list[Event]:
        """The agent the interaction is ringing for accepts it."""
        offer = self.engine.live_offer(iid)
        assert offer is not None, f"{iid} is not ringing anywhere"
        return self.do(AcceptOffer(iid, offer.agent_id))

    def ringing(self, iid: str) -> str | None:
        offer = self.engine.live_offer(iid)
        return None if offer is None else offer.agent_id


def offers_in(events: Iterable[Event]) -> list[tuple[str, str]]:
    return [(e.interaction_id, e.agent_id) for e in events if isinstance(e, InteractionOffered)]


def names(events: Iterable[Event]) -> list[str]:
    return [e.name for e in events]
