"""Conversation events (messages, delivery, notes, status) published after commit.

The chat widget and the agent desk subscribe in-process: ``subscribe(callback)`` registers
``callback(tenant_id, event)``. Recipients are computed here, where the event is sent: every
event names its ``interaction_id`` (the customer's side) and ``agent_ids`` (the desk side).
Rows come first; an event is only a notification that something new is in the database, so a
client that missed one loses nothing: it reloads from the rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

log = logging.getLogger("pasokh.interactions.events")

Subscriber = Callable[[int, dict[str, Any]], None]
_subscribers: list[Subscriber] = []


def subscribe(callback: Subscriber) -> Subscriber:
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def unsubscribe(callback: Subscriber) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


def _deliver(tenant_id: int, event: dict[str, Any]) -> None:
    for callback in list(_subscribers):
        try:
            callback(tenant_id, event)
        except Exception:
            log.exception("conversation subscriber %r failed on %s", callback, event["name"])


def publish(tenant_id: int, event: dict[str, Any]) -> None:
    """Deliver ``event`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _deliver(tenant_id, event))


def publish_now(tenant_id: int, event: dict[str, Any]) -> None:
    """For ephemeral signals that have no row (typing indicators)."""
    _deliver(tenant_id, event)


def event(
    name: str, interaction_id: int, agent_ids: Iterable[int | None], **data: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "interaction_id": str(interaction_id),
        "agent_ids": sorted({str(a) for a in agent_ids if a is not None}),
        **data,
    }
