"""How fast the simulator runs: events (commands to the routing engine) per wall second.

The figure is dominated by the routing engine itself, which the simulator drives through
its public ``handle``; see ``docs/PERFORMANCE.md`` for measured values.
"""

from __future__ import annotations

from typing import Any

from pasokh.simulation.runner import run_scenario
from pasokh.simulation.scenario import Scenario

# The Erlang C case of examples/erlang_c.toml, shortened: about 7,600 calls in all.
BENCH_SCENARIO: dict[str, Any] = {
    "name": "bench: one queue, 14 agents",
    "duration_s": 36_000,
    "warmup_s": 1_800,
    "replications": 4,
    "seed": 1405,
    "queues": [
        {
            "name": "sales",
            "handle_time": {"mean_s": 180},
            "arrivals": {"interval_s": 1800, "calls": [100]},
        }
    ],
    "agents": [{"name": "sales team", "count": 14, "skills": {"sales": 1}}],
}


def simulator_events_per_s() -> float:
    """Events per second over a small Erlang C scenario (best of two runs)."""
    scenario = Scenario.from_dict(BENCH_SCENARIO)
    return max(run_scenario(scenario).events_per_s for _ in range(2))
