"""The routing core's benchmark: a busy floor, a realistic command mix, per-command latency.

    python -m pasokh.routing.bench [--commands 100000] [--seed 7]

The floor has 1,000 agents, 100 queues and about 10,000 interactions waiting. Agents accept,
reject and end work, finish wrap-up, take breaks; customers arrive and some give up; the
clock ticks. Only ``engine.handle`` is timed (``time.perf_counter_ns``); choosing the next
command from the events is bookkeeping outside the measurement. This is the only module of
the routing package that reads a clock.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from pasokh.routing import commands as c
from pasokh.routing import events as e
from pasokh.routing.engine import RoutingEngine
from pasokh.routing.model import (
    AgentDefinition,
    AgentState,
    Channel,
    QueueDefinition,
    QueueMembership,
    Step,
    Strategy,
)

START = datetime(2026, 3, 21, 6, 30, tzinfo=UTC)
CHANNELS = (Channel.VOICE, Channel.CHAT, Channel.EMAIL)
CHANNEL_WEIGHTS = (5, 3, 2)


class Bag:
    """A set with O(1) random choice."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, item: str) -> None:
        if item not in self.index:
            self.index[item] = len(self.items)
            self.items.append(item)

    def discard(self, item: str) -> None:
        position = self.index.pop(item, None)
        if position is None:
            return
        last = self.items.pop()
        if position < len(self.items):
            self.items[position] = last
            self.index[last] = position

    def choice(self, rng: random.Random) -> str | None:
        return self.items[rng.randrange(len(self.items))] if self.items else None

    def __len__(self) -> int:
        return len(self.items)


class Floor:
    """What the benchmark driver knows, learnt from events only."""

    def __init__(self) -> None:
        self.waiting = Bag()
        self.offers: dict[str, str] = {}
        self.ringing = Bag()
        self.assigned = Bag()
        self.wrapping = Bag()
        self.ready = Bag()
        self.not_ready = Bag()
        self.wrap_ups: Counter[str] = Counter()

    def learn(self, events: list[e.Event]) -> None:
        for event in events:
            if isinstance(event, e.InteractionQueued):
                self.waiting.add(event.interaction_id)
            elif isinstance(event, e.InteractionOffered):
                self.waiting.discard(event.interaction_id)
                self.offers[event.interaction_id] = event.agent_id
                self.ringing.add(event.interaction_id)
            elif isinstance(
                event, e.OfferAccepted | e.OfferRejected | e.OfferExpired | e.OfferRevoked
            ):
                self._unring(event.interaction_id)
            elif isinstance(event, e.InteractionAssigned):
                self.assigned.add(event.interaction_id)
            elif e.final_state_of(event) is not None:
                iid = getattr(event, "interaction_id", "")
                self.waiting.discard(iid)
                self.assigned.discard(iid)
                self._unring(iid)
            elif isinstance(event, e.WrapUpStarted):
                self.wrap_ups[event.agent_id] += 1
                self.wrapping.add(event.agent_id)
            elif isinstance(event, e.WrapUpEnded):
                self.wrap_ups[event.agent_id] -= 1
                if self.wrap_ups[event.agent_id] <= 0:
                    self.wrapping.discard(event.agent_id)
            elif isinstance(event, e.AgentStateChanged):
                self.ready.discard(event.agent_id)
                self.not_ready.discard(event.agent_id)
                if event.state is AgentState.READY:
                    self.ready.add(event.agent_id)
                elif event.state is AgentState.NOT_READY:
                    self.not_ready.add(event.agent_id)

    def _unring(self, iid: str) -> None:
        self.offers.pop(iid, None)
        self.ringing.discard(iid)


def build_floor(
    rng: random.Random, agents: int, queues: int, waiting: int
) -> tuple[RoutingEngine, Floor, datetime]:
    engine = RoutingEngine()
    floor = Floor()
    now = START
    strategies = list(Strategy)
    for q in range(queues):
        steps: tuple[Step, ...] = (Step(30, f"s{q} >= 1"), Step(120, "fa >= 1"))
        definition = QueueDefinition(
            f"q{q}",
            frozenset(CHANNELS),
            target=f"s{q} >= 3 and fa >= 2",
            steps=steps,
            priority=rng.randint(1, 9),
            strategy=strategies[q % len(strategies)],
            wrap_up_s=rng.choice([0, 10, 30]),
        )
        floor.learn(engine.handle(c.DefineQueue(definition), now))
    for a in range(agents):
        served = rng.sample(range(queues), 5)
        skills = {f"s{q}": rng.randint(1, 10) for q in served}
        skills["fa"] = rng.randint(1, 10)
        profile = tuple(QueueMembership(f"q{q}", rng.randint(1, 3)) for q in served)
        capacity = {Channel.VOICE: 1, Channel.CHAT: 2, Channel.EMAIL: 2}
        agent = AgentDefinition(f"a{a}", skills=skills, capacity=capacity, profile=profile)
        floor.learn(engine.handle(c.DefineAgent(agent), now))
        floor.learn(engine.handle(c.LogInAgent(f"a{a}", ready=True), now))
    number = 0
    # Customers arrive over a few minutes (so steps relax a few at a time, as on a real
    # floor), agents accept what they are offered, and the line grows to the wanted length.
    while len(floor.waiting) < waiting:
        number += 1
        now += timedelta(milliseconds=rng.randint(0, 20))
        floor.learn(engine.handle(_arrival(rng, number, queues), now))
        for iid, agent_id in list(floor.offers.items()):
            floor.learn(engine.handle(c.AcceptOffer(iid, agent_id), now))
        if number % 50 == 0:
            floor.learn(engine.handle(c.Tick(), now))
    return engine, floor, now


