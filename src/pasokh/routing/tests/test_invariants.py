"""Property-based histories: whatever agents and customers do, the invariants hold.

A Hypothesis state machine drives a small floor (four agents, three queues, every command the
engine knows) through generated histories. After every command it checks, against its own
oracle rather than the engine's code:

* an interaction has at most one live offer, and the books of offers and loads agree;
* no agent is offered beyond capacity, against the cross-channel rule, when not ready, or
  outside business hours (unless the queue routes outside hours);
* a queue offer goes to an agent who serves the queue and matches its current step (or is the
  returning customer's preferred agent), and not back to the agent who just missed it when
  someone else could take it;
* every interaction keeps its arrival time and priority whenever it is queued again, and ends
  in exactly one final state;
* nothing starves: no waiting interaction has an eligible agent with room;
* a snapshot restores to an engine with the same snapshot, and a standby restored from it
  answers every later command with the same events as the leader.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from pasokh.routing import commands as c
from pasokh.routing.engine import RoutingEngine
from pasokh.routing.events import (
    Event,
    InteractionQueued,
    OfferKind,
    WrapUpEnded,
    WrapUpStarted,
    final_state_of,
)
from pasokh.routing.expressions import parse
from pasokh.routing.model import (
    AgentDefinition,
    AgentState,
    Channel,
    CrossChannelRule,
    MaxWaitAction,
    QueueDefinition,
    QueueMembership,
    RoutingPolicy,
    Step,
    Strategy,
)
from pasokh.routing.state import AgentAtWork, LiveInteraction, RoutingError, Status
from pasokh.routing.tests.floor import T0
from pasokh.routing.tests.profiles import ROUTING_SETTINGS

AGENTS = ("a0", "a1", "a2", "a3")
QUEUES = ("q0", "q1", "q2")
CHANNELS = (Channel.VOICE, Channel.CHAT, Channel.EMAIL)
RULE = CrossChannelRule.of({Channel.VOICE: {Channel.CHAT}})
CAPACITY = {
    "a0": {Channel.VOICE: 1, Channel.CHAT: 2, Channel.EMAIL: 1},
    "a1": {Channel.VOICE: 1, Channel.CHAT: 1},
    "a2": {Channel.CHAT: 2, Channel.EMAIL: 1},
    "a3": {Channel.VOICE: 1, Channel.CHAT: 1, Channel.EMAIL: 1},
}


def _queue(queue_id: str, strategy: Strategy) -> QueueDefinition:
    if queue_id == "q0":
        return QueueDefinition(
            "q0",
            frozenset(CHANNELS),
            target="fa >= 3",
            steps=(Step(20, "fa >= 1"), Step(50, "true")),
            strategy=strategy,
            sticky_s=15,
            wrap_up_s=10,
            max_wait_s=90,
            max_wait_action=MaxWaitAction.CALLBACK,
            offer_timeout_s=10,
        )
    if queue_id == "q1":
        return QueueDefinition(
            "q1",
            frozenset({Channel.VOICE, Channel.CHAT}),
            target='sales >= 2 or team == "north"',
            steps=(Step(30, overflow_to="q2"),),
            strategy=strategy,
            wrap_up_s=0,
            offer_timeout_s=15,
            max_wait_s=200,
            max_wait_action=MaxWaitAction.VOICEMAIL,
        )
    return QueueDefinition(
        "q2",
        frozenset(CHANNELS),
        target="true",
        strategy=strategy,
        route_outside_hours=True,
        proficiency_skill="sales",
        wrap_up_s=5,
        max_wait_s=300,
        max_wait_action=MaxWaitAction.TICKET,
    )


class Hours:
    def __init__(self) -> None:
        self.open = True

    def is_open(self, at: object) -> bool:
        return self.open


class CheckedEngine(RoutingEngine):
    """The engine, with every offer checked against the test's own oracle as it is made."""

    oracle: RoutingMachine

    def _offer(self, interaction: LiveInteraction, agent: AgentAtWork, kind: OfferKind) -> None:
        self.oracle.check_offer(self, interaction, agent, kind)
        super()._offer(interaction, agent, kind)


