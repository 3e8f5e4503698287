"""Benchmarks of the planning tools (pure Python, deterministic inputs).

:func:`run_wfm_benchmark` returns a flat ``dict`` of timings so that a project-wide
benchmark runner can merge it with others; more keys (e.g. simulator events per
second) may be added by other modules.
"""

from __future__ import annotations

import random
import time

from pasokh.wfm.staffing import IntervalDemand, StaffingTarget, staffing_plan

PLAN_INTERVALS = 1000


def benchmark_intervals(count: int = PLAN_INTERVALS, seed: int = 1404) -> list[IntervalDemand]:
    """A deterministic mix of quiet and busy 30-minute intervals (0–2,000 calls each)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not secrets
    return [
        IntervalDemand(calls=rng.uniform(0, 2000), aht_s=rng.uniform(120, 420), interval_s=1800)
        for _ in range(count)
    ]


def time_staffing_plan(count: int = PLAN_INTERVALS, repeats: int = 3) -> float:
    """Best-of-``repeats`` wall time, in seconds, of an 80/20 Erlang C plan."""
    intervals = benchmark_intervals(count)
    target = StaffingTarget(service_level=0.8, target_s=20, max_occupancy=0.9, shrinkage=0.3)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        staffing_plan(intervals, target)
        best = min(best, time.perf_counter() - started)
    return best


def run_wfm_benchmark() -> dict[str, float]:
    """Timings of the workforce-management tools, in seconds."""
    return {"staffing_1000_intervals_s": time_staffing_plan(PLAN_INTERVALS)}
