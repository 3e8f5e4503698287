"""One replication: a discrete-event simulation that drives the real ``RoutingEngine``.

The simulator owns only what the engine does not: the virtual clock, the customers (when they
arrive, how long they talk, how long they are willing to wait) and the agents' hands (they
accept an offer after ``accept_delay_s``, hang up after the handle time, log in and out with
their shifts). Every routing decision — which agent gets which call, wrap-up, steps, maximum
waits — is made by the engine through its public ``handle(command, now)``, exactly as in
production, so a what-if measures the router that will run, not a model of it.

The event list is a binary heap of ``(time, sequence, kind, subject, detail)``; the sequence
number breaks ties first-come, so a run is deterministic. The engine exposes no "next
deadline", so the simulator sends ``Tick`` at the instants it knows the engine has a timer
due: the ``ends_at`` of each ``WrapUpStarted`` and, for queues with steps or a maximum wait,
each step's and the maximum wait's time after a call enters the queue.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pasokh.routing import events as ev
from pasokh.routing.commands import (
    AbandonInteraction,
    AcceptOffer,
    Command,
    DefineAgent,
    DefineQueue,
    EndInteraction,
    EnqueueInteraction,
    LogInAgent,
    LogOutAgent,
    SetAgentState,
    Tick,
)
from pasokh.routing.engine import RoutingEngine
from pasokh.routing.model import AgentState
from pasokh.routing.state import RoutingError
from pasokh.simulation.scenario import QueueSpec, Scenario
from pasokh.simulation.tally import AgentTally, QueueTally, ReplicationTally

EPOCH = datetime(2026, 3, 21, 4, 30, tzinfo=UTC)  # 08:00 in Tehran; any aware instant works

_ARRIVAL, _ACCEPT, _END, _ABANDON, _TICK, _SHIFT_START, _SHIFT_END = range(7)
_PROGRESS_EVERY = 1_000
# Events after which a waiting call may still be answered: a new arrival keeps the run going,
# an agent may log in, finish a call or accept one. With none of these pending and nobody
# logged in, the floor has closed for good and the run ends; what still waits is stranded.
_HOPEFUL = frozenset({_ARRIVAL, _ACCEPT, _END, _SHIFT_START})
# After the arrivals stop, calls already in are followed to their end, but for no longer than
# this: calls that agents still logged in can never take (no skill, overflows that send them
# back and forth) would otherwise keep the clock running for ever. They count as stranded.
DRAIN_LIMIT_S = 24 * 3600.0


@dataclass(slots=True)
class _Call:
    queue: QueueSpec
    tally: QueueTally | None  # None: arrived during the warm-up or after the horizon
    arrived: float
    handle_s: float


class _Streams:
    """Independent generators per queue and purpose, seeded from the replication seed.

    Arrivals, handle times and patience of a queue each have their own stream, so two
    scenarios that differ only in staffing or routing see the very same customers (common
    random numbers: their difference is measured with far less noise).
    """

    def __init__(self, seed: int, replication: int, queue: str) -> None:
        prefix = f"{seed}:{replication}:{queue}"
        self.arrivals = random.Random(f"{prefix}:arrivals")  # noqa: S311 - simulation
        self.handle = random.Random(f"{prefix}:handle")  # noqa: S311
        self.patience = random.Random(f"{prefix}:patience")  # noqa: S311


class Replication:
    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        index: int,
        progress: Callable[[float], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.engine = RoutingEngine()
        self.progress = progress
        self.heap: list[tuple[float, int, int, Any, Any]] = []
        self.sequence = 0
        self.now = 0.0
        self.now_dt = EPOCH
        self.calls: dict[str, _Call] = {}
        self.streams = {q.name: _Streams(seed, index, q.name) for q in scenario.queues}
        self.queues = {q.name: q for q in scenario.queues}
        self.tally = ReplicationTally({q.name: QueueTally() for q in scenario.queues})
        self.next_call_number = 0
        self.agents_logged_in = 0
        self.hopeful = 0  # scheduled events that may yet get a waiting call answered
        self.follow_ups: list[Command] = []
        self.maybe_leaving: list[AgentTally] = []
        self.handlers: dict[type[ev.Event], Callable[[Any], None]] = {
            ev.InteractionOffered: self._offered,
            ev.InteractionAssigned: self._assigned,
            ev.InteractionEnded: self._ended,
            ev.InteractionAbandoned: self._abandoned,
            ev.InteractionMaxWaitReached: self._max_wait,
            ev.InteractionQueued: self._queued,
            ev.WrapUpStarted: self._wrap_up_started,
            ev.WrapUpEnded: self._wrap_up_ended,
        }

    # ── the loop ────────────────────────────────────────────────────────────────────────────

    def run(self) -> ReplicationTally:
        self._set_up()
        heap, horizon = self.heap, self.scenario.duration_s
        dispatch: dict[int, Callable[[Any, Any], None]] = {
            _ARRIVAL: self._arrival,
            _ACCEPT: self._accept,
            _END: self._end,
            _ABANDON: self._abandon,
            _TICK: self._tick,
            _SHIFT_START: self._shift_start,
            _SHIFT_END: self._shift_end,
        }
        processed = 0
        stop_at = horizon + DRAIN_LIMIT_S
        while heap and heap[0][0] <= stop_at:
            t, _, kind, subject, detail = heapq.heappop(heap)
            if kind in _HOPEFUL:
                self.hopeful -= 1
            elif self.hopeful == 0 and self.agents_logged_in == 0:
                break  # the floor has closed for good: nobody can answer what still waits
            self._advance_to(t)
            dispatch[kind](subject, detail)
            processed += 1
            if self.progress is not None and processed % _PROGRESS_EVERY == 0:
                self.progress(min(self.now / horizon, 1.0))
        self._close_books()
        return self.tally

    def _schedule(self, t: float, kind: int, subject: Any = None, detail: Any = None) -> None:
        self.sequence += 1
        if kind in _HOPEFUL:
            self.hopeful += 1
        heapq.heappush(self.heap, (t, self.sequence, kind, subject, detail))

    def _advance_to(self, t: float) -> None:
        self.now = t
        moment = EPOCH + timedelta(seconds=t)
        if moment > self.now_dt:
            self.now_dt = moment

    def _send(self, command: Command) -> None:
        """Hand one command to the engine, react to its events, then run the follow-ups
        (immediate accepts, log-outs) that those events called for."""
        self.tally.events += 1
        handlers = self.handlers
        for event in self.engine.handle(command, self.now_dt):
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
        if self.maybe_leaving:
            leaving, self.maybe_leaving = self.maybe_leaving, []
            for agent in leaving:
                if agent.leaving and agent.work == 0 and agent.logged_in_since is not None:
                    self.follow_ups.append(LogOutAgent(agent.agent_id))
                    self._log_out(agent)
        while self.follow_ups:
            follow_up = self.follow_ups.pop(0)
            self._send(follow_up)

    # ── set-up and the end ──────────────────────────────────────────────────────────────────

    def _set_up(self) -> None:
        # Overflows may point at a queue defined later, or at each other: define every queue
        # without its overflow first, then again in full.
        for queue in self.scenario.queues:
            definition = queue.definition
            if definition.overflow is not None:
                definition = replace(definition, steps=definition.steps[:-1])
            self._send(DefineQueue(definition))
        for queue in self.scenario.queues:
            if queue.definition.overflow is not None:
                self._send(DefineQueue(queue.definition))
        for group in self.scenario.agents:
            queues = frozenset(m.queue_id for m in group.profile)
            for agent_id in group.agent_ids():
                self.tally.agents[agent_id] = AgentTally(agent_id, group.name, queues)
                self._send(DefineAgent(group.definition(agent_id)))
                self._schedule(group.shift_start_s, _SHIFT_START, agent_id)
                if group.shift_end_s is not None:
                    self._schedule(group.shift_end_s, _SHIFT_END, agent_id)
        for queue in self.scenario.queues:
            self._schedule_arrival(queue, 0.0)

    def _close_books(self) -> None:
        for agent in self.tally.agents.values():
            if agent.work:
                agent.busy_s += self._counted(agent.busy_since, self.now)
            if agent.logged_in_since is not None:
                agent.logged_in_s += self._counted(agent.logged_in_since, self.now)
        for call in self.calls.values():
            if call.tally is not None:  # still waiting: no agent was left to take it
                call.tally.stranded += 1

    def _counted(self, start: float, end: float) -> float:
        """The part of [start, end] inside the counted window [warm-up, horizon]."""
        low = max(start, self.scenario.warmup_s)
        high = min(end, self.scenario.duration_s)
        return high - low if high > low else 0.0

    # ── customers ───────────────────────────────────────────────────────────────────────────

    def _schedule_arrival(self, queue: QueueSpec, t: float) -> None:
        rng = self.streams[queue.name].arrivals
        arrival = queue.arrivals.next_arrival(t, self.scenario.duration_s, rng)
        if arrival is not None:
            self._schedule(arrival, _ARRIVAL, queue)

    def _arrival(self, queue: QueueSpec, _: None) -> None:
        streams = self.streams[queue.name]
        self.next_call_number += 1
        call_id = f"{queue.name}#{self.next_call_number}"
        counted = self.now >= self.scenario.warmup_s
        tally = self.tally.queues[queue.name] if counted else None
        if tally is not None:
            tally.offered += 1
        self.calls[call_id] = _Call(
            queue, tally, self.now, queue.handle_time.sample(streams.handle)
        )
        if queue.patience is not None:
            self._schedule(self.now + queue.patience.sample(streams.patience), _ABANDON, call_id)
        self._schedule_arrival(queue, self.now)
        self._send(EnqueueInteraction(call_id, queue.arrivals.channel, queue.name))

    def _abandon(self, call_id: str, _: None) -> None:
        if call_id in self.calls:  # still waiting (or ringing): the caller gives up
            self._send(AbandonInteraction(call_id))

    def _end(self, call_id: str, _: None) -> None:
        self._send(EndInteraction(call_id))

    def _finish(self, call_id: str) -> _Call:
        """The call leaves the line (answered, abandoned or closed): record its wait."""
        call = self.calls.pop(call_id)
        if call.tally is not None:
            call.tally.wait_s += self.now - call.arrived
        return call

    # ── agents ──────────────────────────────────────────────────────────────────────────────

    def _accept(self, call_id: str, agent_id: str) -> None:
        try:
            self._send(AcceptOffer(call_id, agent_id))
        except RoutingError as error:
            if error.code not in ("no_offer", "unknown_interaction"):
                raise  # the offer was withdrawn meanwhile; anything else is a real fault

    def _tick(self, at: datetime, _: None) -> None:
        if at > self.now_dt:
            self.now_dt = at
        self._send(Tick())

    def _shift_start(self, agent_id: str, _: None) -> None:
        agent = self.tally.agents[agent_id]
        agent.logged_in_since = self.now
        self.agents_logged_in += 1
        self._send(LogInAgent(agent_id, ready=True))

    def _shift_end(self, agent_id: str, _: None) -> None:
        agent = self.tally.agents[agent_id]
        if agent.logged_in_since is None:
            return
        agent.leaving = True
        if agent.work == 0:
            self._log_out(agent)
            self._send(LogOutAgent(agent_id))
        else:
            self._send(SetAgentState(agent_id, AgentState.NOT_READY, "shift_end"))

    def _log_out(self, agent: AgentTally) -> None:
        assert agent.logged_in_since is not None
        agent.logged_in_s += self._counted(agent.logged_in_since, self.now)
        agent.logged_in_since = None
        self.agents_logged_in -= 1

    def _work_changes(self, agent_id: str, change: int) -> None:
        agent = self.tally.agents[agent_id]
        if agent.work == 0 and change > 0:
            agent.busy_since = self.now
        agent.work += change
        if agent.work == 0:
            agent.busy_s += self._counted(agent.busy_since, self.now)
            if agent.leaving:
                self.maybe_leaving.append(agent)

    # ── what the engine reports ─────────────────────────────────────────────────────────────

    def _offered(self, event: ev.InteractionOffered) -> None:
        delay = self.scenario.accept_delay_s
        if delay == 0:
            self.follow_ups.append(AcceptOffer(event.interaction_id, event.agent_id))
        else:
            self._schedule(self.now + delay, _ACCEPT, event.interaction_id, event.agent_id)

    def _assigned(self, event: ev.InteractionAssigned) -> None:
        call = self._finish(event.interaction_id)
        waited = self.now - call.arrived
        self._work_changes(event.agent_id, +1)
        self._schedule(self.now + call.handle_s, _END, event.interaction_id)
        tally = call.tally
        if tally is not None:
            tally.answered += 1
            tally.handle_s += call.handle_s
            if waited > 0:
                tally.waited += 1
            if waited <= call.queue.target_s:
                tally.answered_in_target += 1

    def _ended(self, event: ev.InteractionEnded) -> None:
        self._work_changes(event.agent_id, -1)

    def _abandoned(self, event: ev.InteractionAbandoned) -> None:
        call = self._finish(event.interaction_id)
        if call.tally is not None:
            call.tally.abandoned += 1
            call.tally.waited += 1

    def _max_wait(self, event: ev.InteractionMaxWaitReached) -> None:
        if event.final_state is None:
            return  # turned into a callback: it keeps waiting
        call = self._finish(event.interaction_id)
        if call.tally is not None:
            call.tally.closed += 1
            call.tally.waited += 1

    def _queued(self, event: ev.InteractionQueued) -> None:
        if event.requeued:
            return  # same queue, same entry time: its timers are already scheduled
        for delay in self.queues[event.queue_id].wait_timer_delays():
            due = self.now_dt + timedelta(seconds=delay)
            self._schedule(self.now + delay, _TICK, due)

    def _wrap_up_started(self, event: ev.WrapUpStarted) -> None:
        self._work_changes(event.agent_id, +1)
        self._schedule((event.ends_at - EPOCH).total_seconds(), _TICK, event.ends_at)

    def _wrap_up_ended(self, event: ev.WrapUpEnded) -> None:
        self._work_changes(event.agent_id, -1)
