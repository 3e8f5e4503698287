"""What driving the routing core with random scenarios found in it (kept apart from the
simulator's own tests; the routing core belongs to another module and is not changed here).

``EnqueueInteraction`` and ``TransferToQueue`` refuse a queue that does not take the
interaction's channel (``wrong_channel``), but an overflow step moves a waiting interaction
into its target queue without that check, and ``DefineQueue`` accepts an overflow to a queue
that serves other channels. A voice call then waits in an e-mail queue, where only agents of
that queue with a free voice line can take it. The scenario reader refuses such overflows
(``test_scenario.py``), so simulations never depend on this.
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


@pytest.mark.xfail(
    strict=True,
    reason="routing core: an overflow ignores the target queue's channels (no wrong_channel "
    "check in DefineQueue or in the overflow step)",
)
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
