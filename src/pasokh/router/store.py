"""The durable side of the router: rebuild an engine from the tables, persist each command.

``rebuild`` turns config rows and runtime rows into a ``RoutingSnapshot`` and restores the
core's engine from it (``ServiceEngine.restore``). ``persist`` writes what one command changed:
the offers its events opened and closed, the queue entries and agent presence it touched, the
tenant's counters and the events themselves. Both run inside the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from pasokh.router.engine import ServiceEngine
from pasokh.router.loader import RoutingConfig, load_config
from pasokh.router.runtime_models import (
    WORK_CHANNELS,
    AgentPresence,
    EntryStatus,
    OfferStatus,
    QueueEntry,
    RouterState,
    RoutingEvent,
    RoutingOffer,
)
from pasokh.router.serialize import event_to_dict
from pasokh.routing import events as e
from pasokh.routing.events import OfferKind
from pasokh.routing.model import AgentDefinition, AgentState, Channel
from pasokh.routing.snapshot import (
    AgentSnapshot,
    InteractionSnapshot,
    OfferSnapshot,
    QueueSnapshot,
    RoutingSnapshot,
)
from pasokh.routing.state import Status
from pasokh.tenancy.models import Tenant

_CLOSING = {
    e.OfferAccepted: OfferStatus.ACCEPTED,
    e.OfferRejected: OfferStatus.REJECTED,
    e.OfferExpired: OfferStatus.EXPIRED,
    e.OfferRevoked: OfferStatus.REVOKED,
}
_AGENT_FIELDS = ("agent_id", "from_agent_id", "to_agent_id")
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def lock_state(tenant_id: int) -> RouterState:
    """The tenant's state row, locked until the transaction ends (created on first use)."""
    state = RouterState.objects.select_for_update().filter(tenant_id=tenant_id).first()
    if state is None:
        RouterState.objects.get_or_create(tenant_id=tenant_id)
        state = RouterState.objects.select_for_update().get(tenant_id=tenant_id)
    return state


# ── rebuild ─────────────────────────────────────────────────────────────────────────────────


def rebuild(
    tenant: Tenant, state: RouterState, config: RoutingConfig | None = None
) -> ServiceEngine:
    config = config or load_config(tenant)
    engine = ServiceEngine.restore(
        snapshot_from_tables(tenant, state, config), config.schedule, config.policy
    )
    engine.version = state.version
    return engine


def snapshot_from_tables(
    tenant: Tenant, state: RouterState, config: RoutingConfig
) -> RoutingSnapshot:
    moment = state.at or timezone.now()
    queue_ids = {q.queue_id for q in config.queues}
    offers = {
        o.interaction_id: o
        for o in RoutingOffer.objects.filter(tenant=tenant, status=OfferStatus.LIVE)
    }
    interactions: list[InteractionSnapshot] = []
    orphans: list[QueueEntry] = []
    busy_agents: set[str] = set()
    for entry in QueueEntry.objects.filter(tenant=tenant).exclude(status=EntryStatus.FINAL):
        if entry.queue_code not in queue_ids:
            orphans.append(entry)
            continue
        offer = offers.get(entry.interaction_id)
        snapshot = _interaction_snapshot(entry, offer)
        busy_agents.update(a for a in (snapshot.agent_id, offer and offer.agent_id) if a)
        interactions.append(snapshot)
    if orphans:
        _cancel_orphans(tenant, orphans, moment)
    presence = {p.agent_id: p for p in AgentPresence.objects.filter(tenant=tenant)}
    definitions = dict(config.agents)
    for agent_id in busy_agents - set(definitions):
        # The profile went away while the agent held work: keep them until it is done.
        row = presence.get(agent_id)
        definitions[agent_id] = AgentDefinition(
            agent_id,
            capacity={
                Channel(ch): getattr(row, f"capacity_{ch}", 0) if row else 1 for ch in WORK_CHANNELS
            },
        )
    agents = tuple(
        _agent_snapshot(definitions[agent_id], presence.get(agent_id), moment)
        for agent_id in sorted(definitions)
    )
    stats = state.queue_stats or {}
    queues = tuple(
        QueueSnapshot(q, *stats.get(q.queue_id, (None, 0, 0)))
        for q in sorted(config.queues, key=lambda q: q.queue_id)
    )
    return RoutingSnapshot(
        state.at,
        state.is_open,
        agents,
        queues,
        tuple(sorted(interactions, key=lambda i: i.interaction_id)),
        state.next_order,
        state.next_offer_id,
    )