skills = st.fixed_dictionaries(
    {"fa": st.integers(0, 5), "sales": st.integers(0, 3)},
)


class RoutingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.hours = Hours()
        self.policy = RoutingPolicy(cross_channel=RULE, missed_offers_limit=2)
        self.now = T0
        self.engine = self._new_engine()
        self.arrival: dict[str, tuple[object, int]] = {}
        self.finals: Counter[str] = Counter()
        self.ended: set[str] = set()
        self.next_id = 0
        self.twin: RoutingEngine | None = None  # restored from a snapshot, fed the same commands
        strategies = list(Strategy)
        for index, queue_id in enumerate(("q2", "q1", "q0")):
            self.do(c.DefineQueue(_queue(queue_id, strategies[index % len(strategies)])))

    def _new_engine(self, engine: RoutingEngine | None = None) -> CheckedEngine:
        if engine is None:
            fresh = CheckedEngine(self.hours, self.policy)
        else:
            fresh = CheckedEngine.restore(engine.snapshot(), self.hours, self.policy)
        fresh.oracle = self
        return fresh

    # ── driving the engine ──────────────────────────────────────────────────────────────────

    def do(self, command: c.Command) -> list[Event]:
        before = self.engine.snapshot()
        try:
            events = self.engine.handle(command, self.now)
        except RoutingError as refused:
            code = refused.code
        else:
            code = None
        if code is not None:
            assert self.engine.snapshot() == before, "a refused command changed the engine"
            if self.twin is not None:
                with pytest.raises(RoutingError) as twin_refused:
                    self.twin.handle(command, self.now)
                assert twin_refused.value.code == code
            return []
        if self.twin is not None:
            assert self.twin.handle(command, self.now) == events, "the restored twin diverged"
        self.record(events)
        return events

    def record(self, events: list[Event]) -> None:
        for event in events:
            iid = getattr(event, "interaction_id", None)
            if isinstance(event, WrapUpStarted | WrapUpEnded):
                continue  # after-call work is the agent's, and follows the end
            assert iid is None or iid not in self.ended, f"{event.name} after {iid} ended"
            if isinstance(event, InteractionQueued):
                expected = self.arrival.setdefault(iid, (event.arrived_at, event.priority))
                assert (event.arrived_at, event.priority) == expected
            final = final_state_of(event)
            if final is not None:
                self.finals[event.interaction_id] += 1
                self.ended.add(event.interaction_id)

    def pick(self, data: st.DataObject, items: list[str]) -> str | None:
        return data.draw(st.sampled_from(sorted(items))) if items else None

    # ── rules ───────────────────────────────────────────────────────────────────────────────

    @initialize(
        staff=st.lists(
            st.tuples(skills, st.sampled_from(["north", "south"]), st.permutations(QUEUES)),
            min_size=4,
            max_size=4,
        )
    )
    def open_the_floor(self, staff):
        for agent, (agent_skills, team, queues) in zip(AGENTS, staff, strict=True):
            profile = tuple(QueueMembership(q, p) for p, q in enumerate(queues[:2], start=1))
            definition = AgentDefinition(
                agent,
                skills=agent_skills,
                teams=frozenset({team}),
                capacity=CAPACITY[agent],
                profile=profile,
            )
            self.do(c.DefineAgent(definition))
            self.do(c.LogInAgent(agent, ready=True))

    @rule(
        agent=st.sampled_from(AGENTS),
        skills=skills,
        team=st.sampled_from(["north", "south"]),
        queues=st.lists(
            st.tuples(st.sampled_from(QUEUES), st.integers(1, 3)), min_size=1, max_size=3
        ),
    )
    def define_agent(self, agent, skills, team, queues):
        profile = tuple(QueueMembership(q, p) for q, p in dict(queues).items())
        definition = AgentDefinition(
            agent, skills=skills, teams=frozenset({team}), capacity=CAPACITY[agent], profile=profile
        )
        self.do(c.DefineAgent(definition))

    @rule(agent=st.sampled_from(AGENTS), ready=st.booleans())
    def log_in(self, agent, ready):
        self.do(c.LogInAgent(agent, ready))

    @rule(agent=st.sampled_from(AGENTS))
    def log_out(self, agent):
        self.do(c.LogOutAgent(agent))

    @rule(agent=st.sampled_from(AGENTS), ready=st.booleans())
    def set_state(self, agent, ready):
        state = AgentState.READY if ready else AgentState.NOT_READY
        self.do(c.SetAgentState(agent, state, "" if ready else "break"))

    @rule(agent=st.sampled_from(AGENTS))
    def remove_agent(self, agent):
        self.do(c.RemoveAgent(agent))

    @rule(
        arrivals=st.lists(
            st.tuples(
                st.sampled_from(QUEUES),
                st.sampled_from(CHANNELS),
                st.none() | st.integers(0, 9),
                st.none() | st.sampled_from(AGENTS),
                st.integers(0, 30),
            ),
            min_size=1,
            max_size=4,
        )
    )
    def customers_arrive(self, arrivals):
        for queue, channel, priority, preferred, earlier in arrivals:
            self.next_id += 1
            attributes = {} if preferred is None else {"preferred_agent_id": preferred}
            arrived_at = self.now - timedelta(seconds=earlier)
            self.do(
                c.EnqueueInteraction(
                    f"i{self.next_id}", channel, queue, priority, attributes, arrived_at
                )
            )

    @rule(data=st.data(), accept=st.sampled_from([True, True, True, False]))
    def answer_an_offer(self, data, accept):
        ringing = [i for i in self.engine.interaction_ids() if self.engine.live_offer(i)]
        iid = self.pick(data, ringing)
        if iid is None:
            return
        offer = self.engine.live_offer(iid)
        assert offer is not None
        command = c.AcceptOffer if accept else c.RejectOffer
        self.do(command(iid, offer.agent_id))

    def _assigned(self) -> list[str]:
        return [
            i
            for i in self.engine.interaction_ids()
            if self.engine.interaction_status(i) is Status.ASSIGNED
        ]

    @rule(data=st.data())
    def end_interaction(self, data):
        iid = self.pick(data, self._assigned())
        if iid is not None:
            self.do(c.EndInteraction(iid))

    @rule(data=st.data(), pause=st.sampled_from([5, 10, 20]))
    def a_call_ends_and_wrap_up_runs_out(self, data, pause):
        iid = self.pick(data, self._assigned())
        if iid is not None:
            self.do(c.EndInteraction(iid))
        self.now += timedelta(seconds=pause)
        self.do(c.Tick())

    @rule(agent=st.sampled_from(AGENTS))
    def end_wrap_up(self, agent):
        self.do(c.EndWrapUp(agent))

    @rule(data=st.data(), cancel=st.booleans())
    def customer_leaves_or_service_cancels(self, data, cancel):
        iid = self.pick(data, self.engine.interaction_ids())
        if iid is not None:
            self.do(c.CancelInteraction(iid) if cancel else c.AbandonInteraction(iid))

    @rule(data=st.data(), queue=st.sampled_from(QUEUES))
    def transfer_to_queue(self, data, queue):
        iid = self.pick(data, self._assigned())
        if iid is not None:
            self.do(c.TransferToQueue(iid, queue))

    @rule(data=st.data(), agent=st.sampled_from(AGENTS), warm=st.booleans())
    def transfer_to_agent(self, data, agent, warm):
        iid = self.pick(data, self._assigned())
        if iid is not None:
            self.do(c.ConsultTransfer(iid, agent) if warm else c.TransferToAgent(iid, agent))

    @rule(data=st.data())
    def request_callback(self, data):
        iid = self.pick(data, self.engine.interaction_ids())
        if iid is not None:
            self.do(c.RequestCallback(iid))

    @rule(seconds=st.sampled_from([0, 1, 5, 10, 15, 20, 30, 60]))
    def time_passes(self, seconds):
        self.now += timedelta(seconds=seconds)
        self.do(c.Tick())

    @rule()
    def business_hours_change(self):
        self.hours.open = not self.hours.open

    @precondition(lambda self: self.engine.interaction_ids())
    @rule()
    def router_restarts_from_its_snapshot(self):
        snapshot = self.engine.snapshot()
        self.engine = self._new_engine(self.engine)
        assert self.engine.snapshot() == snapshot

    @precondition(lambda self: self.twin is None and self.engine.interaction_ids())
    @rule()
    def a_standby_restores_from_the_snapshot_and_shadows_the_leader(self):
        snapshot = self.engine.snapshot()
        self.twin = RoutingEngine.restore(snapshot, self.hours, self.policy)
        assert self.twin.snapshot() == snapshot

    # ── the oracle ──────────────────────────────────────────────────────────────────────────

    def room(self, engine: RoutingEngine, agent: AgentAtWork, channel: Channel) -> bool:
        slot = channel.capacity_channel
        if agent.state is not AgentState.READY:
            return False
        if agent.load[slot] >= agent.definition.capacity.get(slot, 0):
            return False
        return not (slot is Channel.CHAT and agent.load[Channel.VOICE] > 0)

    def eligible(self, engine: RoutingEngine, interaction: LiveInteraction, agent: AgentAtWork):
        line = engine._queues[interaction.queue_id]
        if agent.agent_id not in line.members or not self.room(engine, agent, interaction.channel):
            return False
        if interaction.preferred_agent_id is not None:
            return agent.agent_id == interaction.preferred_agent_id
        stage = line.definition.stages[interaction.stage]
        expression = parse(str(stage.expression))
        return expression.matches(agent.definition.environment())

    def check_offer(self, engine, interaction, agent, kind) -> None:
        assert interaction.offer is None, "a second live offer"
        assert self.room(engine, agent, interaction.channel), "offered without room"
        if kind is OfferKind.QUEUE:
            line = engine._queues[interaction.queue_id]
            assert self.hours.open or line.definition.route_outside_hours, "offered after hours"
            assert self.eligible(engine, interaction, agent), "offered to an ineligible agent"
            if interaction.last_missed_by == agent.agent_id:
                others = [
                    other
                    for other in engine._agents.values()
                    if other is not agent and self.eligible(engine, interaction, other)
                ]
                assert not others, "re-offered to the agent who missed it"

    @invariant()
    def books_agree(self):
        engine = self.engine
        for agent in engine._agents.values():
            expected = dict.fromkeys(agent.load, 0)
            for iid in agent.offers | agent.assigned:
                expected[engine._interactions[iid].channel.capacity_channel] += 1
            assert agent.load == expected
            for slot, load in agent.load.items():
                assert load <= agent.definition.capacity.get(slot, 0)
            for iid in agent.offers:
                offer = engine._interactions[iid].offer
                assert offer is not None
                assert offer.agent_id == agent.agent_id
            if agent.state is AgentState.WRAP_UP:
                assert agent.wrap_ups
        for interaction in engine._interactions.values():
            holders = [a for a in engine._agents.values() if interaction.interaction_id in a.offers]
            assert len(holders) == (interaction.offer is not None)
            if interaction.status is Status.OFFERED:
                assert interaction.offer is not None
                assert interaction.agent_id is None
            if interaction.status is Status.ASSIGNED:
                assert interaction.agent_id is not None

    @invariant()
    def every_interaction_ends_once(self):
        live = set(self.engine.interaction_ids())
        assert all(count == 1 for count in self.finals.values())
        assert not live & self.ended
        assert live | self.ended == set(self.arrival)

    @invariant()
    def nothing_starves(self):
        engine = self.engine
        for interaction in engine._interactions.values():
            if interaction.status is not Status.WAITING:
                continue
            line = engine._queues[interaction.queue_id]
            if not (engine._open or line.definition.route_outside_hours):
                continue
            for agent in engine._agents.values():
                assert not self.eligible(engine, interaction, agent), (
                    f"{interaction.interaction_id} waits while {agent.agent_id} could take it"
                )

    @invariant()
    def the_standby_stays_identical(self):
        if self.twin is not None:
            assert self.twin.snapshot() == self.engine.snapshot()


RoutingMachine.TestCase.settings = ROUTING_SETTINGS
TestRoutingHistories = RoutingMachine.TestCase
