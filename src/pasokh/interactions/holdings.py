"""Who holds each live chat and phone call, in memory, so that what runs many times a minute
need not read the interaction row each time: the desk's ``send`` and the widget's messages
check it before every message, and the routing-outcome recorder before it reads a row for an
event that would change nothing.

An entry is the (tenant, agent, status, channel) of one chat or voice interaction as its row
was last committed *by this process*. It is written from ``post_save`` of ``Interaction``
(every ORM save: the interactions actions, which are the only code that changes a chat's or a
call's agent or status, and the admin), after the commit, never from a read. Saves of one row
are serialised by the database (SQLite's one writer; the row lock ``do_apply_routing_event``
takes), but the commit hooks of two threads may run in either order, so each save takes a
sequence number while it still holds the write and a hook never replaces the entry of a later
one. An interaction that ended or was abandoned leaves the map; so does anything rolled back,
which never reaches a hook.

When the map does not know a chat (it started before this process, or the process does not
route), callers read the row as before: an answer from here is never a guess. It is only
used where routing outcomes are recorded in this process (the embedded router of
``pasokh run``, or no router task at all, as in tests): with ``PASOKH_ROUTER_MODE=remote``
another process records them, so the map is off. What it cannot see is a chat changed by
another process while this one serves with the embedded router (a management command that
routes inline): such a change reaches this map only when the chat next changes here.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from pasokh.interactions.models import Interaction

FINAL = frozenset({Interaction.Status.ENDED, Interaction.Status.ABANDONED})
TRACKED_FIELDS = frozenset({"agent", "agent_id", "status", "tenant", "tenant_id", "channel"})
TRACKED_CHANNELS = frozenset({"chat", "voice"})


@dataclass(frozen=True)
class Holding:
    interaction_id: int
    tenant_id: int
    agent_id: int | None
    status: str
    sequence: int
    channel: str = "chat"

    def as_interaction(self) -> Interaction:
        """An unsaved stand-in for the row, with the fields the chat actions use (the id,
        tenant, agent, status and channel); nothing else on it is loaded."""
        return Interaction(
            pk=self.interaction_id,
            tenant_id=self.tenant_id,
            agent_id=self.agent_id,
            status=self.status,
            channel=self.channel,
        )


_lock = threading.Lock()
_holdings: dict[int, Holding] = {}
_sequence = itertools.count(1)
# interaction id → the sequence of its latest save applied, kept a while after the chat left
# the map (so an earlier save's late hook cannot bring it back); see _prune.
_latest: dict[int, int] = {}
KEEP_SEQUENCES = 100_000


def enabled() -> bool:
    from pasokh.router.service import mode

    return mode() != "remote"


def lookup(interaction_id: object) -> Holding | None:
    """The chat's or call's holding as this process last committed it, or None: read the
    row."""
    if not enabled():
        return None
    try:
        key = int(str(interaction_id))
    except (TypeError, ValueError):
        return None
    return _holdings.get(key)


def _apply(holding: Holding) -> None:
    with _lock:
        if _latest.get(holding.interaction_id, 0) > holding.sequence:
            return  # a later save of this row committed first
        _latest[holding.interaction_id] = holding.sequence
        if holding.status in FINAL:
            _holdings.pop(holding.interaction_id, None)
            _prune(holding.sequence)
        else:
            _holdings[holding.interaction_id] = holding


def _forget(interaction_id: int, sequence: int) -> None:
    with _lock:
        if _latest.get(interaction_id, 0) <= sequence:
            _holdings.pop(interaction_id, None)
            _latest[interaction_id] = sequence
            _prune(sequence)


def _prune(now: int) -> None:
    """Drop the marks of chats that left the map more than ``KEEP_SEQUENCES`` saves ago: a
    commit hook runs right after its commit, on the same thread, with nothing that waits in
    between, never that many saves late."""
    if len(_latest) <= len(_holdings) + KEEP_SEQUENCES // 10:
        return
    for interaction_id, sequence in list(_latest.items()):
        if now - sequence > KEEP_SEQUENCES and interaction_id not in _holdings:
            del _latest[interaction_id]


def _saved(sender: Any, instance: Interaction, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not (set(update_fields) & TRACKED_FIELDS):
        return  # disposition, CSAT …: who holds the chat did not change
    sequence = next(_sequence)  # taken while this save still holds the write
    if instance.channel not in TRACKED_CHANNELS:
        transaction.on_commit(lambda: _forget(instance.pk, sequence))
        return
    holding = Holding(
        interaction_id=instance.pk,
        tenant_id=instance.tenant_id,
        agent_id=instance.agent_id,
        status=instance.status,
        sequence=sequence,
        channel=instance.channel,
    )
    transaction.on_commit(lambda: _apply(holding))


def connect() -> None:
    post_save.connect(_saved, sender=Interaction, dispatch_uid="pasokh.interactions.holdings")


def clear() -> None:
    """Forget every holding (tests)."""
    with _lock:
        _holdings.clear()
        _latest.clear()
