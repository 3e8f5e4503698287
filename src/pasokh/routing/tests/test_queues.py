"""Queues: routing profiles, priorities, steps that relax, overflow, sticky agents, hours."""

from datetime import timedelta

import pytest

from pasokh.routing.commands import DefineQueue, EndInteraction, RequestCallback, SetAgentState
from pasokh.routing.events import (
    CallbackRequested,
    InteractionMaxWaitReached,
    InteractionOverflowed,
    InteractionQueued,
    InteractionRelaxed,
    PreferredAgentReleased,
)
from pasokh.routing.model import (
    AgentState,
    Channel,
    FinalState,
    MaxWaitAction,
    QueueDefinition,
    Step,
)
from pasokh.routing.state import RoutingError, Status
from pasokh.routing.tests.floor import ALL_CHANNELS, Floor, names


class Hours:
    def __init__(self, open_: bool = True) -> None:
        self.open = open_

    def is_open(self, at: object) -> bool:
        return self.open


def test_an_agent_in_two_queues_serves_the_higher_priority_queue_first():
    floor = Floor()
    floor.queue("billing")
    floor.queue("vip")
    floor.agent("reza", queues=[("billing", 1), ("vip", 5)], ready=False)
    floor.arrive("old-billing-call", queue="billing")
    floor.later(60)
    floor.arrive("new-vip-call", queue="vip")
    floor.do(SetAgentState("reza", AgentState.READY))
    assert floor.ringing("new-vip-call") == "reza"
    assert floor.ringing("old-billing-call") is None


def test_between_queues_of_equal_priority_the_longest_waiting_interaction_goes_first():
    floor = Floor()
    floor.queue("billing")
    floor.queue("sales")
    floor.agent("reza", queues=[("billing", 1), ("sales", 1)], ready=False)
    floor.arrive("sales-call", queue="sales")
    floor.later(5)
    floor.arrive("billing-call", queue="billing")
    floor.do(SetAgentState("reza", AgentState.READY))
    assert floor.ringing("sales-call") == "reza"


def test_a_higher_priority_interaction_goes_ahead_of_longer_waiting_ones():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza", ready=False)
    floor.arrive("ordinary", priority=1)
    floor.later(30)
    floor.arrive("urgent", priority=9)
    floor.do(SetAgentState("reza", AgentState.READY))
    assert floor.ringing("urgent") == "reza"


def test_an_interaction_takes_the_queues_priority_unless_it_has_its_own():
    floor = Floor()
    floor.queue("q", priority=8)
    events = floor.arrive("call-1")
    assert events[0] == InteractionQueued("call-1", "q", 8, floor.now)


def test_a_step_relaxes_the_target_after_its_wait():
    floor = Floor()
    floor.queue("q", target="fa >= 4", steps=(Step(30, expression="fa >= 2"),))
    floor.agent("junior", skills={"fa": 2})
    floor.arrive("call-1")
    assert floor.later(29) == []
    events = floor.later(1)
    assert InteractionRelaxed("call-1", "q", 1, "fa >= 2") in events
    assert floor.ringing("call-1") == "junior"


def test_steps_relax_one_after_another():
    floor = Floor()
    steps = (Step(30, expression="fa >= 3"), Step(60, expression="true"))
    floor.queue("q", target="fa >= 5", steps=steps)
    floor.agent("anyone", skills={"en": 5})
    floor.arrive("call-1")
    floor.later(30)
    assert floor.ringing("call-1") is None
    floor.later(30)
    assert floor.ringing("call-1") == "anyone"


def test_a_step_overflows_to_another_queue_keeping_arrival_time_and_priority():
    floor = Floor()
    floor.queue("backup")
    floor.queue("q", target="fa >= 9", steps=(Step(90, overflow_to="backup"),))
    floor.agent("helper", queues=["backup"])
    arrived = floor.now
    floor.arrive("call-1", priority=6)
    events = floor.later(90)
    assert InteractionOverflowed("call-1", "q", "backup") in events
    assert InteractionQueued("call-1", "backup", 6, arrived) in events
    assert floor.ringing("call-1") == "helper"