def _interaction_snapshot(entry: QueueEntry, offer: RoutingOffer | None) -> InteractionSnapshot:
    return InteractionSnapshot(
        entry.interaction_id,
        Channel(entry.channel),
        entry.queue_code,
        entry.priority,
        entry.arrived_at,
        entry.queued_at,
        entry.order,
        Status(entry.status),
        {key: tuple(v) if isinstance(v, list) else v for key, v in entry.attributes.items()},
        entry.stage,
        entry.preferred_agent_id or None,
        entry.last_missed_by or None,
        entry.agent_id or None,
        OfferSnapshot(offer.offer_id, offer.agent_id, offer.expires_at, OfferKind(offer.kind))
        if offer
        else None,
    )


def _agent_snapshot(
    definition: AgentDefinition, row: AgentPresence | None, moment: datetime
) -> AgentSnapshot:
    if row is None:
        # Never signed in since the router first ran: offline since the beginning of routing.
        return AgentSnapshot(definition, AgentState.OFFLINE, "", NEVER, NEVER)
    wrap_ups = tuple(sorted((iid, datetime.fromisoformat(at)) for iid, at in row.wrap_ups.items()))
    return AgentSnapshot(
        definition,
        AgentState(row.state),
        row.reason,
        row.since,
        row.idle_since,
        row.missed_offers,
        wrap_ups,
    )


def _cancel_orphans(tenant: Tenant, entries: list[QueueEntry], moment: datetime) -> None:
    """Interactions left in a queue that no longer exists leave routing as cancelled."""
    for entry in entries:
        RoutingOffer.objects.filter(
            tenant=tenant, interaction_id=entry.interaction_id, status=OfferStatus.LIVE
        ).update(status=OfferStatus.REVOKED, closed_at=moment)
        event = e.InteractionCancelled(entry.interaction_id, entry.queue_code, "queue_removed")
        _log(tenant.pk, [event], moment)
        entry.status, entry.final_state, entry.ended_at = EntryStatus.FINAL, "cancelled", moment
        entry.agent_id = ""
        entry.save(update_fields=["status", "final_state", "ended_at", "agent_id"])


# ── persist ─────────────────────────────────────────────────────────────────────────────────


def touched(events: Sequence[e.Event], command: Any = None) -> tuple[set[str], set[str]]:
    """The interactions and agents one command's events (and the command itself) name."""
    interactions: set[str] = set()
    agents: set[str] = set()
    for item in (*events, command):
        if item is None:
            continue
        interaction_id = getattr(item, "interaction_id", None)
        if interaction_id:
            interactions.add(interaction_id)
        for name in _AGENT_FIELDS:
            agent_id = getattr(item, name, None)
            if agent_id:
                agents.add(agent_id)
    return interactions, agents


def persist(
    tenant_id: int,
    engine: ServiceEngine,
    state: RouterState,
    events: Sequence[e.Event],
    command: Any = None,
) -> None:
    """Write one command's effects; the caller's transaction makes them atomic."""
    assert transaction.get_connection().in_atomic_block, "persist runs inside a transaction"
    moment = engine.now
    _apply_offers(tenant_id, engine, events, moment)
    interaction_ids, agent_ids = touched(events, command)
    finals = {
        event.interaction_id: final
        for event in events
        if (final := e.final_state_of(event)) is not None
    }
    _write_entries(tenant_id, engine, interaction_ids, finals, moment)
    _write_presence(tenant_id, engine, agent_ids)
    _write_state(engine, state)
    _log(tenant_id, events, moment)


def _apply_offers(
    tenant_id: int, engine: ServiceEngine, events: Iterable[e.Event], moment: datetime
) -> None:
    for event in events:
        if isinstance(event, e.InteractionOffered):
            record = engine.interaction_record(event.interaction_id)
            RoutingOffer.objects.create(
                tenant_id=tenant_id,
                offer_id=event.offer_id,
                interaction_id=event.interaction_id,
                agent_id=event.agent_id,
                queue_code=event.queue_id,
                channel=record.channel.value if record else "",
                kind=event.kind.value,
                offered_at=moment,
                expires_at=event.expires_at,
            )
        else:
            status = _CLOSING.get(type(event))
            if status is not None:
                RoutingOffer.objects.filter(
                    tenant_id=tenant_id,
                    offer_id=event.offer_id,  # type: ignore[attr-defined]
                ).update(status=status, closed_at=moment)


def _write_entries(
    tenant_id: int,
    engine: ServiceEngine,
    interaction_ids: set[str],
    finals: dict[str, Any],
    moment: datetime,
) -> None:
    if not interaction_ids:
        return
    existing = {
        row.interaction_id: row
        for row in QueueEntry.objects.filter(
            tenant_id=tenant_id, interaction_id__in=interaction_ids
        )
    }
    for interaction_id in sorted(interaction_ids):
        record = engine.interaction_record(interaction_id)
        row = existing.get(interaction_id)
        if record is None:
            final = finals.get(interaction_id)
            if row is None or final is None:
                continue  # never reached routing (a refused command names it)
            row.status, row.final_state, row.ended_at = EntryStatus.FINAL, str(final), moment
            row.agent_id = ""
            row.save(update_fields=["status", "final_state", "ended_at", "agent_id"])
            continue
        values = _entry_values(record)
        if row is None:
            QueueEntry.objects.create(tenant_id=tenant_id, interaction_id=interaction_id, **values)
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))


