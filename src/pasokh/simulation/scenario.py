"""Scenarios: the queues, agents and demand of one what-if, read from TOML or a dict.

The format is documented with examples in ``docs/simulation.md``. Every check happens here,
before any simulation starts, and a failure raises :class:`ScenarioError` naming the field,
so a supervisor's form or a TOML file gets one clear message instead of a traceback.
"""

from __future__ import annotations

import math
import random
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pasokh.routing.expressions import ExpressionError, parse
from pasokh.routing.model import (
    DEFAULT_CAPACITY,
    AgentDefinition,
    Channel,
    MaxWaitAction,
    QueueDefinition,
    QueueMembership,
    ServiceLevel,
    Step,
    Strategy,
)
from pasokh.simulation.distributions import Duration, ScenarioError, patience_from_dict
from pasokh.simulation.fields import (
    channels,
    choice,
    integer,
    non_negative,
    only,
    positive,
    tables,
    text,
)

_SCENARIO_KEYS = {"name", "duration_s", "warmup_s", "replications", "seed", "accept_delay_s"}
_QUEUE_KEYS = {
    "name",
    "channels",
    "expression",
    "strategy",
    "priority",
    "service_level",
    "target_s",
    "wrap_up_s",
    "offer_timeout_s",
    "max_wait_s",
    "max_wait_action",
    "steps",
    "handle_time",
    "patience",
    "arrivals",
}
_GROUP_KEYS = {"name", "count", "skills", "queues", "capacity", "shift"}
MAX_REPLICATIONS = 1000
MAX_AGENTS = 20_000


@dataclass(frozen=True)
class Arrivals:
    """Calls per interval, piecewise constant; the list repeats when the run is longer."""

    interval_s: float
    calls: tuple[float, ...]
    channel: Channel

    def rate_at(self, t: float) -> tuple[float, float]:
        """The arrival rate (per second) in force at ``t`` and the time it next changes."""
        index = math.floor(t / self.interval_s)
        rate = self.calls[index % len(self.calls)] / self.interval_s
        return rate, (index + 1) * self.interval_s

    def next_arrival(self, t: float, horizon: float, rng: random.Random) -> float | None:
        """The next arrival after ``t`` of this non-homogeneous Poisson process, or None
        if there is none before ``horizon``.

        Inside one interval the gaps are exponential; a gap that crosses the boundary is
        redrawn from the boundary at the new rate, which is exact because the exponential
        distribution is memoryless (the piecewise-constant case of Lewis & Shedler 1979,
        "Simulation of nonhomogeneous Poisson processes by thinning", Naval Research
        Logistics Quarterly 26(3), without rejections).
        """
        while t < horizon:
            rate, changes_at = self.rate_at(t)
            if rate > 0:
                candidate = t + rng.expovariate(rate)
                if candidate < changes_at:
                    return candidate if candidate < horizon else None
            t = changes_at
        return None


@dataclass(frozen=True)
class QueueSpec:
    name: str
    definition: QueueDefinition
    arrivals: Arrivals
    handle_time: Duration
    patience: Duration | None

    @property
    def target_s(self) -> int:
        return self.definition.service_level.within_s

    def wait_timer_delays(self) -> tuple[int, ...]:
        """Seconds after entering the queue at which the engine may act on a waiting call."""
        delays = {step.after_s for step in self.definition.steps}
        if self.definition.max_wait_s is not None:
            delays.add(self.definition.max_wait_s)
        return tuple(sorted(delays))


@dataclass(frozen=True)
class AgentGroup:
    """``count`` alike agents: the same skills, queues, capacity and shift."""

    name: str
    count: int
    skills: Mapping[str, int]
    profile: tuple[QueueMembership, ...]
    capacity: Mapping[Channel, int]
    shift_start_s: float = 0.0
    shift_end_s: float | None = None  # None: stays until the last call is handled

    def agent_ids(self) -> list[str]:
        return [f"{self.name}/{number}" for number in range(1, self.count + 1)]

    def definition(self, agent_id: str) -> AgentDefinition:
        return AgentDefinition(
            agent_id, skills=dict(self.skills), capacity=dict(self.capacity), profile=self.profile
        )

    def serves(self, queue_name: str) -> bool:
        return any(membership.queue_id == queue_name for membership in self.profile)