def test_a_queue_cannot_overflow_to_an_unknown_queue():
    floor = Floor()
    with pytest.raises(RoutingError, match="overflow"):
        floor.queue("q", steps=(Step(90, overflow_to="nowhere"),))


def test_a_queue_cannot_overflow_to_a_queue_that_takes_none_of_its_channels():
    floor = Floor()
    floor.queue("email", channels={Channel.EMAIL})
    with pytest.raises(RoutingError, match="takes none"):
        floor.queue("voice", channels={Channel.VOICE}, steps=(Step(30, overflow_to="email"),))


def test_an_overflow_target_redefined_without_a_channel_keeps_those_interactions_waiting():
    floor = Floor()
    floor.queue("backup", channels={Channel.CHAT})
    floor.queue("q", channels={Channel.CHAT}, steps=(Step(30, overflow_to="backup"),))
    floor.arrive("chat-1", channel=Channel.CHAT)
    floor.queue("backup", channels={Channel.EMAIL})
    events = floor.later(31)
    assert not any(isinstance(event, InteractionOverflowed) for event in events)
    assert floor.engine.interaction_status("chat-1") is Status.WAITING


def test_an_overflow_moves_only_the_channels_its_target_takes():
    floor = Floor()
    floor.queue("chat-backup", channels={Channel.CHAT})
    floor.queue(
        "q", channels={Channel.VOICE, Channel.CHAT}, steps=(Step(30, overflow_to="chat-backup"),)
    )
    floor.arrive("call-1", channel=Channel.VOICE)
    floor.arrive("chat-1", channel=Channel.CHAT)
    events = floor.later(31)
    assert InteractionOverflowed("chat-1", "q", "chat-backup") in events
    assert not any(
        isinstance(event, InteractionOverflowed) and event.interaction_id == "call-1"
        for event in events
    )
    where = {i.interaction_id: i.queue_id for i in floor.engine.snapshot().interactions}
    assert where["call-1"] == "q"
    assert floor.later(600) == []  # the call keeps waiting; no timer fires again and again


def test_a_queue_definition_refuses_steps_out_of_order_and_bad_expressions():
    with pytest.raises(ValueError, match="increasing"):
        QueueDefinition("q", ALL_CHANNELS, steps=(Step(60, "true"), Step(30, "true")))
    with pytest.raises(ValueError, match="unknown operator"):
        QueueDefinition("q", ALL_CHANNELS, target="fa => 2")


def test_a_returning_customer_waits_for_their_preferred_agent():
    floor = Floor()
    floor.queue("q", sticky_s=20)
    floor.agent("reza", ready=False)
    floor.agent("sara")
    floor.arrive("call-1", attributes={"preferred_agent_id": "reza"})
    assert floor.ringing("call-1") is None
    floor.do(SetAgentState("reza", AgentState.READY))
    assert floor.ringing("call-1") == "reza"


def test_the_preferred_agent_is_released_after_the_queues_sticky_seconds():
    floor = Floor()
    floor.queue("q", sticky_s=20)
    floor.agent("reza", ready=False)
    floor.agent("sara")
    floor.arrive("call-1", attributes={"preferred_agent_id": "reza"})
    events = floor.later(20)
    assert PreferredAgentReleased("call-1", "reza") in events
    assert floor.ringing("call-1") == "sara"


def test_a_preferred_agent_who_does_not_serve_the_queue_is_ignored():
    floor = Floor()
    floor.queue("q", sticky_s=20)
    floor.queue("other")
    floor.agent("reza", queues=["other"])
    floor.agent("sara")
    floor.arrive("call-1", attributes={"preferred_agent_id": "reza"})
    assert floor.ringing("call-1") == "sara"


