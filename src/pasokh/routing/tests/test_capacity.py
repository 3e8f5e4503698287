"""Capacity per channel and the cross-channel rule; ringing offers count as load."""

from pasokh.routing.commands import EndInteraction
from pasokh.routing.model import Channel, CrossChannelRule, RoutingPolicy
from pasokh.routing.tests.floor import Floor


def test_an_agent_takes_up_to_three_chats_by_default_and_the_fourth_waits():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    for n in range(4):
        floor.arrive(f"chat-{n}", channel=Channel.CHAT)
    assert [floor.ringing(f"chat-{n}") for n in range(4)] == ["reza", "reza", "reza", None]


def test_an_agent_takes_one_call_at_a_time():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.arrive("call-2")
    assert floor.ringing("call-2") is None
    floor.answer("call-1")
    assert floor.ringing("call-2") is None


def test_a_ringing_offer_counts_as_load():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza", capacity={Channel.CHAT: 1})
    floor.arrive("chat-1", channel=Channel.CHAT)
    assert floor.engine.agent_load("reza")[Channel.CHAT] == 1
    floor.arrive("chat-2", channel=Channel.CHAT)
    assert floor.ringing("chat-2") is None


def test_a_freed_slot_is_offered_the_next_waiting_interaction_at_once():
    floor = Floor()
    floor.queue("q", wrap_up_s=0)
    floor.agent("reza", capacity={Channel.EMAIL: 1})
    floor.arrive("mail-1", channel=Channel.EMAIL)
    floor.arrive("mail-2", channel=Channel.EMAIL)
    floor.answer("mail-1")
    floor.do(EndInteraction("mail-1"))
    assert floor.ringing("mail-2") == "reza"


def test_a_channel_with_no_capacity_is_never_offered():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza", capacity={Channel.VOICE: 1})
    floor.arrive("mail-1", channel=Channel.EMAIL)
    assert floor.ringing("mail-1") is None


def test_by_default_a_live_call_blocks_new_chats():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.answer("call-1")
    floor.arrive("chat-1", channel=Channel.CHAT)
    assert floor.ringing("chat-1") is None


def test_a_ringing_call_blocks_new_chats_too():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.arrive("chat-1", channel=Channel.CHAT)
    assert floor.ringing("chat-1") is None


def test_by_default_open_chats_do_not_block_a_call():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("chat-1", channel=Channel.CHAT)
    floor.arrive("call-1")
    assert floor.ringing("call-1") == "reza"


def test_emails_can_be_worked_during_a_call_under_the_default_rule():
    floor = Floor()
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.arrive("mail-1", channel=Channel.EMAIL)
    assert floor.ringing("mail-1") == "reza"


def test_a_tenant_can_let_channels_be_independent():
    floor = Floor(policy=RoutingPolicy(cross_channel=CrossChannelRule.independent()))
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("call-1")
    floor.arrive("chat-1", channel=Channel.CHAT)
    assert floor.ringing("chat-1") == "reza"


def test_a_tenant_can_say_that_open_chats_block_calls():
    rule = CrossChannelRule.of({Channel.CHAT: {Channel.VOICE}})
    floor = Floor(policy=RoutingPolicy(cross_channel=rule))
    floor.queue("q")
    floor.agent("reza")
    floor.arrive("chat-1", channel=Channel.CHAT)
    floor.arrive("call-1")
    assert floor.ringing("call-1") is None


def test_when_the_call_ends_the_waiting_chat_is_offered():
    floor = Floor()
    floor.queue("q", wrap_up_s=0)
    floor.agent("reza")
    floor.arrive("call-1")
    floor.answer("call-1")
    floor.arrive("chat-1", channel=Channel.CHAT)
    floor.do(EndInteraction("call-1"))
    assert floor.ringing("chat-1") == "reza"
