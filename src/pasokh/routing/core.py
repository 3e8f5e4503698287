"""The mechanics under the engine: waiting lines, offers, matching and timers.

``RoutingEngine`` (engine.py) turns commands into calls on these primitives. Two matching
moves keep the engine *stable* — after every command no waiting interaction has an eligible
agent with free capacity:

* ``_route_interaction``: an interaction became routable (arrived, came back, relaxed a step);
  pick the best available eligible agent of its queue by the queue's strategy.
* ``_route_agent``: an agent gained room (became ready, finished work, got new skills); give
  them the best waiting interaction of their highest-priority queues, again and again while
  room remains.

Waiting interactions are kept in heaps per (queue, channel, stage): everyone in one heap
accepts exactly the same agents, so looking at heap heads is enough and no command scans the
whole waiting line.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta
from functools import cache

from pasokh.routing.events import (
    AgentStateChanged,
    Event,
    InteractionOffered,
    InteractionQueued,
    OfferKind,
    OfferRevoked,
    WrapUpEnded,
    WrapUpStarted,
)
from pasokh.routing.model import (
    ALWAYS_OPEN,
    AgentDefinition,
    AgentState,
    Channel,
    RoutingPolicy,
    Schedule,
    Strategy,
)
from pasokh.routing.state import (
    AgentAtWork,
    Bucket,
    Entry,
    Limit,
    LiveInteraction,
    Offer,
    QueueLine,
    RoutingError,
    Status,
)
from pasokh.routing.strategies import choose_agent, proficiency

WORK_CHANNELS = (Channel.VOICE, Channel.CHAT, Channel.EMAIL, Channel.MESSAGING)
SLOT = {channel: channel.capacity_channel for channel in Channel}
# Every room an agent can have, made once and indexed by a bitmask (bit i: WORK_CHANNELS[i]),
# and what each change of room gains and loses (``_ROOM_CHANGES[old << 4 | new]``): loads change
# with every offer and every end, and _refresh then picks these instead of building sets.
_ROOMS = tuple(
    frozenset(slot for i, slot in enumerate(WORK_CHANNELS) if mask >> i & 1)
    for mask in range(1 << len(WORK_CHANNELS))
)
_ROOM_CHANGES = tuple(
    (tuple(_ROOMS[new] - _ROOMS[old]), tuple(_ROOMS[old] - _ROOMS[new]))
    for old in range(len(_ROOMS))
    for new in range(len(_ROOMS))
)
# Enum members read on every command, as module constants: ``AgentState.READY`` looked up on
# its class costs several times a plain global on Python 3.11 (measured), and these are read
# hundreds of thousands of times a second.
_READY, _WRAP_UP, _OFFLINE = AgentState.READY, AgentState.WRAP_UP, AgentState.OFFLINE
_WAITING, _OFFERED = Status.WAITING, Status.OFFERED
_QUEUE_OFFER, _CONSULT = OfferKind.QUEUE, OfferKind.CONSULT
_CALLBACK = Channel.CALLBACK


@cache
def seconds(n: int) -> timedelta:
    """``timedelta(seconds=n)``, made once for each n: building a timedelta costs more than
    the datetime arithmetic it serves, and offers, wrap-ups and steps need one per command
    from the few durations their queues define."""
    return timedelta(seconds=n)


def _earlier(delay: int | None, other: int) -> int:
    return other if delay is None or other < delay else delay


class RoutingCore:
    def __init__(
        self, schedule: Schedule = ALWAYS_OPEN, policy: RoutingPolicy | None = None
    ) -> None:
        self.schedule = schedule
        self.policy = policy or RoutingPolicy()
        self._blocked_by = self.policy.cross_channel.blocked_by
        self._agents: dict[str, AgentAtWork] = {}
        self._queues: dict[str, QueueLine] = {}
        self._interactions: dict[str, LiveInteraction] = {}
        # Per capacity channel, the agents who could take an offer on it right now. One set
        # per channel rather than one per queue: an agent's room changes with every offer and
        # every end, and then only these sets need telling, not each of their queues'.
        self._room_on: dict[Channel, set[str]] = {slot: set() for slot in WORK_CHANNELS}
        self._offer_timers: list[tuple[datetime, int, str]] = []
        self._wrap_up_timers: list[tuple[datetime, str, str]] = []
        self._wait_timers: list[tuple[datetime, int, int, str]] = []
        self._next_order = 0
        self._next_offer_id = 0
        self._next_ticket = 0
        self._now: datetime | None = None
        self._open = True
        self._events: list[Event] = []

    @property
    def now(self) -> datetime:
        if self._now is None:
            raise RoutingError("no_clock", "the engine has not handled a command yet")
        return self._now

    # ── eligibility ─────────────────────────────────────────────────────────────────────────

    def _can_take(self, agent: AgentAtWork, channel: Channel) -> bool:
        """Ready, with a free slot on the channel, and no work that the cross-channel rule
        says blocks it. Ringing offers count as load. (Cached in ``agent.room``.)"""
        return SLOT[channel] in agent.room

    def _limits_of(self, definition: AgentDefinition) -> tuple[Limit, ...]:
        """The agent's capacity and the policy's cross-channel rule, put the way ``_refresh``
        reads them: only the channels the agent has slots on, blockers as a tuple."""
        blocked_by = self._blocked_by
        return tuple(
            (slot, slots, tuple(sorted(blocked_by.get(slot, ()))), 1 << i)
            for i, slot in enumerate(WORK_CHANNELS)
            if (slots := definition.capacity.get(slot, 0)) > 0
        )

    def _enrol(self, agent: AgentAtWork, line: QueueLine, priority: int) -> None:
        """Make the agent a member of the queue, with the stages their attributes match."""
        agent_id = agent.agent_id
        line.members[agent_id] = priority
        definition = line.definition
        for stage, eligible in zip(definition.stages, line.eligible, strict=True):
            if stage.expression.matches(agent.environment):
                eligible.add(agent_id)
        if definition.strategy is Strategy.HIGHEST_PROFICIENCY:
            for stage_index, levels in enumerate(line.proficiency):
                levels[agent_id] = proficiency(definition, stage_index, agent.definition)

    def _unenrol(self, agent: AgentAtWork, line: QueueLine) -> None:
        agent_id = agent.agent_id
        line.members.pop(agent_id, None)
        for eligible in line.eligible:
            eligible.discard(agent_id)
        for levels in line.proficiency:
            levels.pop(agent_id, None)

    def _is_open(self, line: QueueLine) -> bool:
        return self._open or line.definition.route_outside_hours

    def _refresh(self, agent: AgentAtWork) -> None:
        """Recompute the agent's room after a change of state or load — the channels a ready
        agent has a free slot on, unless work on another channel blocks it — and keep the
        per-channel sets of agents with room in step with it."""
        mask = 0  # the room as bits of WORK_CHANNELS
        if agent.state is _READY:
            load = agent.load
            for slot, slots, blockers, bit in agent.limits:
                if load[slot] >= slots:
                    continue
                for busy in blockers:
                    if load[busy]:
                        break  # work on ``busy`` blocks new work on ``slot``
                else:
                    mask |= bit
        previous = agent.room_mask
        if mask == previous:
            return
        agent.room_mask, agent.room = mask, _ROOMS[mask]
        agent.available = mask != 0
        gained, lost = _ROOM_CHANGES[previous << len(WORK_CHANNELS) | mask]
        agent_id = agent.agent_id
        room_on = self._room_on
        for slot in gained:
            room_on[slot].add(agent_id)
        for slot in lost:
            room_on[slot].discard(agent_id)

    # ── waiting lines ───────────────────────────────────────────────────────────────────────

    def _place(self, interaction: LiveInteraction, *, announce: bool, requeued: bool) -> None:
        """Put an interaction (back) in its queue's waiting line, keeping its arrival time."""
        line = self._queues[interaction.queue_id]
        interaction.status = _WAITING
        interaction.offer = None
        interaction.agent_id = None
        last_stage = len(line.definition.stages) - 1
        if interaction.stage > last_stage:
            interaction.stage = last_stage
        self._file(interaction, line)
        iid = interaction.interaction_id
        interaction.arrival_ticket = ticket = interaction.ticket
        heapq.heappush(line.by_arrival, (interaction.arrived_at, interaction.order, ticket, iid))
        line.waiting.add(iid)
        if announce:
            self._events.append(
                InteractionQueued(
                    iid, line.queue_id, interaction.priority, interaction.arrived_at, requeued
                )
            )

    def _file(self, interaction: LiveInteraction, line: QueueLine) -> None:
        """File a waiting interaction under its current stage and preference, with a new
        ticket, and set its next timer. A step relaxing calls this alone: the interaction
        stays in its queue's line, only its heap changes."""
        self._leave_heap(interaction)  # a step relaxed, a callback, the queue redefined
        self._next_ticket = ticket = self._next_ticket + 1
        interaction.ticket = ticket
        iid = interaction.interaction_id
        entry = (-interaction.priority, interaction.arrived_at, interaction.order, ticket, iid)
        preferred = interaction.preferred_agent_id
        if preferred is not None:
            heap = line.sticky.get(preferred)
            if heap is None:
                heap = line.sticky[preferred] = []
        else:
            key = (interaction.channel, interaction.stage)
            bucket = line.buckets.get(key)
            if bucket is None:
                bucket = Bucket(key, line.by_slot[SLOT[interaction.channel]])
                line.buckets[key] = bucket
            if not bucket:
                bucket.listing[key] = bucket
            heap = bucket
        heapq.heappush(heap, entry)
        interaction.heap = heap
        due = self._next_deadline(interaction, line)
        if due is not None:
            heapq.heappush(self._wait_timers, (due, interaction.order, ticket, iid))

    def _next_deadline(self, interaction: LiveInteraction, line: QueueLine) -> datetime | None:
        """When the interaction's next timer falls: the sticky wait, the next step, the
        overflow or the maximum wait, whichever comes first (None if none is left)."""
        definition = line.definition
        stages = definition.stages
        delay: int | None = None  # seconds after queued_at
        if interaction.stage + 1 < len(stages):
            delay = stages[interaction.stage + 1].after_s
        if interaction.preferred_agent_id is not None:
            delay = _earlier(delay, definition.sticky_s)
        overflow = definition.overflow
        if overflow is not None and self._overflow_target(interaction, line) is not None:
            delay = _earlier(delay, overflow.after_s)
        if definition.max_wait_s is not None and interaction.channel is not _CALLBACK:
            delay = _earlier(delay, definition.max_wait_s)
        if delay is None:
            return None
        return interaction.queued_at + seconds(delay)

    def _overflow_target(self, interaction: LiveInteraction, line: QueueLine) -> QueueLine | None:
        """The queue this interaction overflows to, if its queue overflows and takes its channel.

        An overflow never moves an interaction into a queue that does not take its channel (a
        voice-and-chat queue overflowing to a chat queue moves only the chats); such an
        interaction keeps waiting where it is.
        """
        overflow = line.definition.overflow
        if overflow is None:
            return None
        target = self._queues.get(str(overflow.overflow_to))
        if target is None or interaction.channel not in target.definition.channels:
            return None
        return target

    def _is_live_entry(self, entry: Entry) -> bool:
        """Whether the entry is where its interaction waits now: tickets are never reused, and
        an interaction that leaves its heap forgets it."""
        interaction = self._interactions.get(entry[4])
        return (
            interaction is not None
            and interaction.heap is not None
            and interaction.ticket == entry[3]
        )

    def _leave_heap(self, interaction: LiveInteraction) -> None:
        """The interaction's entry is no longer live (offered, re-placed, gone). Keep the head
        of the heap it leaves live, so matching can trust every head without checking it:
        heads are looked at far more often than interactions leave."""
        heap = interaction.heap
        if heap is None:
            return
        interaction.heap = None
        if not heap or heap[0][3] != interaction.ticket:
            return  # it was not the head; its entry surfaces, and goes, later
        heapq.heappop(heap)
        interactions = self._interactions
        while heap:
            head = heap[0]
            waiting = interactions.get(head[4])
            if waiting is not None and waiting.heap is not None and waiting.ticket == head[3]:
                return  # a live head (``_is_live_entry``, inlined: this loop is hot)
            heapq.heappop(heap)
        if isinstance(heap, Bucket):  # emptied: no longer listed
            del heap.listing[heap.key]

    def _take_out(self, interaction: LiveInteraction) -> None:
        """Leave the waiting line."""
        line = self._queues.get(interaction.queue_id)
        if line is not None:
            line.waiting.discard(interaction.interaction_id)
        self._leave_heap(interaction)

    # ── matching ────────────────────────────────────────────────────────────────────────────

    def _route_interaction(self, interaction: LiveInteraction) -> None:
        preferred = interaction.preferred_agent_id
        if preferred is None and not self._room_on[SLOT[interaction.channel]]:
            return  # the usual case on a busy floor: nobody has room on this channel
        line = self._queues[interaction.queue_id]
        if interaction.status is not _WAITING or not self._is_open(line):
            return
        channel = interaction.channel
        if preferred is not None:
            agent = self._agents.get(preferred)
            candidates = (
                [agent]
                if agent is not None
                and preferred in line.members
                and self._can_take(agent, channel)
                else []
            )
        else:
            with_room = self._room_on[SLOT[channel]]
            agents = self._agents
            # A C-fast intersection, as long as the smaller set: who has room on the channel,
            # and which of the queue's members match the step (only members are in there).
            able = with_room & line.eligible[interaction.stage]
            candidates = list(map(agents.__getitem__, able))
        if candidates:
            chosen = choose_agent(interaction, line, candidates)
            self._offer(interaction, chosen, _QUEUE_OFFER)

    def _route_agent(self, agent: AgentAtWork) -> None:
        """Offer the agent work while they have room: highest profile priority first, then
        the best waiting interaction (priority, then longest waiting)."""
        while agent.available:
            best = self._best_for(agent)
            if best is None:
                return
            interaction = self._interactions[best[4]]
            if interaction.last_missed_by == agent.agent_id:
                # Someone else who can take it goes first; the agent gets it if no one can.
                self._route_interaction(interaction)
                if interaction.status is _WAITING:
                    self._offer(interaction, agent, _QUEUE_OFFER)
            else:
                self._offer(interaction, agent, _QUEUE_OFFER)

    def _best_for(self, agent: AgentAtWork) -> Entry | None:
        # The hottest loop of the engine: locals on purpose, and no check of the heads, which
        # are kept live.
        room = agent.room
        if not room:
            return None
        agent_id = agent.agent_id
        queues, interactions, open_now = self._queues, self._interactions, self._open
        for group in agent.groups:
            best: Entry | None = None
            for queue_id in group:
                line = queues.get(queue_id)
                if line is None or not line.waiting:
                    continue
                if not (open_now or line.definition.route_outside_hours):
                    continue
                eligible, by_slot = line.eligible, line.by_slot
                for slot in room:
                    # Only buckets that hold anyone are listed, and a bucket's head is always
                    # live (``_leave_heap``): it is the best of its bucket as it stands.
                    for bucket in by_slot[slot].values():
                        if agent_id in eligible[bucket.stage]:
                            head = bucket[0]
                            if best is None or head < best:
                                best = head
                sticky = line.sticky.get(agent_id) if line.sticky else None
                if sticky:
                    sticky[:] = [entry for entry in sticky if self._is_live_entry(entry)]
                    heapq.heapify(sticky)
                    for entry in sticky:
                        channel = interactions[entry[4]].channel
                        if SLOT[channel] in room and (best is None or entry < best):
                            best = entry
            if best is not None:
                return best
        return None

    # ── offers ──────────────────────────────────────────────────────────────────────────────

    def _offer(self, interaction: LiveInteraction, agent: AgentAtWork, kind: OfferKind) -> None:
        line = self._queues[interaction.queue_id]
        self._next_offer_id += 1
        expires_at = self.now + seconds(line.definition.offer_timeout_s)
        iid = interaction.interaction_id
        interaction.offer = Offer(self._next_offer_id, agent.agent_id, expires_at, kind)
        if kind is not _CONSULT:
            interaction.status = _OFFERED
            line.waiting.discard(iid)
            self._leave_heap(interaction)
            if kind is _QUEUE_OFFER:
                line.round_robin_cursor = agent.agent_id
        agent.offers.add(iid)
        agent.load[SLOT[interaction.channel]] += 1
        heapq.heappush(self._offer_timers, (expires_at, self._next_offer_id, iid))
        self._refresh(agent)
        self._events.append(
            InteractionOffered(
                iid, agent.agent_id, line.queue_id, self._next_offer_id, expires_at, kind
            )
        )

    def _release_offer(self, interaction: LiveInteraction) -> tuple[Offer, AgentAtWork]:
        offer = interaction.offer
        if offer is None:
            raise RoutingError("no_offer", f"{interaction.interaction_id} has no live offer")
        agent = self._agents[offer.agent_id]
        agent.offers.discard(interaction.interaction_id)
        agent.load[SLOT[interaction.channel]] -= 1
        interaction.offer = None
        self._refresh(agent)
        return offer, agent

    def _revoke(self, interaction: LiveInteraction, reason: str) -> AgentAtWork:
        offer, agent = self._release_offer(interaction)
        self._events.append(
            OfferRevoked(interaction.interaction_id, agent.agent_id, offer.offer_id, reason)
        )
        return agent

    def _return_to_queue(self, interaction: LiveInteraction, missed_by: str | None) -> None:
        """An offer did not stick: back in line with the original arrival time and priority."""
        interaction.last_missed_by = missed_by
        self._place(interaction, announce=True, requeued=True)
        self._route_interaction(interaction)

    def _revoke_offers_of(self, agent: AgentAtWork, reason: str) -> None:
        for iid in sorted(agent.offers):
            interaction = self._interactions[iid]
            offer = interaction.offer
            self._revoke(interaction, reason)
            if offer is not None and offer.kind is not _CONSULT:
                self._return_to_queue(interaction, agent.agent_id)

    # ── agents ──────────────────────────────────────────────────────────────────────────────

    def _set_state(self, agent: AgentAtWork, state: AgentState, reason: str = "") -> None:
        if agent.state is state and agent.reason == reason:
            return
        self._events.append(AgentStateChanged(agent.agent_id, agent.state, state, reason))
        now = self.now
        agent.state, agent.reason, agent.state_since = state, reason, now
        if state is _READY:
            agent.idle_since = now
            agent.missed_offers = 0
        self._refresh(agent)

    def _release_assignment(
        self, interaction: LiveInteraction, agent: AgentAtWork, *, wrap_up: bool
    ) -> None:
        iid = interaction.interaction_id
        now = self.now
        agent.assigned.discard(iid)
        agent.load[SLOT[interaction.channel]] -= 1
        if not (agent.offers or agent.assigned):  # no load left (``total_load == 0``)
            agent.idle_since = now
        wrap_up_s = self._queues[interaction.queue_id].definition.wrap_up_s
        if wrap_up and wrap_up_s > 0 and agent.state is not _OFFLINE:
            ends_at = now + seconds(wrap_up_s)
            agent.wrap_ups[iid] = ends_at
            heapq.heappush(self._wrap_up_timers, (ends_at, agent.agent_id, iid))
            self._events.append(WrapUpStarted(agent.agent_id, iid, ends_at))
            if agent.state is _READY:
                self._set_state(agent, _WRAP_UP)
        self._refresh(agent)

    def _end_wrap_up(self, agent: AgentAtWork, interaction_id: str, by: str) -> None:
        del agent.wrap_ups[interaction_id]
        self._events.append(WrapUpEnded(agent.agent_id, interaction_id, by))
        if not agent.wrap_ups and agent.state is _WRAP_UP:
            self._set_state(agent, _READY)
