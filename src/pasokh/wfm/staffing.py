"""Staffing: the fewest agents that meet a service-level target, per interval.

``raw_agents`` is the number of agents needed *on the phones* (Erlang C, or Erlang A when
a patience is given); ``agents`` is what must be scheduled once shrinkage (breaks,
meetings, absence…) is accounted for: ``ceil(raw_agents / (1 − shrinkage))``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pasokh.wfm.erlang import (
    QueueMetrics,
    _check_non_negative,
    _check_positive,
    _erlang_c_from_b,
    _erlang_c_measures,
    _inverse_erlang_b,
    erlang_a_for_traffic,
    traffic_intensity,
)

# Guard against a target that no finite staffing can reach (e.g. SL = 1 with T = 0).
_MAX_EXTRA_AGENTS = 100_000


@dataclass(frozen=True, slots=True)
class StaffingTarget:
    """What one interval must achieve.

    ``service_level`` of calls answered within ``target_s`` seconds; optionally an ASA
    ceiling (``max_asa_s``), an occupancy ceiling and, for Erlang A, an abandonment
    ceiling. ``patience_s`` switches the model from Erlang C to Erlang A.
    """

    service_level: float = 0.8
    target_s: float = 20.0
    max_asa_s: float | None = None
    max_occupancy: float = 1.0
    shrinkage: float = 0.0
    patience_s: float | None = None
    max_abandon: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.service_level < 1.0 or math.isnan(self.service_level):
            raise ValueError(f"service_level must be in [0, 1), got {self.service_level!r}")
        _check_non_negative("target_s", self.target_s)
        if self.max_asa_s is not None:
            _check_positive("max_asa_s", self.max_asa_s)
        if not 0.0 < self.max_occupancy <= 1.0:
            raise ValueError(f"max_occupancy must be in (0, 1], got {self.max_occupancy!r}")
        if not 0.0 <= self.shrinkage < 1.0:
            raise ValueError(f"shrinkage must be in [0, 1), got {self.shrinkage!r}")
        if self.patience_s is not None and not (self.patience_s > 0):
            raise ValueError(f"patience_s must be > 0, got {self.patience_s!r}")
        if self.max_abandon is not None and not 0.0 <= self.max_abandon <= 1.0:
            raise ValueError(f"max_abandon must be in [0, 1], got {self.max_abandon!r}")


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Requirement of one interval and the measures achieved with ``raw_agents``."""

    raw_agents: int
    agents: int
    metrics: QueueMetrics

    def as_dict(self) -> dict[str, float | int]:
        measures = self.metrics.as_dict()
        del measures["agents"]  # the measures are for raw_agents; "agents" is the schedule
        return {"raw_agents": self.raw_agents, "agents": self.agents, **measures}


@dataclass(frozen=True, slots=True)
class IntervalDemand:
    """One interval of a plan: ``calls`` arrivals in ``interval_s`` seconds."""

    calls: float
    aht_s: float
    interval_s: float = 1800.0


def scheduled_agents(raw_agents: int, shrinkage: float) -> int:
    """``ceil(raw / (1 − shrinkage))``, tolerant of float noise (14/0.7 is 20, not 21)."""
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    exact = raw_agents / (1.0 - shrinkage)
    return math.ceil(round(exact, 9))


def _meets(metrics: QueueMetrics, target: StaffingTarget) -> bool:
    if metrics.service_level < target.service_level:
        return False
    if target.max_asa_s is not None and metrics.asa > target.max_asa_s:
        return False
    if metrics.occupancy > target.max_occupancy:
        return False
    return target.max_abandon is None or metrics.p_abandon <= target.max_abandon


def _zero_demand(traffic: float, target: StaffingTarget) -> StaffingResult:
    return StaffingResult(0, 0, QueueMetrics(traffic, 0, 0.0, 1.0, 0.0, 0.0, 0.0))


def _required_erlang_c(traffic: float, aht_s: float, target: StaffingTarget) -> StaffingResult:
    # Start at the smallest stable, occupancy-feasible count and walk up, carrying the
    # Erlang B recursion along: one O(√A) start, then O(1) per extra agent.
    agents = max(1, math.floor(traffic) + 1, math.ceil(round(traffic / target.max_occupancy, 9)))
    inverse_b = _inverse_erlang_b(agents, traffic)
    limit = agents + _MAX_EXTRA_AGENTS
    while agents <= limit:
        p_wait = _erlang_c_from_b(agents, traffic, 1.0 / inverse_b)
        metrics = _erlang_c_measures(agents, traffic, p_wait, aht_s, target.target_s)
        if _meets(metrics, target):
            return StaffingResult(agents, scheduled_agents(agents, target.shrinkage), metrics)
        agents += 1
        inverse_b = 1.0 + inverse_b * (agents / traffic)
    raise ValueError("no staffing level up to traffic + 100000 agents meets the target")


def _required_erlang_a(
    traffic: float, aht_s: float, target: StaffingTarget, patience_s: float
) -> StaffingResult:
    def measure(agents: int) -> QueueMetrics:
        return erlang_a_for_traffic(traffic, aht_s, agents, target.target_s, patience_s)

    # With abandonment even agents < traffic is stable, so search the whole range:
    # gallop up from ceil(traffic) to a feasible count, then bisect below it.
    high = max(1, math.ceil(traffic))
    step = 1
    high_metrics = measure(high)
    while not _meets(high_metrics, target):
        if step > _MAX_EXTRA_AGENTS:
            raise ValueError("no staffing level meets the target")
        high += step
        step *= 2
        high_metrics = measure(high)
    low = 0  # infeasible by convention (no agents)
    while high - low > 1:
        middle = (low + high) // 2
        middle_metrics = measure(middle)
        if _meets(middle_metrics, target):
            high, high_metrics = middle, middle_metrics
        else:
            low = middle
    return StaffingResult(high, scheduled_agents(high, target.shrinkage), high_metrics)


def required_agents_for_traffic(
    traffic: float, aht_s: float, target: StaffingTarget
) -> StaffingResult:
    """Fewest agents meeting ``target`` for an offered load in Erlangs."""
    _check_non_negative("traffic", traffic)
    _check_positive("aht_s", aht_s)
    if traffic == 0.0:
        return _zero_demand(traffic, target)
    if target.patience_s is None or math.isinf(target.patience_s):
        return _required_erlang_c(traffic, aht_s, target)
    return _required_erlang_a(traffic, aht_s, target, target.patience_s)


def required_agents(
    calls: float, interval_s: float, aht_s: float, target: StaffingTarget
) -> StaffingResult:
    """Fewest agents meeting ``target`` for ``calls`` arrivals in ``interval_s`` seconds.

    >>> r = required_agents(100, 1800, 180, StaffingTarget(0.8, 20, shrinkage=0.3))
    >>> (r.raw_agents, r.agents)
    (14, 20)
    """
    traffic = traffic_intensity(calls, interval_s, aht_s)
    return required_agents_for_traffic(traffic, aht_s, target)


def staffing_plan(
    intervals: Iterable[IntervalDemand] | Sequence[IntervalDemand], target: StaffingTarget
) -> list[StaffingResult]:
    """One :class:`StaffingResult` per interval, in order (same target everywhere)."""
    return [
        required_agents(demand.calls, demand.interval_s, demand.aht_s, target)
        for demand in intervals
    ]
