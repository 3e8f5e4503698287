"""The router service: the one way commands reach a tenant's routing engine.

    events = submit(tenant.pk, AcceptOffer(interaction_id="42", agent_id="7"))

Every command runs the same path (``process``): lock the tenant's ``RouterState`` row, make sure
the in-memory engine matches the database (rebuilding it from the tables if not), let the engine
decide, write every effect and event in that one transaction, and publish the events after
commit. Where ``process`` runs depends on the deployment:

* embedded (``pasokh run``): one asyncio task owns the engines (``pasokh.router.embedded``);
  ``submit`` hands it the command through an in-process queue and waits for the answer;
* without a running task (tests, management commands): ``submit`` runs ``process`` inline;
* scale-out (``PASOKH_ROUTER_MODE=remote``): ``submit`` writes a ``RouterCommand`` row, wakes
  the ``pasokh router`` process of the tenant's shard through Redis, and waits for its result.

A refused command raises ``RoutingError`` (``.code``); nothing was written.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pasokh.router import bus, store
from pasokh.router.engine import ServiceEngine
from pasokh.router.loader import RoutingConfig, load_config
from pasokh.routing import commands as c
from pasokh.routing.events import Event
from pasokh.routing.state import RoutingError
from pasokh.tenancy.models import Tenant

__all__ = [
    "ReloadConfig",
    "RoutingError",
    "asubmit",
    "process",
    "process_batch",
    "submit",
    "tick",
]


@dataclass(frozen=True)
class ReloadConfig:
    """Bring the engine's agent and queue definitions in line with the config tables."""


_engines: dict[int, ServiceEngine] = {}
_engine_lock = threading.RLock()  # always taken after the tenant's RouterState row lock


def mode() -> str:
    """ "embedded" (default; inline when no router task runs here) or "remote" (scale-out)."""
    return getattr(settings, "PASOKH_ROUTER_MODE", None) or os.environ.get(
        "PASOKH_ROUTER_MODE", "embedded"
    )


def submit(tenant_id: int, command: Any, *, now: datetime | None = None) -> list[Event]:
    if mode() == "remote":
        from pasokh.router.remote import submit_remote

        return submit_remote(tenant_id, command)
    from pasokh.router import embedded

    if embedded.accepts_from_this_thread():
        return embedded.submit_to_task(tenant_id, command, now)
    return process(tenant_id, command, now=now)


async def asubmit(tenant_id: int, command: Any, *, now: datetime | None = None) -> list[Event]:
    from pasokh.router import embedded

    if mode() != "remote" and embedded.is_running_on_this_loop():
        return await embedded.asubmit_to_task(tenant_id, command, now)
    # A worker thread of its own (not the one shared sync thread) whose database connection is
    # closed after use, as a request's is; plain sync_to_async would leave it open.
    return await database_sync_to_async(submit, thread_sensitive=False)(tenant_id, command, now=now)


_waiting_pool: concurrent.futures.ThreadPoolExecutor | None = None
_waiting_lock = threading.Lock()
WAITING_THREADS = 32


def waiting_pool() -> concurrent.futures.ThreadPoolExecutor:
    """Threads for sync code on a server's event loop that submits a command and blocks until
    the router answers (a desk's accept, a customer leaving). Kept apart from the threads
    that carry messages: with one shared pool, a burst of accepts waiting on a busy router
    held every thread and every chat message queued behind them."""
    global _waiting_pool
    with _waiting_lock:
        if _waiting_pool is None:
            _waiting_pool = concurrent.futures.ThreadPoolExecutor(
                WAITING_THREADS, thread_name_prefix="router-wait"
            )
        return _waiting_pool


def tick(tenant_id: int, *, now: datetime | None = None) -> list[Event]:
    """Let the tenant's timers fire. Only the service ticks; callers never need to."""
    return submit(tenant_id, c.Tick(), now=now)


# ── the one path every command takes ────────────────────────────────────────────────────────


def process(tenant_id: int, command: Any, *, now: datetime | None = None) -> list[Event]:
    with transaction.atomic():
        state = store.lock_state(tenant_id)
        with _engine_lock:
            engine = _current_engine(tenant_id, state)
            moment = _moment(engine, now)
            events = _decide(engine, tenant_id, command, moment)
            if not events:
                return events  # time passed, or the config was current: nothing to write
            try:
                done = store.step(engine, moment, events, command)
                store.persist_steps(tenant_id, engine, state, [done])
            except BaseException:
                _engines.pop(tenant_id, None)  # memory is ahead of the database: rebuild
                raise
        transaction.on_commit(lambda: bus.publish(tenant_id, events))
    return events


