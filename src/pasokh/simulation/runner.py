"""Run a scenario's replications and summarise them with 95 % confidence intervals.

    scenario = Scenario.from_toml(path.read_text())
    result = run_scenario(scenario, replications=20, seed=7, progress=print)
    result.to_dict()["queues"]["sales"]["service_level"]

This is the API a background job calls; the ``pasokh simulate`` command is a thin shell on it.
The same scenario, replications and seed always give the same result, to the last digit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pasokh.simulation.replication import Replication
from pasokh.simulation.scenario import Scenario
from pasokh.simulation.statistics import Estimate, estimate
from pasokh.simulation.tally import ReplicationTally

# The measures reported per queue and overall, in the order tables show them.
MEASURES = ("service_level", "asa", "abandonment", "occupancy", "p_wait", "aht")
COUNTS = ("offered", "answered", "abandoned")


@dataclass(frozen=True)
class QueueResult:
    """Each measure's mean over replications with its 95 % CI; counts are per replication."""

    estimates: dict[str, Estimate]

    def to_dict(self) -> dict[str, float | None]:
        result: dict[str, float | None] = {}
        for name in COUNTS:
            result[name] = _finite(self.estimates[name].mean)
        for name in MEASURES:
            value = self.estimates[name]
            result[name] = _finite(value.mean)
            result[f"{name}_ci"] = _finite(value.half_width)
        return result


@dataclass(frozen=True)
class SimulationResult:
    scenario: str
    replications: int
    seed: int
    queues: dict[str, QueueResult]
    overall: QueueResult
    groups: dict[str, Estimate]  # occupancy of each agent group
    events: int
    wall_s: float
    targets: dict[str, int] = field(default_factory=dict)  # service-level threshold, s

    @property
    def events_per_s(self) -> float:
        return self.events / self.wall_s if self.wall_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "queues": {name: queue.to_dict() for name, queue in self.queues.items()},
            "overall": self.overall.to_dict(),
            "groups": {
                name: {"occupancy": _finite(e.mean), "occupancy_ci": _finite(e.half_width)}
                for name, e in self.groups.items()
            },
            "targets": dict(self.targets),
            "replications": self.replications,
            "seed": self.seed,
            "events": self.events,
            "events_per_s": round(self.events_per_s, 1),
        }


def run_scenario(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> SimulationResult:
    """Simulate ``replications`` independent days (default: the scenario's own) from ``seed``.

    ``progress`` is called with the finished fraction (0–1) now and then, and with 1.0 at
    the end; it may raise to cancel the run.
    """
    count = scenario.replications if replications is None else replications
    if count < 1:
        raise ValueError("replications must be at least 1")
    base_seed = scenario.seed if seed is None else seed
    started = time.perf_counter()
    tallies: list[ReplicationTally] = []
    for index in range(count):
        report = None
        if progress is not None:
            report = _scaled(progress, index, count)
            report(0.0)
        tallies.append(Replication(scenario, base_seed, index, report).run())
    wall = time.perf_counter() - started
    if progress is not None:
        progress(1.0)
    return summarise(scenario, tallies, base_seed, wall)


def _scaled(progress: Callable[[float], None], index: int, count: int) -> Callable[[float], None]:
    def report(fraction: float) -> None:
        progress((index + fraction) / count)

    return report


def summarise(
    scenario: Scenario, tallies: list[ReplicationTally], seed: int, wall_s: float
) -> SimulationResult:
    agents_of_queue = {
        queue.name: [
            agent_id
            for group in scenario.agents
            if group.serves(queue.name)
            for agent_id in group.agent_ids()
        ]
        for queue in scenario.queues
    }
    everyone = [agent_id for group in scenario.agents for agent_id in group.agent_ids()]
    queues = {
        name: _queue_result(
            [t.queues[name].measures() for t in tallies],
            [t.occupancy(agents) for t in tallies],
        )
        for name, agents in agents_of_queue.items()
    }
    overall = _queue_result(
        [t.overall().measures() for t in tallies], [t.occupancy(everyone) for t in tallies]
    )
    groups = {
        group.name: estimate([t.occupancy(group.agent_ids()) for t in tallies])
        for group in scenario.agents
    }
    return SimulationResult(
        scenario=scenario.name,
        replications=len(tallies),
        seed=seed,
        queues=queues,
        overall=overall,
        groups=groups,
        events=sum(t.events for t in tallies),
        wall_s=wall_s,
        targets={queue.name: queue.target_s for queue in scenario.queues},
    )


def _queue_result(per_replication: list[dict[str, float]], occupancy: list[float]) -> QueueResult:
    names = [*COUNTS, *(m for m in MEASURES if m != "occupancy")]
    estimates = {name: estimate([values[name] for values in per_replication]) for name in names}
    estimates["occupancy"] = estimate(occupancy)
    return QueueResult(estimates)


def _finite(value: float | None) -> float | None:
    """JSON has no NaN: a measure with nothing to measure (no calls, one replication) is null."""
    if value is None or value != value:
        return None
    return value