def _entry_values(record: InteractionSnapshot) -> dict[str, Any]:
    return {
        "channel": record.channel.value,
        "queue_code": record.queue_id,
        "priority": record.priority,
        "attributes": {
            key: sorted(v) if isinstance(v, frozenset) else list(v) if isinstance(v, tuple) else v
            for key, v in record.attributes.items()
        },
        "arrived_at": record.arrived_at,
        "queued_at": record.queued_at,
        "order": record.order,
        "stage": record.stage,
        "preferred_agent_id": record.preferred_agent_id or "",
        "last_missed_by": record.last_missed_by or "",
        "agent_id": record.agent_id or "",
        "status": record.status.value,
    }


def _write_presence(tenant_id: int, engine: ServiceEngine, agent_ids: set[str]) -> None:
    if not agent_ids:
        return
    existing = {
        row.agent_id: row
        for row in AgentPresence.objects.filter(tenant_id=tenant_id, agent_id__in=agent_ids)
    }
    for agent_id in sorted(agent_ids):
        found = engine.agent_record(agent_id)
        row = existing.get(agent_id)
        if found is None:
            if row is not None:
                row.delete()
            continue
        values = presence_values(*found)
        if row is None:
            AgentPresence.objects.create(tenant_id=tenant_id, agent_id=agent_id, **values)
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))


def presence_values(snapshot: AgentSnapshot, load: dict[Channel, int]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "state": snapshot.state.value,
        "reason": snapshot.reason,
        "since": snapshot.state_since,
        "idle_since": snapshot.idle_since,
        "missed_offers": snapshot.missed_offers,
        "wrap_ups": {iid: at.isoformat() for iid, at in snapshot.wrap_ups},
    }
    for name in WORK_CHANNELS:
        channel = Channel(name)
        used = load.get(channel, 0)
        values[f"load_{name}"] = used
        # Work kept after an admin lowered the capacity stays counted, never beyond it.
        values[f"capacity_{name}"] = max(snapshot.definition.capacity_for(channel), used)
    return values


def _write_state(engine: ServiceEngine, state: RouterState) -> None:
    at, is_open, next_order, next_offer_id = engine.counters()
    state.version = uuid.uuid4().hex
    state.at, state.is_open = at, is_open
    state.next_order, state.next_offer_id = next_order, next_offer_id
    state.queue_stats = {
        q.definition.queue_id: [q.round_robin_cursor, q.answered, q.answered_in_target]
        for q in engine.queue_records()
    }
    state.save()
    engine.version = state.version


def _log(tenant_id: int, events: Sequence[e.Event], moment: datetime) -> None:
    RoutingEvent.objects.bulk_create(
        [
            RoutingEvent(
                tenant_id=tenant_id,
                name=event.name,
                interaction_id=getattr(event, "interaction_id", "") or "",
                agent_id=getattr(event, "agent_id", None) or getattr(event, "from_agent_id", ""),
                payload=event_to_dict(event),
                at=moment,
            )
            for event in events
        ]
    )


def write_whole(tenant_id: int, engine: ServiceEngine, state: RouterState) -> None:
    """Write an engine's entire state at once (loading a benchmark floor or a migration)."""
    snapshot = engine.snapshot()
    QueueEntry.objects.bulk_create(
        [
            QueueEntry(tenant_id=tenant_id, interaction_id=i.interaction_id, **_entry_values(i))
            for i in snapshot.interactions
        ],
        batch_size=500,
    )
    RoutingOffer.objects.bulk_create(
        [
            RoutingOffer(
                tenant_id=tenant_id,
                offer_id=i.offer.offer_id,
                interaction_id=i.interaction_id,
                agent_id=i.offer.agent_id,
                queue_code=i.queue_id,
                channel=i.channel.value,
                kind=i.offer.kind.value,
                offered_at=engine.now,
                expires_at=i.offer.expires_at,
            )
            for i in snapshot.interactions
            if i.offer is not None
        ],
        batch_size=500,
    )
    presence = []
    for agent_id in engine.agent_ids():
        found = engine.agent_record(agent_id)
        assert found is not None
        presence.append(
            AgentPresence(tenant_id=tenant_id, agent_id=agent_id, **presence_values(*found))
        )
    AgentPresence.objects.bulk_create(presence, batch_size=500)
    _write_state(engine, state)
