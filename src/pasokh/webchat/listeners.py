"""In-process fan-out of conversation events to the customers' open sockets.

Each open widget socket listens on its interaction id. Events arrive on whatever thread
committed them; ``loop.call_soon_threadsafe`` hands them to the socket's own event loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from pasokh.interactions import events

Listener = Callable[[dict[str, Any]], None]

_lock = threading.Lock()
_listeners: dict[str, set[Listener]] = defaultdict(set)


def listen(interaction_id: str, listener: Listener) -> None:
    with _lock:
        _listeners[interaction_id].add(listener)


def stop(interaction_id: str, listener: Listener) -> None:
    with _lock:
        _listeners[interaction_id].discard(listener)
        if not _listeners[interaction_id]:
            del _listeners[interaction_id]


def thread_safe(loop: asyncio.AbstractEventLoop, deliver: Listener) -> Listener:
    """A listener that calls ``deliver`` on ``loop``, whatever thread the event came from."""

    def hand_over(event: dict[str, Any]) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(deliver, event)

    return hand_over


def on_conversation_event(tenant_id: int, event: dict[str, Any]) -> None:
    with _lock:
        targets = list(_listeners.get(event["interaction_id"], ()))
    for listener in targets:
        listener(event)


def connect() -> None:
    events.subscribe(on_conversation_event)
