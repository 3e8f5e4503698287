"""What the chat sockets of both sides (the customer's widget, the agent's desk) share: frames
dispatched without a hop through Channels' shared sync thread, and database work on the
thread pools of ``pasokh.interactions.pools``."""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async

from pasokh.interactions.pools import message_pool
from pasokh.router.service import waiting_pool


class DirectDispatch:
    """Frames handed to their handler without Channels' per-frame ``aclose_old_connections``:
    that runs ``close_old_connections`` through the one shared sync thread, so every frame
    of every socket queued there and back. These consumers never use the database on the
    event loop: each call goes through ``off_loop``, whose worker closes stale connections
    itself before and after."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


def off_loop(function: Any, *, pool: str = "") -> Any:
    """Database work in a worker thread: not the one shared thread Channels uses by default,
    where one request waiting on the router would hold up every other socket. ``pool`` picks
    the threads (``pasokh.interactions.pools``): "messages", "router" (waits for the router's
    answer), or the event loop's default pool for the rest."""
    executor = {"messages": message_pool, "router": waiting_pool}.get(pool, lambda: None)()
    return database_sync_to_async(function, thread_sensitive=False, executor=executor)
