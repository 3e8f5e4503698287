"""The durable side of the router: rebuild an engine from the tables, persist each command.

``rebuild`` turns config rows and runtime rows into a ``RoutingSnapshot`` and restores the
core's engine from it (``ServiceEngine.restore``). ``persist`` writes what one command changed:
the offers its events opened and closed, the queue entries and agent presence it touched, the
tenant's counters and the events themselves. Both run inside the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from pasokh.router.engine import ServiceEngine, WrittenRows
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


_STATE_CHECKED = ("id", "tenant_id", "version")


def lock_state(tenant_id: int) -> RouterState:
    """The tenant's state row, locked until the transaction ends (created on first use).

    Only its version is read: every batch compares it with the engine's, and ``rebuild``, the
    one reader of the rest, loads the rest when the engine is stale (the row's queue
    statistics are JSON, decoded on every read otherwise)."""
    rows = RouterState.objects.select_for_update().only(*_STATE_CHECKED)
    try:  # (``get``, not ``first``: no ORDER BY to build for every batch the router writes)
        return rows.get(tenant_id=tenant_id)
    except RouterState.DoesNotExist:
        RouterState.objects.get_or_create(tenant_id=tenant_id)
        return rows.get(tenant_id=tenant_id)


# ── rebuild ─────────────────────────────────────────────────────────────────────────────────


def rebuild(
    tenant: Tenant, state: RouterState, config: RoutingConfig | None = None
) -> ServiceEngine:
    config = config or load_config(tenant)
    deferred = state.get_deferred_fields()
    if deferred:
        state.refresh_from_db(fields=sorted(deferred))  # (``lock_state`` read the version only)
    written = WrittenRows()
    engine = ServiceEngine.restore(
        snapshot_from_tables(tenant, state, config, written), config.schedule, config.policy
    )
    engine.version = state.version
    engine.written = written
    return engine


def snapshot_from_tables(
    tenant: Tenant, state: RouterState, config: RoutingConfig, written: WrittenRows | None = None
) -> RoutingSnapshot:
    """The engine's state as the tables hold it; ``written`` learns the rows' ids and values."""
    written = written if written is not None else WrittenRows()
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
        written.entries[entry.interaction_id] = (entry.pk, _row_values(entry, ENTRY_FIELDS))
        busy_agents.update(a for a in (snapshot.agent_id, offer and offer.agent_id) if a)
        interactions.append(snapshot)
    if orphans:
        _cancel_orphans(tenant, orphans, moment)
    presence = {p.agent_id: p for p in AgentPresence.objects.filter(tenant=tenant)}
    for known in presence.values():
        written.presence[known.agent_id] = (known.pk, _row_values(known, PRESENCE_FIELDS))
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


ENTRY_FIELDS = (
    "channel",
    "queue_code",
    "priority",
    "attributes",
    "arrived_at",
    "queued_at",
    "order",
    "stage",
    "preferred_agent_id",
    "last_missed_by",
    "agent_id",
    "status",
)
PRESENCE_FIELDS = (
    "state",
    "reason",
    "since",
    "idle_since",
    "missed_offers",
    "wrap_ups",
    *(f"load_{name}" for name in WORK_CHANNELS),
    *(f"capacity_{name}" for name in WORK_CHANNELS),
)


def _row_values(row: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


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
        _log(tenant.pk, [Step(moment, [event])])
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


@dataclass(frozen=True)
class Step:
    """One applied command of a batch: when it ran, what it decided, and the command."""

    moment: datetime
    events: Sequence[e.Event]
    command: Any = None
    records: dict[str, InteractionSnapshot] = field(default_factory=dict)


def step(engine: ServiceEngine, moment: datetime, events: Sequence[e.Event], command: Any) -> Step:
    """The step of a command just applied, with the records of the interactions it named as
    they are now: one that a later command of the same batch ends still gets its row."""
    records = {
        interaction_id: record
        for interaction_id in touched(events, command)[0]
        if (record := engine.interaction_record(interaction_id)) is not None
    }
    return Step(moment, events, command, records)


def persist(
    tenant_id: int,
    engine: ServiceEngine,
    state: RouterState,
    events: Sequence[e.Event],
    command: Any = None,
) -> None:
    """Write one command's effects; the caller's transaction makes them atomic."""
    persist_steps(tenant_id, engine, state, [Step(engine.now, events, command)])


def persist_steps(
    tenant_id: int, engine: ServiceEngine, state: RouterState, steps: Sequence[Step]
) -> None:
    """Write the effects of several commands applied one after another, in one transaction.

    Only what changed is written: the rows of the interactions and agents the commands named,
    compared with what this engine last wrote (``engine.written``), so an unchanged field or
    row costs nothing; offers are inserted and closed in bulk.
    """
    assert transaction.get_connection().in_atomic_block, "persist runs inside a transaction"
    _apply_offers(tenant_id, engine, steps)
    interaction_ids: set[str] = set()
    agent_ids: set[str] = set()
    finals: dict[str, tuple[str, datetime]] = {}
    last_seen: dict[str, InteractionSnapshot] = {}
    for step in steps:
        last_seen.update(step.records)
        named_interactions, named_agents = touched(step.events, step.command)
        interaction_ids |= named_interactions
        agent_ids |= named_agents
        for event in step.events:
            final = e.final_state_of(event)
            if final is not None:
                finals[event.interaction_id] = (str(final), step.moment)  # type: ignore[attr-defined]
    _write_entries(tenant_id, engine, interaction_ids, finals, last_seen)
    _write_presence(tenant_id, engine, agent_ids)
    _write_state(engine, state)
    _log(tenant_id, steps)


def _apply_offers(tenant_id: int, engine: ServiceEngine, steps: Sequence[Step]) -> None:
    """Close the offers that were ringing before, then insert the new ones (with their final
    status when they also closed within the batch): a reoffer never meets a live twin."""
    opened: dict[int, RoutingOffer] = {}
    closing: dict[tuple[OfferStatus, datetime], list[int]] = {}
    for step in steps:
        for event in step.events:
            if isinstance(event, e.InteractionOffered):
                record = engine.interaction_record(event.interaction_id)
                opened[event.offer_id] = RoutingOffer(
                    tenant_id=tenant_id,
                    offer_id=event.offer_id,
                    interaction_id=event.interaction_id,
                    agent_id=event.agent_id,
                    queue_code=event.queue_id,
                    channel=record.channel.value if record else "",
                    kind=event.kind.value,
                    offered_at=step.moment,
                    expires_at=event.expires_at,
                )
                continue
            status = _CLOSING.get(type(event))
            if status is None:
                continue
            offer_id: int = event.offer_id  # type: ignore[attr-defined]
            new = opened.get(offer_id)
            if new is not None:
                new.status, new.closed_at = status, step.moment
            else:
                closing.setdefault((status, step.moment), []).append(offer_id)
    for (closed_as, moment), offer_ids in closing.items():
        RoutingOffer.objects.filter(tenant_id=tenant_id, offer_id__in=offer_ids).update(
            status=closed_as, closed_at=moment
        )
    if opened:
        RoutingOffer.objects.bulk_create(opened.values())


def _write_entries(
    tenant_id: int,
    engine: ServiceEngine,
    interaction_ids: set[str],
    finals: dict[str, tuple[str, datetime]],
    last_seen: dict[str, InteractionSnapshot],
) -> None:
    if not interaction_ids:
        return
    written = engine.written.entries
    unknown = {i for i in interaction_ids if i not in written}
    if unknown:
        for pk, interaction_id in QueueEntry.objects.filter(
            tenant_id=tenant_id, interaction_id__in=unknown
        ).values_list("pk", "interaction_id"):
            written[interaction_id] = (pk, {})  # its fields: unknown, so all are written
    created: list[tuple[QueueEntry, dict[str, Any]]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    for interaction_id in sorted(interaction_ids):
        record = engine.interaction_record(interaction_id)
        row = written.get(interaction_id)
        if record is None:
            final = finals.get(interaction_id)
            if final is None:
                continue  # never reached routing (a refused command names it)
            final_state, moment = final
            values = {
                "status": EntryStatus.FINAL.value,
                "final_state": final_state,
                "ended_at": moment,
                "agent_id": "",
            }
            if row is not None:
                changed.append((row[0], values))
                del written[interaction_id]  # a final row is never written again by this engine
            elif interaction_id in last_seen:  # it came and went within this batch
                values = {**_entry_values(last_seen[interaction_id]), **values}
                created.append(
                    (QueueEntry(tenant_id=tenant_id, interaction_id=interaction_id, **values), {})
                )
            continue
        values = _entry_values(record)
        if row is None:
            entry = QueueEntry(tenant_id=tenant_id, interaction_id=interaction_id, **values)
            created.append((entry, values))
            continue
        delta = _delta(row[1], values)
        if delta:
            changed.append((row[0], delta))
            written[interaction_id] = (row[0], values)
    _update_rows(QueueEntry, changed)
    if created:
        QueueEntry.objects.bulk_create([entry for entry, _ in created])
        for entry, values in created:
            if entry.pk is not None and values:
                written[entry.interaction_id] = (entry.pk, values)


def _delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from what was last written (a field never written by
    this engine counts as different)."""
    missing = object()
    return {name: value for name, value in after.items() if before.get(name, missing) != value}


