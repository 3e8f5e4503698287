"""Transfers: blind to a queue or an agent, and warm (consult) to an agent."""

import pytest

from pasokh.routing.commands import (
    ConsultTransfer,
    EndInteraction,
    RejectOffer,
    SetAgentState,
    TransferToAgent,
    TransferToQueue,
)
from pasokh.routing.events import (
    InteractionQueued,
    InteractionTransferred,
    OfferKind,
    OfferRevoked,
    WrapUpStarted,
)
from pasokh.routing.model import AgentState
from pasokh.routing.state import RoutingError, Status
from pasokh.routing.tests.floor import T0, Floor, names


def _floor_with_a_call_on(agent: str = "reza") -> Floor:
    floor = Floor()
    floor.queue("q")
    floor.queue("billing")
    floor.agent(agent, queues=["q"])
    floor.arrive("call-1", priority=7)
    floor.answer("call-1")
    return floor


def test_a_blind_transfer_to_a_queue_keeps_arrival_time_and_priority():
    floor = _floor_with_a_call_on("reza")
    arrived = T0
    floor.later(120)
    events = floor.do(TransferToQueue("call-1", "billing"))
    assert InteractionTransferred("call-1", "reza", to_queue_id="billing") in events
    assert InteractionQueued("call-1", "billing", 7, arrived) in events
    assert floor.engine.waiting_count("billing") == 1
    assert floor.engine.agent_summary("reza").assigned == frozenset()


def test_the_transferring_agent_starts_wrap_up():
    floor = _floor_with_a_call_on("reza")
    events = floor.do(TransferToQueue("call-1", "billing"))
    assert any(isinstance(e, WrapUpStarted) for e in events)
    assert floor.engine.agent_summary("reza").state is AgentState.WRAP_UP


def test_a_blind_transfer_to_a_queue_is_offered_there():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    floor.do(TransferToQueue("call-1", "billing"))
    assert floor.ringing("call-1") == "sara"


def test_a_blind_transfer_to_an_agent_offers_the_interaction_to_them():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    events = floor.do(TransferToAgent("call-1", "sara"))
    assert "interaction.transferred" in names(events)
    offer = floor.engine.live_offer("call-1")
    assert offer is not None
    assert (offer.agent_id, offer.kind) == ("sara", OfferKind.TRANSFER)
    floor.answer("call-1")
    assert floor.engine.agent_summary("sara").assigned == {"call-1"}


def test_a_rejected_blind_transfer_waits_in_its_queue_with_its_arrival_time():
    floor = _floor_with_a_call_on("reza")
    arrived = T0
    floor.agent("sara", queues=["billing"])
    floor.do(TransferToAgent("call-1", "sara"))
    events = floor.do(RejectOffer("call-1", "sara"))
    assert InteractionQueued("call-1", "q", 7, arrived, requeued=True) in events
    assert floor.engine.interaction_status("call-1") is Status.WAITING


def test_a_blind_transfer_to_an_agent_who_cannot_take_it_is_refused():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"], ready=False)
    before = floor.engine.snapshot()
    with pytest.raises(RoutingError) as refused:
        floor.do(TransferToAgent("call-1", "sara"))
    assert refused.value.code == "agent_unavailable"
    assert floor.engine.snapshot() == before


def test_during_a_warm_transfer_the_first_agent_keeps_the_interaction():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    floor.do(ConsultTransfer("call-1", "sara"))
    offer = floor.engine.live_offer("call-1")
    assert offer is not None
    assert (offer.agent_id, offer.kind) == ("sara", OfferKind.CONSULT)
    assert floor.engine.interaction_status("call-1") is Status.ASSIGNED
    assert floor.engine.agent_summary("reza").assigned == {"call-1"}


def test_when_the_consulted_agent_accepts_the_first_agent_leaves():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    floor.do(ConsultTransfer("call-1", "sara"))
    events = floor.answer("call-1")
    assert InteractionTransferred("call-1", "reza", to_agent_id="sara", warm=True) in events
    assert floor.engine.agent_summary("reza").assigned == frozenset()
    assert floor.engine.agent_summary("sara").assigned == {"call-1"}
    assert floor.engine.agent_summary("reza").state is AgentState.WRAP_UP


def test_when_the_consulted_agent_rejects_the_first_agent_keeps_it():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    floor.do(ConsultTransfer("call-1", "sara"))
    floor.do(RejectOffer("call-1", "sara"))
    assert floor.engine.agent_summary("reza").assigned == {"call-1"}
    assert floor.engine.live_offer("call-1") is None


def test_when_the_consult_times_out_the_first_agent_keeps_it():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    floor.do(ConsultTransfer("call-1", "sara"))
    events = floor.later(20)
    assert names(events) == ["offer.expired"]
    assert floor.engine.agent_summary("reza").assigned == {"call-1"}
    assert floor.engine.interaction_status("call-1") is Status.ASSIGNED


def test_ending_the_interaction_during_a_consult_withdraws_the_consult_offer():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    floor.do(ConsultTransfer("call-1", "sara"))
    events = floor.do(EndInteraction("call-1"))
    assert any(isinstance(e, OfferRevoked) and e.agent_id == "sara" for e in events)
    assert floor.engine.agent_load("sara") == dict.fromkeys(floor.engine.agent_load("sara"), 0)


def test_a_consulted_agent_going_not_ready_leaves_the_interaction_with_the_first_agent():
    floor = _floor_with_a_call_on("reza")
    floor.agent("sara", queues=["billing"])
    floor.do(ConsultTransfer("call-1", "sara"))
    floor.do(SetAgentState("sara", AgentState.NOT_READY, "break"))
    assert floor.engine.interaction_status("call-1") is Status.ASSIGNED
    assert floor.engine.live_offer("call-1") is None


def test_only_an_assigned_interaction_can_be_transferred():
    floor = Floor()
    floor.queue("q")
    floor.queue("billing")
    floor.arrive("call-1")
    with pytest.raises(RoutingError) as refused:
        floor.do(TransferToQueue("call-1", "billing"))
    assert refused.value.code == "not_assigned"