Outcome = list[Event] | BaseException


def process_batch(tenant_id: int, batch: Sequence[tuple[Any, datetime | None]]) -> list[Outcome]:
    """Several commands of one tenant, in order, in one transaction: each command's events or
    the error that refused it.

    The engine refuses a command before changing anything, so a refused command simply drops
    out of the batch and writes nothing while the others stand. If writing the batch fails (a
    constraint, the database), nothing of it was written: the engine is rebuilt and every
    command is processed again on its own, so each caller gets its own answer.
    """
    outcomes: list[Outcome] = []
    try:
        with transaction.atomic():
            state = store.lock_state(tenant_id)
            with _engine_lock:
                engine = _current_engine(tenant_id, state)
                steps: list[store.Step] = []
                for command, now in batch:
                    moment = _moment(engine, now)
                    try:
                        events = _decide(engine, tenant_id, command, moment)
                    except RoutingError as refusal:
                        outcomes.append(refusal)
                        continue
                    except BaseException:
                        _engines.pop(tenant_id, None)  # a bug in a command: trust no memory
                        raise
                    outcomes.append(events)
                    if events:
                        steps.append(store.step(engine, moment, events, command))
                if steps:
                    try:
                        store.persist_steps(tenant_id, engine, state, steps)
                    except BaseException:
                        _engines.pop(tenant_id, None)
                        raise
            published = [event for step in steps for event in step.events]
            if published:
                transaction.on_commit(lambda: bus.publish(tenant_id, published))
    except Exception:
        if len(batch) == 1:
            raise
        return [_process_alone(tenant_id, command, now) for command, now in batch]
    return outcomes


def _process_alone(tenant_id: int, command: Any, now: datetime | None) -> Outcome:
    try:
        return process(tenant_id, command, now=now)
    except Exception as error:
        return error


def _moment(engine: ServiceEngine, now: datetime | None) -> datetime:
    moment = now or timezone.now()
    at = engine.counters()[0]
    return at if at is not None and moment < at else moment  # process clocks differ slightly


def _decide(engine: ServiceEngine, tenant_id: int, command: Any, moment: datetime) -> list[Event]:
    if isinstance(command, ReloadConfig):
        return _reload(engine, load_config(_tenant(tenant_id)), moment)
    return engine.handle(command, moment)


def _current_engine(tenant_id: int, state: Any) -> ServiceEngine:
    engine = _engines.get(tenant_id)
    if engine is None or engine.version != state.version:
        engine = store.rebuild(_tenant(tenant_id), state)
        _engines[tenant_id] = engine
    return engine


def _tenant(tenant_id: int) -> Tenant:
    return Tenant.objects.get(pk=tenant_id)


def _reload(engine: ServiceEngine, config: RoutingConfig, moment: datetime) -> list[Event]:
    """Define what changed, then remove what went away (skipping anything still in use)."""
    events: list[Event] = []
    snapshot = engine.snapshot()
    current_queues = {q.definition.queue_id: q.definition for q in snapshot.queues}
    current_agents = {a.definition.agent_id: a.definition for a in snapshot.agents}
    engine.schedule = config.schedule
    commands: list[Any] = [
        c.DefineQueue(q) for q in config.queues if current_queues.get(q.queue_id) != q
    ]
    commands += [
        c.DefineAgent(a)
        for agent_id, a in sorted(config.agents.items())
        if current_agents.get(agent_id) != a
    ]
    commands += [c.RemoveAgent(a) for a in sorted(set(current_agents) - set(config.agents))]
    wanted = {q.queue_id for q in config.queues}
    commands += [c.RemoveQueue(q) for q in sorted(set(current_queues) - wanted)]
    for command in commands:
        try:
            events += engine.handle(command, moment)
        except RoutingError:
            continue  # still in use (an agent holding work, a queue with callers): next time
    return events


def reset_engines() -> None:
    """Forget every in-memory engine (tests; a process that lost its lease)."""
    with _engine_lock:
        _engines.clear()


def engine_for(tenant_id: int) -> ServiceEngine:
    """The tenant's engine as the database has it now (read-only use: snapshots, summaries)."""
    with transaction.atomic():
        state = store.lock_state(tenant_id)
        with _engine_lock:
            return _current_engine(tenant_id, state)


def next_deadline(tenant_id: int) -> datetime | None:
    engine = _engines.get(tenant_id)
    return engine.next_deadline() if engine is not None else None


def known_tenants() -> list[int]:
    return sorted(_engines)
