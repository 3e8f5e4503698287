"""What driving the routing core with random scenarios found in it, kept as regressions.

An overflow step used to move a waiting interaction into its target queue without the channel
check that ``EnqueueInteraction`` and ``TransferToQueue`` make, so a voice call could wait in
an e-mail queue. The core now refuses such an overflow (``DefineQueue``) and moves only the
channels the target takes; the scenario reader refuses it before the core sees it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pasokh.routing.commands import DefineQueue, EnqueueInteraction, Tick
from pasokh.routing.engine import RoutingEngine
from pasokh.routing.model import Channel, QueueDefinition, Step
from pasokh.routing.state import RoutingError
from pasokh.simulation import Scenario, ScenarioError
from pasokh.simulation.tests.helpers import one_queue

T0 = datetime(2026, 3, 21, 6, 30, tzinfo=UTC)


def test_an_overflow_never_puts_a_call_in_a_queue_that_does_not_take_its_channel() -> None:
    engine = RoutingEngine()
    engine.handle(DefineQueue(QueueDefinition("email", frozenset({Channel.EMAIL}))), T0)
    voice = QueueDefinition(
        "voice", frozenset({Channel.VOICE}), steps=(Step(30, overflow_to="email"),)
    )
    try:
        engine.handle(DefineQueue(voice), T0)
    except RoutingError:
        return  # refusing the definition is one correct answer
    engine.handle(EnqueueInteraction("call-1", Channel.VOICE, "voice"), T0)
    engine.handle(Tick(), T0 + timedelta(seconds=31))
    where = {i.interaction_id: i.queue_id for i in engine.snapshot().interactions}
    assert where.get("call-1") != "email"


def test_the_scenario_reader_refuses_such_an_overflow() -> None:
    data = one_queue()
    data["queues"][0]["steps"] = [{"after_s": 30, "overflow_to": "mail"}]
    data["queues"].append(
        {
            "name": "mail",
            "channels": ["email"],
            "handle_time": {"mean_s": 300},
            "arrivals": {"interval_s": 1800, "calls": [5]},
        }
    )
    with pytest.raises(ScenarioError, match="overflow_to 'mail', which takes no"):
        Scenario.from_dict(data)
