"""Scenarios are read from TOML or dicts and refused with a message that names the field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pasokh.routing.model import Channel, Strategy
from pasokh.simulation import Scenario, ScenarioError, Shape
from pasokh.simulation.tests.helpers import one_queue, with_group, with_queue

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_scenario_is_valid(path: Path) -> None:
    scenario = Scenario.from_toml(path.read_text(encoding="utf-8"))
    assert scenario.queues
    assert scenario.agents


def test_defaults_give_a_voice_queue_served_by_agents_with_its_skill() -> None:
    scenario = Scenario.from_dict(one_queue())
    queue = scenario.queues[0]
    assert queue.definition.channels >= {Channel.VOICE}
    assert queue.definition.target == "sales >= 1"
    assert queue.definition.strategy is Strategy.LONGEST_IDLE
    assert queue.definition.wrap_up_s == 0
    assert queue.target_s == 20
    assert queue.handle_time.shape is Shape.EXPONENTIAL
    assert queue.patience is None
    assert [m.queue_id for m in scenario.agents[0].profile] == ["sales"]
    assert scenario.agents[0].agent_ids() == [f"team/{n}" for n in range(1, 6)]


def test_agents_without_the_skill_serve_no_queue_unless_told() -> None:
    scenario = Scenario.from_dict(with_group(skills={"billing": 4}))
    assert scenario.agents[0].profile == ()
    told = Scenario.from_dict(with_group(skills={}, queues=[{"queue": "sales", "priority": 3}]))
    assert told.agents[0].profile[0].priority == 3


def test_toml_syntax_errors_are_reported_as_scenario_errors() -> None:
    with pytest.raises(ScenarioError, match="not valid TOML"):
        Scenario.from_toml("name = ")


BAD: list[tuple[dict[str, Any], str]] = [
    (one_queue(duration_s=0), "duration_s must be greater than 0"),
    (one_queue(warmup_s=9000), "warmup_s must be shorter"),
    (one_queue(replications=0), "replications must be a whole number"),
    (one_queue(queues=[]), r"at least one \[\[queues\]\]"),
    (one_queue(agents="many"), r"at least one \[\[agents\]\]"),
    (one_queue(colour="blue"), "unknown key"),
    (one_queue(accept_delay_s=25), "accept_delay_s must be shorter than offer_timeout_s"),
    (with_queue(handle_time={"distribution": "gamma", "mean_s": 3}), "distribution must be"),
    (with_queue(handle_time={"mean_s": -1}), "mean_s must be a number greater than 0"),
    (with_queue(handle_time={"mean_s": 60, "cv": 2}), "cv applies to the lognormal"),
    (with_queue(patience={"mean": 60}), "unknown key"),
    (with_queue(expression="sales >="), "bad expression"),
    (with_queue(channels=["fax"]), "unknown channel"),
    (with_queue(strategy="random"), "strategy must be one of"),
    (with_queue(arrivals={"interval_s": 1800, "calls": [-1]}), "at least 0"),
    (with_queue(arrivals={"calls": [5]}), "interval_s is required"),
    (with_queue(service_level=80), "fraction between 0 and 1"),
    (with_queue(steps=[{"after_s": 30, "overflow_to": "nowhere"}]), "overflow to unknown"),
    (with_group(queues=["billing"]), "unknown queue"),
    (with_group(count=-1), "count must be a whole number"),
    (with_group(skills={"sales": 11}), "must be 0–10"),
    (with_group(shift={"start_s": 3600, "end_s": 1800}), "end_s must be after start_s"),
    (with_group(name="a/b"), "without '/'"),
]


@pytest.mark.parametrize(("data", "message"), BAD, ids=[message for _, message in BAD])
def test_a_bad_scenario_is_refused_with_a_clear_message(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_dict(data)


def test_a_queue_error_names_the_queue() -> None:
    with pytest.raises(ScenarioError, match="queue 'sales'"):
        Scenario.from_dict(with_queue(wrap_up_s=-5))


def test_a_bare_number_is_a_fixed_duration() -> None:
    queue = Scenario.from_dict(with_queue(handle_time=90)).queues[0]
    assert queue.handle_time.shape is Shape.FIXED
    assert queue.handle_time.mean_s == 90


def test_the_arrival_profile_repeats_when_the_run_is_longer() -> None:
    arrivals = (
        Scenario.from_dict(with_queue(arrivals={"interval_s": 600, "calls": [60, 0, 120]}))
        .queues[0]
        .arrivals
    )
    assert arrivals.rate_at(0) == (0.1, 600)
    assert arrivals.rate_at(600) == (0.0, 1200)
    assert arrivals.rate_at(1799.5) == (0.2, 1800)
    assert arrivals.rate_at(1800) == (0.1, 2400)


def test_every_scenario_in_the_documentation_is_valid() -> None:
    text = (EXAMPLES.parent / "docs" / "simulation.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        scenario = Scenario.from_toml(block)
        assert scenario.agents