@dataclass(frozen=True)
class Scenario:
    name: str
    duration_s: float
    warmup_s: float
    queues: tuple[QueueSpec, ...]
    agents: tuple[AgentGroup, ...]
    replications: int = 10
    seed: int = 1
    accept_delay_s: float = 0.0

    @classmethod
    def from_toml(cls, text: str) -> Scenario:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ScenarioError(f"not valid TOML: {error}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        only(data, _SCENARIO_KEYS | {"queues", "agents"}, "scenario")
        duration = positive(data, "duration_s", "scenario")
        warmup = non_negative(data, "warmup_s", "scenario", 0.0)
        if warmup >= duration:
            raise ScenarioError("scenario: warmup_s must be shorter than duration_s")
        replications = integer(data, "replications", "scenario", 10, 1, MAX_REPLICATIONS)
        seed = integer(data, "seed", "scenario", 1, 0, 2**63)
        accept_delay = non_negative(data, "accept_delay_s", "scenario", 0.0)
        queue_tables = tables(data, "queues", "scenario")
        queues = tuple(_queue(table, f"queues[{i}]") for i, table in enumerate(queue_tables))
        names = [queue.name for queue in queues]
        if len(set(names)) != len(names):
            raise ScenarioError("queues: two queues have the same name")
        for queue in queues:
            overflow = queue.definition.overflow
            if overflow is not None and overflow.overflow_to not in names:
                raise ScenarioError(f"queue {queue.name!r}: overflow to unknown queue")
            if overflow is not None:
                # The engine does not check this itself (see the report in tests/), and a
                # call must never wait in a queue that cannot take its channel.
                target = queues[names.index(str(overflow.overflow_to))]
                missing = queue.definition.channels - target.definition.channels
                if missing:
                    channels_text = ", ".join(sorted(channel.value for channel in missing))
                    raise ScenarioError(
                        f"queue {queue.name!r}: overflow_to {target.name!r}, which takes no "
                        f"{channels_text}"
                    )
            if accept_delay >= queue.definition.offer_timeout_s:
                raise ScenarioError(
                    f"queue {queue.name!r}: accept_delay_s must be shorter than offer_timeout_s"
                )
        agent_tables = tables(data, "agents", "scenario")
        groups = tuple(
            _group(table, f"agents[{i}]", queues) for i, table in enumerate(agent_tables)
        )
        if len({group.name for group in groups}) != len(groups):
            raise ScenarioError("agents: two groups have the same name")
        if sum(group.count for group in groups) > MAX_AGENTS:
            raise ScenarioError(f"agents: at most {MAX_AGENTS} agents in all")
        return cls(
            name=str(data.get("name", "scenario")),
            duration_s=duration,
            warmup_s=warmup,
            queues=queues,
            agents=groups,
            replications=replications,
            seed=seed,
            accept_delay_s=accept_delay,
        )


# ── queues ──────────────────────────────────────────────────────────────────────────────────


def _queue(table: Mapping[str, Any], where: str) -> QueueSpec:
    only(table, _QUEUE_KEYS, where)
    name = table.get("name")
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"{where}: name is required")
    where = f"queue {name!r}"
    served = channels(table.get("channels", ["voice"]), where)
    expression = table.get("expression", f"{name} >= 1")
    strategy = choice(table, "strategy", where, Strategy, Strategy.LONGEST_IDLE)
    max_wait_action = choice(
        table, "max_wait_action", where, MaxWaitAction, MaxWaitAction.VOICEMAIL
    )
    fraction = non_negative(table, "service_level", where, 0.8)
    if fraction > 1:
        raise ScenarioError(f"{where}: service_level is a fraction between 0 and 1")
    max_wait = table.get("max_wait_s")
    try:
        definition = QueueDefinition(
            name,
            served,
            target=text(expression, "expression", where),
            steps=_steps(table.get("steps", []), where),
            priority=integer(table, "priority", where, 5, 0, 1000),
            strategy=strategy,
            service_level=ServiceLevel(fraction, integer(table, "target_s", where, 20, 0, 10**6)),
            wrap_up_s=integer(table, "wrap_up_s", where, 0, 0, 10**6),
            offer_timeout_s=integer(table, "offer_timeout_s", where, 20, 1, 10**6),
            max_wait_s=None if max_wait is None else integer(table, "max_wait_s", where, 0, 1),
            max_wait_action=max_wait_action,
        )
    except ScenarioError:
        raise
    except ExpressionError as error:
        hint = " (give an expression; a queue name that is not a plain word cannot be one)"
        raise ScenarioError(f"{where}: bad expression: {error}{hint}") from None
    except ValueError as error:
        raise ScenarioError(f"{where}: {error}") from None
    if "handle_time" not in table:
        raise ScenarioError(f"{where}: handle_time is required, e.g. {{mean_s = 180}}")
    return QueueSpec(
        name,
        definition,
        _arrivals(table.get("arrivals"), where, min(served)),
        Duration.from_dict(f"{where} handle_time", table["handle_time"]),
        patience_from_dict(f"{where} patience", table.get("patience")),
    )


