"""Listening to routing: the interaction row follows what the router decided.

The router publishes after its commit, possibly on the embedded server's event loop thread,
where the ORM must not block, or on the embedded router's own thread, which must go on to the
next command rather than write interaction rows. Work found on either goes to one worker
thread, so the events of an interaction are still applied in the order they were published.
Elsewhere (tests, management commands, the scale-out router) it is applied at once.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import close_old_connections

from pasokh.router import bus, embedded
from pasokh.router.serialize import event_to_dict

log = logging.getLogger("pasokh.interactions.subscribers")

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="interactions-outcomes")

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


def _apply_in_worker(tenant_id: int, data: dict[str, Any]) -> None:
    close_old_connections()
    try:
        _apply(tenant_id, data)
    except Exception:
        log.exception("could not record %s on interaction %s", data["name"], data.get("id"))
    finally:
        close_old_connections()


def on_routing_event(tenant_id: int, event: Any) -> None:
    if event.name not in RELEVANT:
        return
    data = event_to_dict(event)
    if embedded.is_router_thread() or _on_event_loop():
        _worker.submit(_apply_in_worker, tenant_id, data)
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
