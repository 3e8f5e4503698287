"""Agents' day and interactions' endings: log in/out, wrap-up, abandonment, cancellation."""

from datetime import datetime, timedelta

import pytest

from pasokh.routing.commands import (
    AbandonInteraction,
    CancelInteraction,
    EndInteraction,
    EndWrapUp,
    LogInAgent,
    LogOutAgent,
    RemoveAgent,
    RemoveQueue,
    SetAgentState,
    Tick,
)
from pasokh.routing.events import (
    AgentStateChanged,
    InteractionAbandoned,
    InteractionCancelled,
    InteractionEnded,
    OfferRevoked,
    WrapUpEnded,
    WrapUpStarted,
    final_state_of,
)
from pasokh.routing.model import AgentState, Channel, FinalState
from pasokh.routing.state import RoutingError, Status
from pasokh.routing.tests.floor import Floor, names


def _floor_with_a_call_on_reza(wrap_up_s: int = 30) -> Floor:
    floor = Floor()
    floor.queue("q", wrap_up_s=wrap_up_s)
    floor.agent("reza")
    floor.arrive("call-1")
    floor.answer("call-1")
    return floor


def test_an_agent_logs_in_not_ready_unless_asked_to_be_ready():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza", ready=False)
    summary = floor.engine.agent_summary("reza")
    assert (summary.state, summary.reason) == (AgentState.NOT_READY, "logged_in")


def test_ending_an_interaction_completes_it_and_starts_the_queues_wrap_up():
    floor = _floor_with_a_call_on_reza(wrap_up_s=30)
    events = floor.do(EndInteraction("call-1"))
    assert events[0] == InteractionEnded("call-1", "reza", "q")
    assert final_state_of(events[0]) is FinalState.COMPLETED
    assert WrapUpStarted("reza", "call-1", floor.now + timedelta(seconds=30)) in events
    assert floor.engine.agent_summary("reza").state is AgentState.WRAP_UP


def test_wrap_up_ends_when_its_timer_runs_out_and_the_agent_is_ready_again():
    floor = _floor_with_a_call_on_reza(wrap_up_s=30)
    floor.do(EndInteraction("call-1"))
    assert floor.later(29) == []
    events = floor.later(1)
    assert WrapUpEnded("reza", "call-1", "timer") in events
    assert floor.engine.agent_summary("reza").state is AgentState.READY


def test_the_agent_can_end_wrap_up_early():
    floor = _floor_with_a_call_on_reza(wrap_up_s=30)
    floor.do(EndInteraction("call-1"))
    events = floor.do(EndWrapUp("reza"))
    assert names(events) == ["wrapup.ended", "agent.state_changed"]
    assert floor.engine.agent_summary("reza").state is AgentState.READY


def test_a_queue_without_wrap_up_time_frees_the_agent_at_once():
    floor = _floor_with_a_call_on_reza(wrap_up_s=0)
    floor.arrive("call-2")
    events = floor.do(EndInteraction("call-1"))
    assert "wrapup.started" not in names(events)
    assert floor.ringing("call-2") == "reza"


def test_setting_ready_during_wrap_up_ends_the_wrap_up():
    floor = _floor_with_a_call_on_reza()
    floor.do(EndInteraction("call-1"))
    events = floor.do(SetAgentState("reza", AgentState.READY))
    assert WrapUpEnded("reza", "call-1", "ready") in events


def test_an_agent_who_goes_not_ready_during_wrap_up_stays_not_ready_after_it():
    floor = _floor_with_a_call_on_reza()
    floor.do(EndInteraction("call-1"))
    floor.do(SetAgentState("reza", AgentState.NOT_READY, "coaching"))
    floor.later(30)
    summary = floor.engine.agent_summary("reza")
    assert (summary.state, summary.reason) == (AgentState.NOT_READY, "coaching")
    assert summary.wrap_ups == frozenset()


def test_a_customer_who_leaves_the_queue_is_abandoned():
    floor = Floor()
    floor.queue("q")
    floor.arrive("call-1")
    floor.later(42)
    events = floor.do(AbandonInteraction("call-1"))
    assert events == [InteractionAbandoned("call-1", "q", 42.0)]
    assert floor.engine.waiting_count("q") == 0
    assert floor.engine.interaction_status("call-1") is None