def _update_rows(model: Any, changed: list[tuple[int, dict[str, Any]]]) -> None:
    """One prepared UPDATE per set of changed fields, executed for every row that changed
    those fields (the ORM's per-row update and bulk_update cost more than the database)."""
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
    for pk, values in changed:
        groups.setdefault(tuple(sorted(values)), []).append((pk, values))
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    meta = model._meta
    with connection.cursor() as cursor:
        for names, rows in groups.items():
            columns = [meta.get_field(name) for name in names]
            # Names from the model's own metadata, values as parameters.
            assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
            table, key = quote(meta.db_table), quote(meta.pk.column)
            sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
            cursor.executemany(
                sql,
                [
                    [column.get_db_prep_save(values[column.name], connection) for column in columns]
                    + [pk]
                    for pk, values in rows
                ],
            )


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
    written = engine.written.presence
    unknown = {a for a in agent_ids if a not in written}
    if unknown:
        for pk, agent_id in AgentPresence.objects.filter(
            tenant_id=tenant_id, agent_id__in=unknown
        ).values_list("pk", "agent_id"):
            written[agent_id] = (pk, {})
    created: list[tuple[AgentPresence, dict[str, Any]]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    gone: list[int] = []
    for agent_id in sorted(agent_ids):
        found = engine.agent_record(agent_id)
        row = written.get(agent_id)
        if found is None:
            if row is not None:
                gone.append(row[0])
                del written[agent_id]
            continue
        values = presence_values(*found)
        if row is None:
            presence = AgentPresence(tenant_id=tenant_id, agent_id=agent_id, **values)
            created.append((presence, values))
            continue
        delta = _delta(row[1], values)
        if delta:
            changed.append((row[0], delta))
            written[agent_id] = (row[0], values)
    if gone:
        AgentPresence.objects.filter(pk__in=gone).delete()
    _update_rows(AgentPresence, changed)
    if created:
        AgentPresence.objects.bulk_create([presence for presence, _ in created])
        for presence, values in created:
            if presence.pk is not None:
                written[presence.agent_id] = (presence.pk, values)


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
    fields = ["version", "at", "is_open", "next_order", "next_offer_id"]
    stats = {
        q.definition.queue_id: [q.round_robin_cursor, q.answered, q.answered_in_target]
        for q in engine.queue_records()
    }
    if stats != engine.written.queue_stats:
        state.queue_stats = stats
        fields.append("queue_stats")
    state.save(update_fields=fields)
    engine.written.queue_stats = stats
    engine.version = state.version


def _log(tenant_id: int, steps: Sequence[Step]) -> None:
    RoutingEvent.objects.bulk_create(
        [
            RoutingEvent(
                tenant_id=tenant_id,
                name=event.name,
                interaction_id=getattr(event, "interaction_id", "") or "",
                agent_id=getattr(event, "agent_id", None) or getattr(event, "from_agent_id", ""),
                payload=event_to_dict(event),
                at=step.moment,
            )
            for step in steps
            for event in step.events
        ]
    )


def write_whole(tenant_id: int, engine: ServiceEngine, state: RouterState) -> None:
    """Write an engine's entire state at once (loading a benchmark floor or a migration)."""
    snapshot = engine.snapshot()
    entries = QueueEntry.objects.bulk_create(
        [
            QueueEntry(tenant_id=tenant_id, interaction_id=i.interaction_id, **_entry_values(i))
            for i in snapshot.interactions
        ],
        batch_size=500,
    )
    for entry in entries:
        if entry.pk is not None:
            engine.written.entries[entry.interaction_id] = (
                entry.pk,
                _row_values(entry, ENTRY_FIELDS),
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
    for row in AgentPresence.objects.bulk_create(presence, batch_size=500):
        if row.pk is not None:
            engine.written.presence[row.agent_id] = (row.pk, _row_values(row, PRESENCE_FIELDS))
    _write_state(engine, state)
