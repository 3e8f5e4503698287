"""Staffing search: service level, ASA, occupancy ceiling, shrinkage, plans and speed."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pasokh.wfm.bench import run_wfm_benchmark
from pasokh.wfm.erlang import erlang_a_for_traffic, erlang_c_for_traffic
from pasokh.wfm.staffing import (
    IntervalDemand,
    StaffingTarget,
    required_agents,
    required_agents_for_traffic,
    scheduled_agents,
    staffing_plan,
)


def test_pyworkforce_worked_example() -> None:
    """pyworkforce README / tests/test_erlang.py::test_expected_erlangc_results:
    100 calls in 30 min, AHT 3 min, 80 % in 20 s, max occupancy 0.85, shrinkage 0.3
    -> raw_positions 14, positions 20, service level 0.888, occupancy 0.714."""
    target = StaffingTarget(service_level=0.8, target_s=20, max_occupancy=0.85, shrinkage=0.3)
    result = required_agents(100, 1800, 180, target)
    assert (result.raw_agents, result.agents) == (14, 20)
    assert round(result.metrics.service_level, 3) == 0.888
    assert round(result.metrics.occupancy, 3) == 0.714
    assert round(result.metrics.p_wait, 3) == 0.174


def test_max_occupancy_binds() -> None:
    """pyworkforce tests/test_erlang.py::test_over_occupancy_erlangc: max occupancy 0.7
    -> 15 raw positions, 22 after 30 % shrinkage, service level 0.941."""
    target = StaffingTarget(service_level=0.8, target_s=20, max_occupancy=0.7, shrinkage=0.3)
    result = required_agents(100, 1800, 180, target)
    assert (result.raw_agents, result.agents) == (15, 22)
    assert round(result.metrics.service_level, 3) == 0.941
    assert result.metrics.occupancy <= 0.7


def test_asa_target_can_bind() -> None:
    # 14 agents give ASA ≈ 7.8 s; asking for at most 5 s needs 15 (ASA ≈ 3.7 s).
    loose = required_agents(100, 1800, 180, StaffingTarget(0.8, 20))
    strict = required_agents(100, 1800, 180, StaffingTarget(0.8, 20, max_asa_s=5))
    assert loose.raw_agents == 14
    assert strict.raw_agents == 15
    assert strict.metrics.asa <= 5


@pytest.mark.parametrize(
    ("raw", "shrinkage", "scheduled"),
    [(14, 0.3, 20), (15, 0.3, 22), (10, 0.0, 10), (17, 0.3, 25), (1, 0.5, 2), (0, 0.3, 0)],
)
def test_shrinkage(raw: int, shrinkage: float, scheduled: int) -> None:
    assert scheduled_agents(raw, shrinkage) == scheduled


def test_erlang_a_staffing_needs_fewer_agents_and_meets_targets() -> None:
    target = StaffingTarget(0.8, 20, patience_s=300)
    result = required_agents(100, 1800, 180, target)
    assert result.raw_agents == 13
    assert result.metrics.service_level >= 0.8
    fewer = erlang_a_for_traffic(10.0, 180, 12, 20, 300)
    assert fewer.service_level < 0.8
    capped = required_agents(
        100, 1800, 180, StaffingTarget(0.8, 20, patience_s=300, max_abandon=0.01)
    )
    assert capped.metrics.p_abandon <= 0.01
    assert capped.raw_agents > result.raw_agents


def test_no_calls_needs_no_agents() -> None:
    result = required_agents(0, 1800, 180, StaffingTarget(shrinkage=0.3))
    assert (result.raw_agents, result.agents) == (0, 0)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"service_level": 1.0}, "service_level"),
        ({"service_level": -0.1}, "service_level"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"target_s": -1.0}, "target_s"),
        ({"patience_s": 0.0}, "patience_s"),
    ],
)
def test_target_validation(kwargs: dict[str, float], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        StaffingTarget(**kwargs)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(
    traffic=st.floats(min_value=0.01, max_value=3000.0),
    sl=st.floats(min_value=0.0, max_value=0.99),
    target_s=st.floats(min_value=0.0, max_value=120.0),
    max_occupancy=st.floats(min_value=0.5, max_value=1.0),
)
def test_erlang_c_staffing_is_the_minimum(
    traffic: float, sl: float, target_s: float, max_occupancy: float
) -> None:
    target = StaffingTarget(sl, target_s, max_occupancy=max_occupancy)
    result = required_agents_for_traffic(traffic, 180.0, target)
    n = result.raw_agents
    assert result.metrics.service_level >= sl
    assert result.metrics.occupancy <= max_occupancy
    below = n - 1
    if below > traffic:
        fewer = erlang_c_for_traffic(traffic, 180.0, below, target_s)
        assert fewer.service_level < sl or fewer.occupancy > max_occupancy


@settings(max_examples=40, deadline=None)
@given(
    traffic=st.floats(min_value=0.1, max_value=300.0),
    sl=st.floats(min_value=0.2, max_value=0.95),
    patience=st.floats(min_value=10.0, max_value=3600.0),
)
def test_erlang_a_staffing_is_the_minimum(traffic: float, sl: float, patience: float) -> None:
    target = StaffingTarget(sl, 20.0, patience_s=patience)
    result = required_agents_for_traffic(traffic, 180.0, target)
    assert result.metrics.service_level >= sl
    if result.raw_agents > 1:
        fewer = erlang_a_for_traffic(traffic, 180.0, result.raw_agents - 1, 20.0, patience)
        assert fewer.service_level < sl


def test_plan_keeps_order_and_matches_single_calls() -> None:
    target = StaffingTarget(0.8, 20, max_occupancy=0.85, shrinkage=0.3)
    demands = [IntervalDemand(c, 180, 1800) for c in (0, 100, 50, 400, 100)]
    plan = staffing_plan(demands, target)
    assert [p.raw_agents for p in plan] == [
        required_agents(d.calls, d.interval_s, d.aht_s, target).raw_agents for d in demands
    ]
    assert plan[1].as_dict()["agents"] == 20
    assert plan[1].as_dict()["raw_agents"] == 14


def test_plan_handles_thousands_of_agents() -> None:
    result = required_agents(60_000, 1800, 180, StaffingTarget(0.8, 20))
    assert 6000 < result.raw_agents < 6100
    assert math.isfinite(result.metrics.asa)


def test_benchmark_plan_of_1000_intervals_is_fast() -> None:
    timings = run_wfm_benchmark()
    assert timings["staffing_1000_intervals_s"] < 0.5
