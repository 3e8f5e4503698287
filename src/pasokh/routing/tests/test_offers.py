"""Offers (reservations): to one agent, with a timeout; accepted, rejected or expired."""

import pytest

from pasokh.routing.commands import AcceptOffer, EndInteraction, RejectOffer, SetAgentState
from pasokh.routing.events import (
    InteractionQueued,
    OfferExpired,
    OfferRejected,
    OfferRevoked,
)
from pasokh.routing.model import AgentState, RoutingPolicy
from pasokh.routing.state import RoutingError, Status
from pasokh.routing.tests.floor import Floor, names, offers_in


def test_a_new_interaction_is_offered_to_a_ready_eligible_agent():
    floor = Floor()
    floor.queue("q", target="fa >= 2")
    floor.agent("reza", skills={"fa": 5})
    events = floor.arrive("call-1")
    assert names(events) == ["interaction.queued", "interaction.offered"]
    assert offers_in(events) == [("call-1", "reza")]


def test_an_interaction_waits_while_no_agent_matches_the_target():
    floor = Floor()
    floor.queue("q", target="fa >= 4")
    floor.agent("reza", skills={"fa": 3})
    assert offers_in(floor.arrive("call-1")) == []
    assert floor.engine.waiting_count("q") == 1


def test_an_offer_times_out_after_the_queues_offer_timeout():
    floor = Floor()
    floor.queue("q", offer_timeout_s=15)
    floor.agent("reza")
    floor.arrive("call-1")
    assert floor.later(14) == []
    assert names(floor.later(1))[0] == "offer.expired"


def test_an_expired_offer_puts_the_interaction_back_with_its_original_arrival_time():
    floor = Floor(policy=RoutingPolicy(missed_offers_limit=1))
    floor.queue("q", offer_timeout_s=20)
    floor.agent("reza")
    arrived = floor.now
    floor.arrive("call-1", priority=7)
    events = floor.later(20)
    requeued = next(e for e in events if isinstance(e, InteractionQueued))
    assert requeued.requeued
    assert requeued.arrived_at == arrived
    assert requeued.priority == 7
    assert floor.engine.longest_wait_s("q") == 20.0


def test_a_rejected_offer_goes_to_another_eligible_agent_first():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.later(1)
    floor.agent("sara")
    floor.arrive("call-1")
    assert floor.ringing("call-1") == "reza"  # idle the longest
    events = floor.do(RejectOffer("call-1", "reza", reason="busy"))
    assert any(isinstance(e, OfferRejected) and e.reason == "busy" for e in events)
    assert floor.ringing("call-1") == "sara"


def test_an_expired_offer_is_not_offered_to_the_same_agent_if_another_can_take_it():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.agent("sara", ready=False)
    floor.arrive("call-1")
    assert floor.ringing("call-1") == "reza"
    floor.do(SetAgentState("sara", AgentState.READY))
    floor.later(20)
    assert floor.ringing("call-1") == "sara"


def test_a_rejected_offer_comes_back_to_the_same_agent_when_no_one_else_can_take_it():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    events = floor.do(RejectOffer("call-1", "reza"))
    assert offers_in(events) == [("call-1", "reza")]


def test_two_missed_offers_in_a_row_set_the_agent_not_ready_with_reason_missed_offers():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.later(20)
    assert floor.engine.agent_summary("reza").state is AgentState.READY
    floor.later(20)
    summary = floor.engine.agent_summary("reza")
    assert (summary.state, summary.reason) == (AgentState.NOT_READY, "missed_offers")
    assert floor.engine.interaction_status("call-1") is Status.WAITING


def test_the_number_of_missed_offers_before_not_ready_is_configurable():
    floor = Floor(policy=RoutingPolicy(missed_offers_limit=3))
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.later(20)
    floor.later(20)
    assert floor.engine.agent_summary("reza").state is AgentState.READY
    floor.later(20)
    assert floor.engine.agent_summary("reza").state is AgentState.NOT_READY


def test_answering_an_offer_resets_the_count_of_missed_offers():
    floor = Floor()
    floor.queue("q", wrap_up_s=0)
    floor.agent("reza")
    floor.arrive("call-1")
    floor.later(20)  # missed once
    floor.answer("call-1")
    floor.do(EndInteraction("call-1"))
    floor.arrive("call-2")
    floor.later(20)  # missed once again, not twice in a row
    assert floor.engine.agent_summary("reza").state is AgentState.READY


def test_an_agent_going_not_ready_gives_back_a_ringing_offer_without_counting_it_missed():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.agent("sara", ready=False)
    floor.arrive("call-1")
    events = floor.do(SetAgentState("reza", AgentState.NOT_READY, reason="lunch"))
    revoked = [e for e in events if isinstance(e, OfferRevoked)]
    assert revoked[0].reason == "agent_not_ready"
    assert floor.engine.interaction_status("call-1") is Status.WAITING
    assert not any(isinstance(e, OfferExpired) for e in events)
    floor.do(SetAgentState("sara", AgentState.READY))
    assert floor.ringing("call-1") == "sara"


def test_accepting_someone_elses_offer_is_refused_and_changes_nothing():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.agent("sara")
    floor.arrive("call-1")
    before = floor.engine.snapshot()
    with pytest.raises(RoutingError) as refused:
        floor.do(AcceptOffer("call-1", "sara"))
    assert refused.value.code == "no_offer"
    assert floor.engine.snapshot() == before


def test_an_accepted_offer_assigns_the_interaction_to_the_agent():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    events = floor.answer("call-1")
    assert names(events) == ["offer.accepted", "interaction.assigned"]
    assert floor.engine.interaction_status("call-1") is Status.ASSIGNED
    assert floor.engine.agent_summary("reza").assigned == {"call-1"}