def _arrival(rng: random.Random, number: int, queues: int) -> c.EnqueueInteraction:
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    return c.EnqueueInteraction(
        f"i{number}", channel, f"q{rng.randrange(queues)}", priority=rng.choice([None, 3, 7])
    )


def run_core_benchmark(
    seed: int = 7,
    commands: int = 100_000,
    agents: int = 1_000,
    queues: int = 100,
    waiting: int = 10_000,
) -> dict[str, Any]:
    rng = random.Random(seed)  # noqa: S311 - a seeded, repeatable workload
    engine, floor, now = build_floor(rng, agents, queues, waiting)
    # The floor is long-lived state; a router service freezes it out of the cyclic garbage
    # collector's sight after loading, as this does, so collections stay short.
    gc.collect()
    gc.freeze()
    number = 10 * waiting
    latencies: list[int] = []
    # CPU time of the same calls: on a shared machine, wall time also counts the moments the
    # scheduler gave our core to someone else; both are reported.
    cpu_times: list[int] = []
    mix: Counter[str] = Counter()
    kinds = ["enqueue", "accept", "reject", "end", "wrap_up", "state", "abandon", "tick"]
    weights = [22, 24, 2, 22, 8, 4, 3, 15]
    while len(latencies) < commands:
        kind = rng.choices(kinds, weights)[0]
        now += timedelta(milliseconds=rng.randint(0, 20))
        command = _next_command(kind, rng, floor, queues, number)
        if command is None:
            continue
        if kind == "enqueue":
            number += 1
        cpu_started = time.thread_time_ns()
        started = time.perf_counter_ns()
        events = engine.handle(command, now)
        latencies.append(time.perf_counter_ns() - started)
        cpu_times.append(time.thread_time_ns() - cpu_started)
        mix[kind] += 1
        floor.learn(events)
    latencies.sort()
    cpu_times.sort()
    total_s = sum(latencies) / 1e9
    cpu_s = sum(cpu_times) / 1e9
    return {
        "agents": agents,
        "queues": queues,
        "waiting_at_start": waiting,
        "waiting_at_end": sum(engine.waiting_count(q) for q in engine.queue_ids()),
        "commands": len(latencies),
        "mix": dict(mix),
        "core_seconds": round(total_s, 3),
        "core_commands_per_s": round(len(latencies) / total_s),
        "core_p50_us": round(latencies[len(latencies) // 2] / 1e3, 1),
        "core_p99_us": round(latencies[int(len(latencies) * 0.99)] / 1e3, 1),
        "core_max_us": round(latencies[-1] / 1e3, 1),
        "core_cpu_commands_per_s": round(len(cpu_times) / cpu_s),
        "core_cpu_p50_us": round(cpu_times[len(cpu_times) // 2] / 1e3, 1),
        "core_cpu_p99_us": round(cpu_times[int(len(cpu_times) * 0.99)] / 1e3, 1),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def _next_command(
    kind: str, rng: random.Random, floor: Floor, queues: int, number: int
) -> c.Command | None:
    if kind == "enqueue":
        return _arrival(rng, number + 1, queues)
    if kind == "tick":
        return c.Tick()
    if kind in ("accept", "reject"):
        ringing = floor.ringing.choice(rng)
        if ringing is None:
            return None
        agent_id = floor.offers[ringing]
        if kind == "accept":
            return c.AcceptOffer(ringing, agent_id)
        return c.RejectOffer(ringing, agent_id)
    if kind == "end":
        assigned = floor.assigned.choice(rng)
        return None if assigned is None else c.EndInteraction(assigned)
    if kind == "wrap_up":
        wrapping = floor.wrapping.choice(rng)
        return None if wrapping is None else c.EndWrapUp(wrapping)
    if kind == "abandon":
        waiting = floor.waiting.choice(rng)
        return None if waiting is None else c.AbandonInteraction(waiting)
    if rng.random() < 0.5:
        resting = floor.not_ready.choice(rng)
        return None if resting is None else c.SetAgentState(resting, AgentState.READY)
    working = floor.ready.choice(rng)
    if working is None:
        return None
    return c.SetAgentState(working, AgentState.NOT_READY, "break")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--commands", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    print(json.dumps(run_core_benchmark(arguments.seed, arguments.commands), indent=2))


if __name__ == "__main__":
    main()
