"""Wallace & Whitt (2005): two skills in a chain perform almost as well as all skills.

R. B. Wallace and W. Whitt, "Resource pooling and staffing in call centers with skill-based
routing", Operations Research 53(2):357–374, 2005: with six call types and the same total
staff, agents who each have two skills — type i and type i+1 (mod 6), a chain — achieve
nearly the performance of agents with all six skills, and far better than agents with one.

The three scenarios are the files in ``examples/`` (6 × 13.5 Erlangs for 90 agents,
exponential patience). They differ only in skills; with the same seed they see the very
same callers (common random numbers), so the comparison is sharp.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pasokh.simulation import QueueResult, Scenario, run_scenario

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


def overall(variant: str) -> QueueResult:
    text = (EXAMPLES / f"wallace_whitt_{variant}.toml").read_text(encoding="utf-8")
    return run_scenario(Scenario.from_toml(text)).overall


@pytest.fixture(scope="module")
def results() -> dict[str, QueueResult]:
    return {variant: overall(variant) for variant in ("none", "chain", "full")}


def test_the_three_variants_have_the_same_staff_and_the_same_callers() -> None:
    scenarios = [
        Scenario.from_toml((EXAMPLES / f"wallace_whitt_{v}.toml").read_text(encoding="utf-8"))
        for v in ("none", "chain", "full")
    ]
    assert {sum(group.count for group in s.agents) for s in scenarios} == {90}
    assert len({tuple(q.arrivals for q in s.queues) for s in scenarios}) == 1
    assert len({s.seed for s in scenarios}) == 1


def test_a_chain_of_two_skills_is_far_better_than_one_skill(
    results: dict[str, QueueResult],
) -> None:
    none, chain = results["none"], results["chain"]
    # The confidence intervals do not even touch.
    assert chain.estimates["service_level"].low > none.estimates["service_level"].high
    assert chain.estimates["asa"].high < none.estimates["asa"].low
    assert chain.estimates["abandonment"].high < none.estimates["abandonment"].low


@pytest.mark.parametrize(
    ("measure", "share"), [("service_level", 0.75), ("asa", 0.8), ("abandonment", 0.8)]
)
def test_a_chain_of_two_skills_recovers_most_of_the_gain_of_all_skills(
    results: dict[str, QueueResult], measure: str, share: float
) -> None:
    none, chain, full = (results[v].estimates[measure].mean for v in ("none", "chain", "full"))
    gain_of_full = full - none
    assert abs(gain_of_full) > 0
    assert (chain - none) / gain_of_full >= share


def test_full_cross_training_is_only_a_little_better_than_the_chain(
    results: dict[str, QueueResult],
) -> None:
    chain, full = results["chain"].estimates, results["full"].estimates
    assert full["service_level"].mean - chain["service_level"].mean < 0.08
    assert chain["abandonment"].mean - full["abandonment"].mean < 0.01
