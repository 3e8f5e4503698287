"""Listening to routing: the interaction row follows what the router decided.

The router publishes after its commit, possibly on the embedded server's event loop thread,
where the ORM must not block, or on the embedded router's own thread, which must go on to the
next command rather than write interaction rows. Work found on either goes to one worker
thread, so the events of an interaction are still applied in the order they were published;
what queued up while it wrote is applied together in one transaction (each event in a
savepoint of its own, so one that fails leaves the others standing). Elsewhere (tests,
management commands, the scale-out router) it is applied at once.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Any

from django.db import close_old_connections, transaction

from pasokh.router import bus, embedded
from pasokh.router.serialize import event_to_dict

log = logging.getLogger("pasokh.interactions.subscribers")

MAX_BATCH = 200
_pending: queue.Queue[tuple[int, dict[str, Any]]] = queue.Queue()
_worker_lock = threading.Lock()
_worker: threading.Thread | None = None

RELEVANT = frozenset(
    {
        "offer.accepted",
        "interaction.assigned",
        "interaction.queued",
        "interaction.ended",
        "interaction.abandoned",
        "interaction.cancelled",
        "interaction.max_wait_reached",
        "wrapup.ended",
    }
)


def _apply(tenant_id: int, data: dict[str, Any]) -> None:
    from pasokh.interactions.actions import do_apply_routing_event

    do_apply_routing_event(tenant_id, data)


def _apply_logged(tenant_id: int, data: dict[str, Any]) -> None:
    """One event of a batch: ``do_apply_routing_event`` is its own savepoint, so an event that
    fails is rolled back alone and the batch goes on."""
    try:
        _apply(tenant_id, data)
    except Exception:
        log.exception("could not record %s on interaction %s", data["name"], data.get("id"))


def _apply_batch(batch: list[tuple[int, dict[str, Any]]]) -> None:
    close_old_connections()
    try:
        with transaction.atomic():
            for tenant_id, data in batch:
                _apply_logged(tenant_id, data)
    except Exception:  # the commit itself failed: each on its own
        log.exception("could not record %d routing outcomes together", len(batch))
        for tenant_id, data in batch:
            _apply_logged(tenant_id, data)


def _work() -> None:
    while True:
        batch = [_pending.get()]
        while len(batch) < MAX_BATCH:
            try:
                batch.append(_pending.get_nowait())
            except queue.Empty:
                break
        _apply_batch(batch)


def _hand_to_worker(tenant_id: int, data: dict[str, Any]) -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="interactions-outcomes", daemon=True)
            _worker.start()
    _pending.put((tenant_id, data))


def on_routing_event(tenant_id: int, event: Any) -> None:
    if event.name not in RELEVANT:
        return
    data = event_to_dict(event)
    if embedded.is_router_thread() or _on_event_loop():
        _hand_to_worker(tenant_id, data)
    else:
        _apply(tenant_id, data)


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def connect() -> None:
    bus.subscribe(on_routing_event)
