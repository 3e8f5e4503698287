"""Restoring the engine from a snapshot rebuilds exactly the same engine."""

from datetime import timedelta

from pasokh.routing.commands import (
    AcceptOffer,
    ConsultTransfer,
    EndInteraction,
    RejectOffer,
    SetAgentState,
    Tick,
)
from pasokh.routing.engine import RoutingEngine
from pasokh.routing.model import AgentState, Channel, Step
from pasokh.routing.tests.floor import Floor


def _busy_floor() -> Floor:
    floor = Floor()
    floor.queue("backup")
    floor.queue("q", target="fa >= 3", steps=(Step(30, "fa >= 1"), Step(90, overflow_to="backup")))
    floor.agent("reza", skills={"fa": 5}, queues=["q", "backup"])
    floor.agent("sara", skills={"fa": 1}, queues=["q"])
    floor.agent("omid", queues=["backup"], ready=False)
    floor.arrive("call-1")
    floor.do(AcceptOffer("call-1", "reza"))
    floor.arrive("chat-1", channel=Channel.CHAT, attributes={"tier": "gold"})
    floor.arrive("call-2", priority=8)
    floor.later(5)
    floor.do(ConsultTransfer("call-1", "sara"))
    floor.arrive("mail-1", channel=Channel.EMAIL)
    return floor


def test_a_restored_engine_has_the_same_snapshot():
    floor = _busy_floor()
    snapshot = floor.engine.snapshot()
    assert RoutingEngine.restore(snapshot).snapshot() == snapshot


def test_a_restored_engine_answers_later_commands_with_the_same_events():
    floor = _busy_floor()
    twin = RoutingEngine.restore(floor.engine.snapshot())
    script = [
        (0, RejectOffer("call-1", "sara")),
        (10, Tick()),
        (25, Tick()),
        (1, SetAgentState("omid", AgentState.READY)),
        (60, Tick()),
        (0, EndInteraction("call-1")),
        (40, Tick()),
    ]
    for seconds, command in script:
        floor.now += timedelta(seconds=seconds)
        assert twin.handle(command, floor.now) == floor.engine.handle(command, floor.now)
        assert twin.snapshot() == floor.engine.snapshot()


def test_a_tick_after_a_restore_catches_up_on_timers_that_fell_due():
    floor = _busy_floor()
    twin = RoutingEngine.restore(floor.engine.snapshot())
    floor.now += timedelta(minutes=5)
    assert twin.handle(Tick(), floor.now) == floor.engine.handle(Tick(), floor.now)
