"""Publishing routing events after commit: in-process subscribers and Channels groups.

``subscribe(callback)`` registers ``callback(tenant_id, event)``; the interactions app uses it
to record outcomes, the desk to push to browsers. Every event also goes to the Channels group
``routing.t{tenant}`` (supervisors' live view) and, for each agent it names,
``routing.t{tenant}.a{agent}``, as ``{"type": "routing.event", "event": {...}}``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from asgiref.sync import async_to_sync

from pasokh.router.serialize import event_to_dict
from pasokh.routing.events import Event

log = logging.getLogger("pasokh.router.bus")

Subscriber = Callable[[int, Event], None]
_subscribers: list[Subscriber] = []
_loop: asyncio.AbstractEventLoop | None = None  # the embedded server's loop, when there is one


def subscribe(callback: Subscriber) -> Subscriber:
    """Register a callback (usable as a decorator); registering twice has no effect."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def unsubscribe(callback: Subscriber) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


def use_loop(loop: asyncio.AbstractEventLoop | None) -> None:
    """Send Channels messages on this loop (the one the WebSocket consumers run on)."""
    global _loop
    _loop = loop


def tenant_group(tenant_id: int) -> str:
    return f"routing.t{tenant_id}"


def agent_group(tenant_id: int, agent_id: str) -> str:
    return f"routing.t{tenant_id}.a{agent_id}"


def messages(tenant_id: int, events: Sequence[Event]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for event in events:
        message = {"type": "routing.event", "event": event_to_dict(event)}
        out.append((tenant_group(tenant_id), message))
        agents = {getattr(event, n, None) for n in ("agent_id", "from_agent_id", "to_agent_id")}
        out.extend((agent_group(tenant_id, a), message) for a in sorted(filter(None, agents)))
    return out


def publish(tenant_id: int, events: Sequence[Event]) -> None:
    """Called after the transaction that persisted ``events`` committed."""
    for event in events:
        for callback in list(_subscribers):
            try:
                callback(tenant_id, event)
            except Exception:
                log.exception("routing subscriber %r failed on %s", callback, event.name)
    if events:
        _send(messages(tenant_id, events))


def _has_members(layer: Any, group: str) -> bool:
    """False only when the in-process layer knows nobody is in the group: its
    ``group_send`` sweeps every channel of the process for expired messages first, which
    cost a few per cent of the chat server's time per routing event for groups nobody
    joined. Other layers (Redis) are always sent to."""
    from channels.layers import InMemoryChannelLayer

    if isinstance(layer, InMemoryChannelLayer):
        return bool(layer.groups.get(group))
    return True


def _send(outgoing: list[tuple[str, dict[str, Any]]]) -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return

    outgoing = [(group, message) for group, message in outgoing if _has_members(layer, group)]
    if not outgoing:
        return

    async def send_all() -> None:
        for group, message in outgoing:
            await layer.group_send(group, message)

    try:
        loop = _loop
        if loop is not None and loop.is_running():
            asyncio.run_coroutine_threadsafe(send_all(), loop)
        else:
            async_to_sync(send_all)()
    except Exception:
        log.exception("could not send routing events to the channel layer")
