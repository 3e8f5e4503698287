"""Small scenarios for the simulator's tests."""

from __future__ import annotations

import copy
from typing import Any

from pasokh.simulation import Scenario


def one_queue(**overrides: Any) -> dict[str, Any]:
    """One voice queue "sales" served by five agents; override any top-level key."""
    data: dict[str, Any] = {
        "name": "test",
        "duration_s": 7200,
        "warmup_s": 0,
        "replications": 3,
        "seed": 11,
        "queues": [
            {
                "name": "sales",
                "handle_time": {"mean_s": 120},
                "arrivals": {"interval_s": 1800, "calls": [60]},
            }
        ],
        "agents": [{"name": "team", "count": 5, "skills": {"sales": 3}}],
    }
    data.update(copy.deepcopy(overrides))
    return data


def scenario(**overrides: Any) -> Scenario:
    return Scenario.from_dict(one_queue(**overrides))


def with_queue(**fields: Any) -> dict[str, Any]:
    data = one_queue()
    data["queues"][0].update(fields)
    return data


def with_group(**fields: Any) -> dict[str, Any]:
    data = one_queue()
    data["agents"][0].update(fields)
    return data
