"""The router service's runtime tables: what is waiting, what is ringing, who is working.

The routing engine keeps this state in memory; these rows are its durable copy, written in the
same transaction as the routing events of each command, so a router that dies loses nothing
and its successor rebuilds the engine from them. Interactions and agents are referenced by id
only (the string forms the engine uses): the router imports no other app's models.

The constraints repeat the engine's invariants so that even code that bypassed the engine could
not offer one interaction twice or load an agent beyond capacity.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pasokh.tenancy.models import TenantOwned

WORK_CHANNELS = ("voice", "chat", "email", "messaging")


class EntryStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered")
    ASSIGNED = "assigned", _("With an agent")
    FINAL = "final", _("Left routing")


class QueueEntry(TenantOwned):
    """One interaction's life in routing, from its first arrival to its final state."""

    interaction_id = models.CharField(_("interaction"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16)
    queue_code = models.CharField(_("queue"), max_length=40)
    priority = models.IntegerField(_("priority"))
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"))  # kept across requeues and transfers
    queued_at = models.DateTimeField(_("queued at"))
    order = models.BigIntegerField(_("arrival order"))
    stage = models.PositiveSmallIntegerField(_("routing step"), default=0)
    preferred_agent_id = models.CharField(_("preferred agent"), max_length=64, blank=True)
    last_missed_by = models.CharField(_("last missed by"), max_length=64, blank=True)
    agent_id = models.CharField(_("agent"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    final_state = models.CharField(_("final state"), max_length=16, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("queue entry")
        verbose_name_plural = _("queue entries")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant", "interaction_id"], name="queue_entry_once_per_interaction"
            ),
            models.CheckConstraint(
                condition=Q(status="final", final_state__gt="")
                | (~Q(status="final") & Q(final_state="")),
                name="queue_entry_final_state_iff_final",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["tenant", "status"], name="queue_entry_live")]

    def __str__(self) -> str:
        return f"{self.interaction_id} @ {self.queue_code}"


class OfferStatus(models.TextChoices):
    LIVE = "live", _("Ringing")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Timed out")
    REVOKED = "revoked", _("Withdrawn")


class RoutingOffer(TenantOwned):
    """An offer (reservation) of one interaction to one agent."""

    offer_id = models.BigIntegerField(_("offer number"))
    interaction_id = models.CharField(_("interaction"), max_length=64)
    agent_id = models.CharField(_("agent"), max_length=64)
    queue_code = models.CharField(_("queue"), max_length=40)
    channel = models.CharField(_("channel"), max_length=16)
    kind = models.CharField(_("kind"), max_length=16)
    offered_at = models.DateTimeField(_("offered at"))
    expires_at = models.DateTimeField(_("expires at"))
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.LIVE
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant", "interaction_id"],
                condition=Q(status="live"),
                name="one_live_offer_per_interaction",
            ),
            models.UniqueConstraint(fields=["tenant", "offer_id"], name="offer_number_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.offer_id} {self.interaction_id} → {self.agent_id}"


def _load_within_capacity() -> list[models.BaseConstraint]:
    constraints: list[models.BaseConstraint] = []
    for channel in WORK_CHANNELS:
        load, capacity = f"load_{channel}", f"capacity_{channel}"
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{load}__lte": F(capacity)}), name=f"presence_{channel}_in_capacity"
            )
        )
    return constraints


class AgentPresence(TenantOwned):
    """An agent's routing state and per-channel load (ringing offers plus held work)."""

    agent_id = models.CharField(_("agent"), max_length=64)
    state = models.CharField(_("state"), max_length=16)
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    since = models.DateTimeField(_("since"))
    idle_since = models.DateTimeField(_("idle since"))
    missed_offers = models.PositiveSmallIntegerField(_("missed offers"), default=0)
    wrap_ups = models.JSONField(_("wrap-ups"), default=dict, blank=True)  # interaction -> end
    load_voice = models.PositiveSmallIntegerField(default=0)
    load_chat = models.PositiveSmallIntegerField(default=0)
    load_email = models.PositiveSmallIntegerField(default=0)
    load_messaging = models.PositiveSmallIntegerField(default=0)
    capacity_voice = models.PositiveSmallIntegerField(default=0)
    capacity_chat = models.PositiveSmallIntegerField(default=0)
    capacity_email = models.PositiveSmallIntegerField(default=0)
    capacity_messaging = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("agent presence")
        verbose_name_plural = _("agent presence")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "agent_id"], name="presence_once_per_agent"),
            *_load_within_capacity(),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.state}"


def new_state_version() -> str:
    """A version no engine in memory can hold yet (a fresh row must never match a cached one)."""
    return uuid.uuid4().hex


class RouterState(TenantOwned):
    """Per-tenant engine counters and the version of the durable state.

    Every processed command writes a fresh ``version``; an engine whose version differs from
    the row (a rolled-back transaction, another router took over) is rebuilt before it is used.
    The row is locked (SELECT ... FOR UPDATE) for the length of each command. A new row starts
    with a random version too: a tenant created again under a reused id (a restored database,
    a rolled-back test) must not meet the engine cached for its predecessor.
    """

    version = models.CharField(max_length=32, blank=True, default=new_state_version)
    at = models.DateTimeField(null=True, blank=True)
    is_open = models.BooleanField(default=True)
    next_order = models.BigIntegerField(default=0)
    next_offer_id = models.BigIntegerField(default=0)
    queue_stats = models.JSONField(default=dict, blank=True)  # code -> [cursor, answered, in SL]

    class Meta:
        verbose_name = _("router state")
        verbose_name_plural = _("router state")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant"], name="router_state_once_per_tenant")
        ]

    def __str__(self) -> str:
        return f"router state {self.tenant_id}"


class RoutingEvent(TenantOwned):
    """The append-only log of routing events, for reports and audits. Never updated."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("event"), max_length=64)
    interaction_id = models.CharField(_("interaction"), max_length=64, blank=True)
    agent_id = models.CharField(_("agent"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("routing event")
        verbose_name_plural = _("routing events")
        indexes: ClassVar = [
            models.Index(fields=["tenant", "interaction_id"], name="routing_event_interaction"),
            models.Index(fields=["tenant", "at"], name="routing_event_at"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.interaction_id}"


class CommandStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class RouterCommand(models.Model):
    """A command submitted by a web or channel process to the scale-out router.

    The row is written (committed) before the router is woken through Redis, so a command is
    never lost; the router marks it done in the same transaction as its effects, so it is never
    applied twice, whichever router holds the lease. It is transport, not tenant data: only the
    router reads it, so it names its tenant by id and has no chokepoint.
    """

    id = models.BigAutoField(primary_key=True)
    tenant_pk = models.BigIntegerField()
    shard = models.PositiveSmallIntegerField(default=0)
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=CommandStatus.choices, default=CommandStatus.PENDING
    )
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("router command")
        verbose_name_plural = _("router commands")
        indexes: ClassVar = [models.Index(fields=["shard", "status", "id"], name="router_pending")]

    def __str__(self) -> str:
        return f"command {self.id} ({self.status})"