def test_a_customer_who_leaves_while_ringing_cancels_the_offer():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.arrive("call-2")
    events = floor.do(AbandonInteraction("call-1"))
    assert isinstance(events[0], OfferRevoked)
    assert events[0].reason == "abandoned"
    assert isinstance(events[1], InteractionAbandoned)
    assert floor.ringing("call-2") == "reza"


def test_a_customer_who_hangs_up_on_the_agent_completes_the_interaction():
    floor = _floor_with_a_call_on_reza()
    events = floor.do(AbandonInteraction("call-1"))
    assert final_state_of(events[0]) is FinalState.COMPLETED


def test_the_service_can_cancel_an_interaction_in_any_state():
    floor = _floor_with_a_call_on_reza()
    floor.arrive("mail-1", channel=Channel.EMAIL)
    events = floor.do(CancelInteraction("call-1", reason="spam"))
    assert events == [InteractionCancelled("call-1", "q", "spam")]
    floor.do(CancelInteraction("mail-1"))
    assert floor.engine.interaction_ids() == []


def test_an_agent_holding_an_interaction_cannot_log_out():
    floor = _floor_with_a_call_on_reza()
    with pytest.raises(RoutingError) as refused:
        floor.do(LogOutAgent("reza"))
    assert refused.value.code == "agent_busy"


def test_logging_out_gives_back_ringing_offers_and_ends_wrap_up():
    floor = _floor_with_a_call_on_reza()
    floor.arrive("mail-1", channel=Channel.EMAIL)
    floor.do(EndInteraction("call-1"))
    events = floor.do(LogOutAgent("reza"))
    assert WrapUpEnded("reza", "call-1", "logout") in events
    assert any(isinstance(e, OfferRevoked) for e in events)
    assert floor.engine.interaction_status("mail-1") is Status.WAITING
    assert floor.engine.agent_summary("reza").state is AgentState.OFFLINE


def test_an_offline_agent_must_log_in_before_changing_state():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.do(LogOutAgent("reza"))
    with pytest.raises(RoutingError, match="log in"):
        floor.do(SetAgentState("reza", AgentState.READY))
    events = floor.do(LogInAgent("reza", ready=True))
    assert events == [AgentStateChanged("reza", AgentState.OFFLINE, AgentState.READY)]


def test_agents_cannot_put_themselves_in_wrap_up():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    with pytest.raises(RoutingError):
        floor.do(SetAgentState("reza", AgentState.WRAP_UP))


def test_a_queue_with_interactions_cannot_be_removed_and_an_empty_one_can():
    floor = Floor()
    floor.queue("q")
    floor.arrive("call-1")
    with pytest.raises(RoutingError):
        floor.do(RemoveQueue("q"))
    floor.do(CancelInteraction("call-1"))
    assert names(floor.do(RemoveQueue("q"))) == ["queue.removed"]


def test_removing_an_agent_gives_their_ringing_offers_to_others():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.agent("sara", ready=False)
    floor.arrive("call-1")
    floor.do(SetAgentState("sara", AgentState.READY))
    assert floor.ringing("call-1") == "reza"
    floor.do(RemoveAgent("reza"))
    assert floor.ringing("call-1") == "sara"
    assert floor.engine.agent_ids() == ["sara"]


def test_a_refused_command_changes_nothing():
    floor = _floor_with_a_call_on_reza()
    before = floor.engine.snapshot()
    for command in (EndInteraction("nope"), EndWrapUp("reza"), RemoveAgent("reza")):
        with pytest.raises(RoutingError):
            floor.do(command)
    assert floor.engine.snapshot() == before


def test_the_clock_never_goes_back_and_must_carry_a_time_zone():
    floor = Floor()
    floor.do(Tick())
    with pytest.raises(RoutingError, match="earlier"):
        floor.engine.handle(Tick(), floor.now - timedelta(seconds=1))
    with pytest.raises(RoutingError, match="timezone"):
        floor.engine.handle(Tick(), datetime(2030, 1, 1))