def _arrivals(table: Any, where: str, default_channel: Channel) -> Arrivals:
    where = f"{where} arrivals"
    if not isinstance(table, dict):
        raise ScenarioError(f"{where}: required, e.g. {{interval_s = 1800, calls = [100]}}")
    only(table, {"interval_s", "calls", "channel"}, where)
    interval = positive(table, "interval_s", where)
    calls = table.get("calls")
    if isinstance(calls, int | float) and not isinstance(calls, bool):
        calls = [calls]
    if not isinstance(calls, list) or not calls:
        raise ScenarioError(f"{where}: calls is a list of calls per interval")
    for value in calls:
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise ScenarioError(f"{where}: calls must be numbers of at least 0")
        if not math.isfinite(value):
            raise ScenarioError(f"{where}: calls must be finite")
    channel = min(channels([table.get("channel", default_channel.value)], where))
    return Arrivals(interval, tuple(float(v) for v in calls), channel)


def _steps(value: Any, where: str) -> tuple[Step, ...]:
    if not isinstance(value, list):
        raise ScenarioError(f"{where}: steps is a list of tables")
    steps = []
    for i, table in enumerate(value):
        if not isinstance(table, dict):
            raise ScenarioError(f"{where} steps[{i}]: expected a table")
        only(table, {"after_s", "expression", "overflow_to"}, f"{where} steps[{i}]")
        steps.append(
            Step(
                integer(table, "after_s", f"{where} steps[{i}]", 0, 1),
                table.get("expression"),
                table.get("overflow_to"),
            )
        )
    return tuple(steps)


# ── agents ──────────────────────────────────────────────────────────────────────────────────


def _group(table: Mapping[str, Any], where: str, queues: tuple[QueueSpec, ...]) -> AgentGroup:
    only(table, _GROUP_KEYS, where)
    name = table.get("name")
    if not isinstance(name, str) or not name or "/" in name:
        raise ScenarioError(f"{where}: name is required (without '/')")
    where = f"agent group {name!r}"
    count = integer(table, "count", where, 1, 0, MAX_AGENTS)
    skills = table.get("skills", {})
    if not isinstance(skills, dict) or not all(
        isinstance(level, int) and not isinstance(level, bool) for level in skills.values()
    ):
        raise ScenarioError(f"{where}: skills is a table of levels, e.g. {{sales = 5}}")
    capacity = dict(DEFAULT_CAPACITY)
    capacity_table = table.get("capacity", {})
    if not isinstance(capacity_table, dict):
        raise ScenarioError(f"{where}: capacity is a table such as {{voice = 1, chat = 3}}")
    for channel in channels(list(capacity_table), where) if capacity_table else ():
        capacity[channel] = integer(capacity_table, channel.value, where, 0, 0, 100)
    try:
        AgentDefinition(name, skills=skills, capacity=capacity)
    except ValueError as error:
        raise ScenarioError(f"{where}: {error}") from None
    known = {queue.name: queue for queue in queues}
    profile = _profile(table.get("queues"), where, known, skills, capacity)
    if len({m.queue_id for m in profile}) != len(profile):
        raise ScenarioError(f"{where}: a queue is listed twice in queues")
    start, end = _shift(table.get("shift", {}), where)
    return AgentGroup(name, count, dict(skills), profile, capacity, start, end)


def _profile(
    value: Any,
    where: str,
    queues: Mapping[str, QueueSpec],
    skills: Mapping[str, int],
    capacity: Mapping[Channel, int],
) -> tuple[QueueMembership, ...]:
    """The queues the group serves; by default every queue whose expression it meets."""
    if value is None:
        env = AgentDefinition("check", skills=dict(skills), capacity=dict(capacity)).environment()
        return tuple(
            QueueMembership(name)
            for name, queue in queues.items()
            if parse(queue.definition.target).matches(env)
        )
    if not isinstance(value, list):
        raise ScenarioError(f"{where}: queues is a list of names or {{queue, priority}} tables")
    profile = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"queue": entry}
        if not isinstance(entry, dict) or entry.get("queue") not in queues:
            raise ScenarioError(f"{where}: unknown queue {entry!r} in queues")
        only(entry, {"queue", "priority"}, where)
        profile.append(
            QueueMembership(entry["queue"], integer(entry, "priority", where, 1, 0, 1000))
        )
    return tuple(profile)


def _shift(value: Any, where: str) -> tuple[float, float | None]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: shift is a table such as {{start_s = 0, end_s = 28800}}")
    only(value, {"start_s", "end_s"}, f"{where} shift")
    start = non_negative(value, "start_s", f"{where} shift", 0.0)
    if "end_s" not in value:
        return start, None
    end = positive(value, "end_s", f"{where} shift")
    if end <= start:
        raise ScenarioError(f"{where} shift: end_s must be after start_s")
    return start, end
