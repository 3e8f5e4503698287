"""The simulator, driving the real router, reproduces Erlang C and Erlang A.

Erlang C (M/M/N) and Erlang A (M/M/N+M) are exact for Poisson arrivals, exponential handle
times (and patience), one skill and FCFS; a simulation of that system must land on them.
The reference figures come from ``pasokh.wfm``, itself validated against published worked
examples (the pyworkforce README and tests: 100 calls per 30 min, AHT 180 s, 14 agents,
target 20 s → service level 0.888350, P(wait) 0.174132; with patience 300 s → service
level 0.916792, P(abandon) 0.013984) and against Mandelbaum & Zeltyn (2007), "The M/M/n+G
queue: summary of performance measures" (Technion notes) for Erlang A.

Each case runs 10 replications of about 2,500 counted calls after a 30-minute warm-up and
asks that the exact value lie inside the 95 % Student-t interval of the replication means
(Law, *Simulation Modeling and Analysis*, 5th ed., §9.4.1). Each case uses its own queue
name, hence its own random streams, so the cases are independent checks. The seed is fixed:
the outcome is the same on every run.
"""

from __future__ import annotations

from typing import Any

import pytest

from pasokh.simulation import Scenario, SimulationResult, run_scenario
from pasokh.wfm import QueueMetrics, erlang_a_metrics, erlang_c_metrics

pytestmark = pytest.mark.slow

SEED = 2026
COUNTED_CALLS = 2500
WARMUP_S = 1800


def simulate(
    name: str,
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    target_s: int,
    patience_s: float | None = None,
) -> SimulationResult:
    queue: dict[str, Any] = {
        "name": name,
        "target_s": target_s,
        "handle_time": {"distribution": "exponential", "mean_s": aht_s},
        "arrivals": {"interval_s": interval_s, "calls": [calls]},
    }
    if patience_s is not None:
        queue["patience"] = {"distribution": "exponential", "mean_s": patience_s}
    scenario = Scenario.from_dict(
        {
            "name": name,
            "duration_s": WARMUP_S + COUNTED_CALLS * interval_s / calls,
            "warmup_s": WARMUP_S,
            "replications": 10,
            "seed": SEED,
            "queues": [queue],
            "agents": [{"name": "team", "count": agents, "skills": {name: 1}}],
        }
    )
    return run_scenario(scenario)


def assert_covers(
    result: SimulationResult, name: str, exact: QueueMetrics, measures: list[str]
) -> None:
    estimates = result.queues[name].estimates
    for measure in measures:
        value = exact.p_abandon if measure == "abandonment" else getattr(exact, measure)
        estimate = estimates[measure]
        assert estimate.covers(value), f"{measure}: {estimate} does not cover {value}"


ERLANG_C_CASES = [
    # name, calls per interval, interval, AHT, agents, target
    pytest.param("c1", 100, 1800, 180, 14, 20, id="pyworkforce-example-14-agents"),
    pytest.param("c2", 100, 1800, 180, 12, 20, id="same-load-12-agents"),
    pytest.param("c3", 240, 1800, 120, 19, 15, id="16-erlangs-19-agents"),
]


@pytest.mark.parametrize(("name", "calls", "interval", "aht", "agents", "target"), ERLANG_C_CASES)
def test_simulated_single_queue_matches_erlang_c(
    name: str, calls: int, interval: int, aht: int, agents: int, target: int
) -> None:
    result = simulate(name, calls, interval, aht, agents, target)
    exact = erlang_c_metrics(calls, interval, aht, agents, target)
    assert_covers(result, name, exact, ["service_level", "asa", "p_wait", "occupancy"])
    assert result.queues[name].estimates["abandonment"].mean == 0.0


def test_the_pyworkforce_example_is_the_one_quoted() -> None:
    exact = erlang_c_metrics(100, 1800, 180, 14, 20)
    assert round(exact.service_level, 6) == 0.888350
    assert round(exact.p_wait, 6) == 0.174132


ERLANG_A_CASES = [
    # name, calls, interval, AHT, agents, target, mean patience
    pytest.param("a1", 100, 1800, 180, 14, 20, 300, id="pyworkforce-example-patience-300"),
    pytest.param("a2", 100, 1800, 180, 10, 20, 300, id="critically-loaded-10-agents"),
    pytest.param("a3", 240, 1800, 120, 16, 15, 90, id="16-erlangs-impatient-callers"),
]


@pytest.mark.parametrize(
    ("name", "calls", "interval", "aht", "agents", "target", "patience"), ERLANG_A_CASES
)
def test_simulated_impatient_callers_match_erlang_a(
    name: str, calls: int, interval: int, aht: int, agents: int, target: int, patience: int
) -> None:
    result = simulate(name, calls, interval, aht, agents, target, patience)
    exact = erlang_a_metrics(calls, interval, aht, agents, target, patience)
    assert_covers(
        result, name, exact, ["service_level", "asa", "p_wait", "abandonment", "occupancy"]
    )