def test_no_one_is_offered_outside_business_hours():
    hours = Hours(open_=False)
    floor = Floor(schedule=hours)
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    assert floor.ringing("call-1") is None
    hours.open = True
    floor.later(1)
    assert floor.ringing("call-1") == "reza"


def test_a_queue_that_routes_outside_hours_keeps_offering():
    floor = Floor(schedule=Hours(open_=False))
    floor.queue("emergency", route_outside_hours=True)
    floor.agent("reza", queues=["emergency"])
    floor.arrive("call-1", queue="emergency")
    assert floor.ringing("call-1") == "reza"


def test_at_the_maximum_wait_a_caller_goes_to_voicemail_and_the_interaction_ends():
    floor = Floor()
    floor.queue("q", max_wait_s=120, max_wait_action=MaxWaitAction.VOICEMAIL)
    floor.arrive("call-1")
    events = floor.later(120)
    assert events == [
        InteractionMaxWaitReached("call-1", "q", MaxWaitAction.VOICEMAIL, FinalState.VOICEMAIL)
    ]
    assert floor.engine.interaction_status("call-1") is None


def test_at_the_maximum_wait_an_email_can_become_a_ticket():
    floor = Floor()
    floor.queue("q", max_wait_s=3600, max_wait_action=MaxWaitAction.TICKET)
    floor.arrive("mail-1", channel=Channel.EMAIL)
    events = floor.later(3600)
    assert events[0].final_state is FinalState.TICKET


def test_at_the_maximum_wait_a_caller_can_become_a_callback_that_keeps_their_place():
    floor = Floor()
    floor.queue("q", max_wait_s=60, max_wait_action=MaxWaitAction.CALLBACK)
    floor.agent("reza", ready=False)
    floor.arrive("first")
    floor.later(30)
    floor.arrive("second")
    events = floor.later(30)
    assert names(events) == ["interaction.max_wait_reached", "interaction.callback_requested"]
    assert events[0].final_state is None
    floor.later(600)  # a callback does not reach the maximum wait again
    assert floor.engine.interaction_status("first") is Status.WAITING
    floor.do(SetAgentState("reza", AgentState.READY))
    assert floor.ringing("first") == "reza"


def test_a_waiting_caller_who_asks_for_a_callback_keeps_their_place():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza", ready=False)
    floor.arrive("early-caller")
    floor.later(10)
    floor.arrive("later-caller")
    events = floor.do(RequestCallback("early-caller"))
    assert events == [CallbackRequested("early-caller", "q")]
    floor.do(SetAgentState("reza", AgentState.READY))
    assert floor.ringing("early-caller") == "reza"
    floor.answer("early-caller")
    assert floor.engine.agent_load("reza")[Channel.VOICE] == 1
    assert floor.ringing("later-caller") is None  # a callback takes the voice line


def test_only_a_waiting_call_can_become_a_callback():
    floor = Floor()
    floor.queue("q")
    floor.arrive("chat-1", channel=Channel.CHAT)
    with pytest.raises(RoutingError, match="only a waiting call"):
        floor.do(RequestCallback("chat-1"))


def test_redefining_a_queue_keeps_its_waiting_line_and_routes_with_the_new_target():
    floor = Floor()
    floor.queue("q", target="fa >= 9")
    floor.agent("reza", skills={"fa": 3})
    floor.arrive("call-1")
    floor.now += timedelta(seconds=5)
    floor.do(DefineQueue(QueueDefinition("q", ALL_CHANNELS, target="fa >= 3")))
    assert floor.ringing("call-1") == "reza"


def test_service_level_is_the_share_answered_within_the_threshold():
    floor = Floor()
    floor.queue("q", wrap_up_s=0)
    floor.agent("reza")
    floor.arrive("quick")
    floor.answer("quick")
    floor.arrive("slow", arrived_at=floor.now - timedelta(seconds=60))
    floor.do(EndInteraction("quick"))
    floor.answer("slow")
    assert floor.engine.queue_summary("q").service_level == 0.5
