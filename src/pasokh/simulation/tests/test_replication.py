"""The simulator's moving parts: arrivals, shifts, wrap-up, timers, determinism, progress."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from pasokh.simulation import Duration, Scenario, Shape, run_scenario
from pasokh.simulation.replication import Replication
from pasokh.simulation.tests.helpers import one_queue, scenario, with_group, with_queue


def test_the_same_seed_gives_the_same_result_to_the_last_digit() -> None:
    first = run_scenario(scenario(), seed=5).to_dict()
    second = run_scenario(scenario(), seed=5).to_dict()
    for result in (first, second):
        result.pop("events_per_s")  # wall-clock speed is the one figure that varies
    assert first == second


def test_another_seed_gives_other_customers() -> None:
    first = run_scenario(scenario(), seed=5).to_dict()["queues"]["sales"]
    second = run_scenario(scenario(), seed=6).to_dict()["queues"]["sales"]
    assert first["offered"] != second["offered"]


def test_time_varying_arrivals_follow_the_profile_interval_by_interval() -> None:
    """Per-interval counts of a piecewise-constant Poisson process have the profile's means."""
    arrivals = (
        Scenario.from_dict(with_queue(arrivals={"interval_s": 600, "calls": [60, 0, 240]}))
        .queues[0]
        .arrivals
    )
    rng = random.Random(3)
    runs = 300
    counts = [0, 0, 0]
    for _ in range(runs):
        t: float | None = 0.0
        while (t := arrivals.next_arrival(t, 1800, rng)) is not None:
            counts[int(t // 600)] += 1
    for count, expected in zip(counts, (60, 0, 240), strict=True):
        # four standard errors of a Poisson mean over 300 runs
        assert abs(count / runs - expected) <= 4 * math.sqrt(expected / runs)


def test_only_arrivals_after_the_warm_up_are_counted() -> None:
    busy_then_quiet = with_queue(arrivals={"interval_s": 1800, "calls": [100, 0]})
    quiet = run_scenario(
        Scenario.from_dict({**busy_then_quiet, "warmup_s": 1800, "duration_s": 3600})
    )
    assert quiet.to_dict()["queues"]["sales"]["offered"] == 0
    assert quiet.to_dict()["queues"]["sales"]["service_level"] is None
    quiet_then_busy = with_queue(arrivals={"interval_s": 1800, "calls": [0, 100]})
    busy = run_scenario(
        Scenario.from_dict({**quiet_then_busy, "warmup_s": 1800, "duration_s": 3600})
    )
    offered = busy.queues["sales"].estimates["offered"]
    assert offered.mean == pytest.approx(100, abs=20)


def test_an_agent_finishes_the_call_in_hand_before_logging_out_at_shift_end() -> None:
    data = with_queue(handle_time={"distribution": "fixed", "mean_s": 700})
    data["queues"][0]["arrivals"] = {"interval_s": 1800, "calls": [600]}  # one call per 3 s
    data["agents"][0].update(count=1, shift={"start_s": 0, "end_s": 1800})
    data["duration_s"] = 3600
    tally = Replication(Scenario.from_dict(data), seed=1, index=0).run()
    sales, agent = tally.queues["sales"], tally.agents["team/1"]
    # Answered at about 0, 700 and 1400 s; the third call ends near 2100 s, after the shift.
    assert sales.answered == 3
    assert 2100 < agent.logged_in_s < 2130
    assert agent.busy_s == pytest.approx(3 * 700)
    assert agent.logged_in_since is None
    # Nobody is left to take the others: they are still waiting when the run ends.
    assert sales.stranded == sales.offered - 3


def test_a_late_shift_logs_in_at_its_start() -> None:
    data = with_group(count=2, shift={"start_s": 1800})
    data["duration_s"] = 3600
    tally = Replication(Scenario.from_dict(data), seed=1, index=0).run()
    assert tally.queues["sales"].answered_in_target < tally.queues["sales"].offered
    for agent_id in ("team/1", "team/2"):
        assert tally.agents[agent_id].logged_in_s == pytest.approx(1800)


def test_wrap_up_counts_as_busy_time() -> None:
    """By Little's law, occupancy = arrival rate × (handle + wrap-up) / agents when no one
    is lost: 60 calls per 30 min × (120 s + 60 s) / 10 agents = 0.6."""
    data = with_queue(wrap_up_s=60)
    data["agents"][0]["count"] = 10
    data.update(duration_s=6 * 3600, warmup_s=1800, replications=5)
    result = run_scenario(Scenario.from_dict(data))
    occupancy = result.queues["sales"].estimates["occupancy"]
    assert occupancy.covers(0.6), occupancy
    assert result.groups["team"] == occupancy


def test_a_maximum_wait_closes_calls_on_time() -> None:
    data = with_queue(max_wait_s=30, max_wait_action="voicemail")
    data["agents"][0]["count"] = 1
    tally = Replication(Scenario.from_dict(data), seed=2, index=0).run()
    sales = tally.queues["sales"]
    assert sales.closed > 0
    assert sales.abandoned == 0
    assert sales.stranded == 0
    assert sales.wait_s <= 30 * (sales.offered - sales.answered) + 30 * sales.answered + 1e-6


def test_a_relaxation_step_lets_other_agents_in_after_its_delay() -> None:
    data = with_queue(
        expression="sales >= 5", target_s=10, steps=[{"after_s": 20, "expression": "sales >= 1"}]
    )
    data["agents"][0].update(skills={"sales": 1}, queues=["sales"])
    tally = Replication(Scenario.from_dict(data), seed=2, index=0).run()
    sales = tally.queues["sales"]
    assert sales.answered == sales.offered > 0
    assert sales.answered_in_target == 0  # nobody could take a call in its first 20 s
    assert sales.wait_s >= 20 * sales.answered


def test_agents_accept_after_the_configured_delay() -> None:
    data = one_queue(accept_delay_s=5)
    data["queues"][0]["target_s"] = 4
    tally = Replication(Scenario.from_dict(data), seed=2, index=0).run()
    sales = tally.queues["sales"]
    assert sales.answered == sales.offered > 0
    assert sales.answered_in_target == 0
    assert sales.waited == sales.answered


def test_progress_is_reported_from_zero_to_one() -> None:
    seen: list[float] = []
    data = one_queue(duration_s=36_000, replications=2)
    run_scenario(Scenario.from_dict(data), progress=seen.append)
    assert seen[0] == 0.0
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert len(seen) > 3


def test_lognormal_handle_times_have_the_asked_mean_and_variation() -> None:
    rng = random.Random(1)
    lognormal = Duration(Shape.LOGNORMAL, 180.0, cv=0.8)
    draws = [lognormal.sample(rng) for _ in range(40_000)]
    mean = statistics.fmean(draws)
    assert mean == pytest.approx(180, rel=0.02)
    assert statistics.stdev(draws) / mean == pytest.approx(0.8, rel=0.05)
    assert Duration(Shape.FIXED, 42.0).sample(rng) == 42.0


def test_calls_bounced_between_queues_with_nobody_left_end_as_stranded() -> None:
    """Two queues that overflow into each other, and no agent after the first hour: the
    calls could wait for ever, so the run stops a day after the arrivals do."""
    data = with_queue(steps=[{"after_s": 30, "overflow_to": "backup"}])
    data["queues"].append(
        {
            "name": "backup",
            "steps": [{"after_s": 30, "overflow_to": "sales"}],
            "handle_time": {"mean_s": 120},
            "arrivals": {"interval_s": 1800, "calls": [0]},
        }
    )
    data["agents"][0].update(count=1, shift={"start_s": 0, "end_s": 3600})
    tally = Replication(Scenario.from_dict(data), seed=3, index=0).run()
    sales = tally.queues["sales"]
    assert sales.stranded > 0
    assert sales.answered + sales.stranded == sales.offered
