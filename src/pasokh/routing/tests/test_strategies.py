"""Which of several eligible agents gets the offer: the queue's strategy decides."""

from pasokh.routing.commands import EndInteraction, EndWrapUp
from pasokh.routing.model import Channel, Strategy
from pasokh.routing.tests.floor import Floor


def test_longest_idle_offers_to_the_agent_who_has_been_free_the_longest():
    floor = Floor()
    floor.queue("q", strategy=Strategy.LONGEST_IDLE, wrap_up_s=0)
    floor.agent("b-early")
    floor.later(10)
    floor.agent("a-late")
    floor.arrive("call-1")
    assert floor.ringing("call-1") == "b-early"


def test_longest_idle_counts_from_the_end_of_the_last_interaction():
    floor = Floor()
    floor.queue("q", strategy=Strategy.LONGEST_IDLE, wrap_up_s=0)
    floor.agent("reza")
    floor.agent("sara")
    floor.arrive("call-1")
    assert floor.ringing("call-1") == "reza"  # equal idle time: the agent id decides
    floor.answer("call-1")
    floor.later(5)
    floor.do(EndInteraction("call-1"))
    floor.arrive("call-2")
    assert floor.ringing("call-2") == "sara"


def test_least_occupied_offers_to_the_agent_with_the_fewest_chats():
    floor = Floor()
    floor.queue("q", strategy=Strategy.LEAST_OCCUPIED)
    floor.agent("reza")
    floor.agent("sara")
    for n in range(3):
        floor.arrive(f"chat-{n}", channel=Channel.CHAT)
        floor.answer(f"chat-{n}")
    assert floor.engine.agent_load("reza")[Channel.CHAT] == 2
    assert floor.engine.agent_load("sara")[Channel.CHAT] == 1
    floor.arrive("chat-3", channel=Channel.CHAT)
    assert floor.ringing("chat-3") == "sara"


def test_least_occupied_compares_occupancy_against_each_agents_capacity():
    floor = Floor()
    floor.queue("q", strategy=Strategy.LEAST_OCCUPIED)
    floor.agent("reza", capacity={Channel.CHAT: 2})
    floor.agent("sara", capacity={Channel.CHAT: 6})
    floor.arrive("chat-0", channel=Channel.CHAT)
    assert floor.ringing("chat-0") == "reza"
    floor.answer("chat-0")
    floor.arrive("chat-1", channel=Channel.CHAT)
    floor.answer("chat-1")
    floor.arrive("chat-2", channel=Channel.CHAT)
    # reza is half full (1 of 2); sara has one chat of six
    assert floor.ringing("chat-2") == "sara"


def test_round_robin_takes_turns_among_the_queues_agents():
    floor = Floor()
    floor.queue("q", strategy=Strategy.ROUND_ROBIN, wrap_up_s=0)
    for agent in ("a", "b", "c"):
        floor.agent(agent)
    chosen = []
    for n in range(5):
        floor.arrive(f"call-{n}")
        chosen.append(floor.ringing(f"call-{n}"))
        floor.answer(f"call-{n}")
        floor.do(EndInteraction(f"call-{n}"))
    assert chosen == ["a", "b", "c", "a", "b"]


def test_highest_proficiency_prefers_the_strongest_agent_in_the_named_skill():
    floor = Floor()
    floor.queue(
        "q", strategy=Strategy.HIGHEST_PROFICIENCY, proficiency_skill="tv_repair", target="true"
    )
    floor.agent("novice", skills={"tv_repair": 2, "fa": 9})
    floor.agent("expert", skills={"tv_repair": 9, "fa": 1})
    floor.arrive("call-1")
    assert floor.ringing("call-1") == "expert"


def test_highest_proficiency_without_a_named_skill_sums_the_skills_of_the_expression():
    floor = Floor()
    floor.queue("q", strategy=Strategy.HIGHEST_PROFICIENCY, target="fa >= 1 and sales >= 1")
    floor.agent("a", skills={"fa": 9, "sales": 1, "en": 10})
    floor.agent("b", skills={"fa": 6, "sales": 6})
    floor.arrive("call-1")
    assert floor.ringing("call-1") == "b"


def test_an_agent_who_ends_wrap_up_early_becomes_available_at_once():
    floor = Floor()
    floor.queue("q", wrap_up_s=60)
    floor.agent("reza")
    floor.arrive("call-1")
    floor.answer("call-1")
    floor.do(EndInteraction("call-1"))
    floor.arrive("call-2")
    assert floor.ringing("call-2") is None
    floor.do(EndWrapUp("reza"))
    assert floor.ringing("call-2") == "reza"
