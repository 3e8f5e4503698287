"""Writes to the routing configuration (the only write path for this app's config tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from pasokh.router.models import (
    AgentProfile,
    AgentSkill,
    Queue,
    QueueEntry,
    ReasonCode,
    RoutingOffer,
    RoutingProfile,
    RoutingProfileQueue,
    Skill,
)
from pasokh.router.runtime_models import EntryStatus, OfferStatus
from pasokh.router.service import ReloadConfig, submit
from pasokh.routing import commands as c
from pasokh.routing.events import Event
from pasokh.routing.model import AgentState, Channel
from pasokh.routing.state import RoutingError
from pasokh.tenancy.models import Tenant, User


@transaction.atomic
def do_create_skill(
    *, tenant: Tenant, code: str, name: str, kind: str = Skill.Kind.PRODUCT
) -> Skill:
    skill = Skill(tenant=tenant, code=code, name=name, kind=kind)
    skill.full_clean()
    skill.save()
    return skill


@transaction.atomic
def do_create_queue(*, tenant: Tenant, code: str, name: str, **options: Any) -> Queue:
    queue = Queue(tenant=tenant, code=code, name=name, **options)
    queue.full_clean()
    queue.save()
    return queue


@transaction.atomic
def do_create_routing_profile(
    *, tenant: Tenant, name: str, queues: Iterable[tuple[Queue, int]]
) -> RoutingProfile:
    profile = RoutingProfile.objects.create(tenant=tenant, name=name)
    for queue, priority in queues:
        RoutingProfileQueue.objects.create(
            tenant=tenant, profile=profile, queue=queue, priority=priority
        )
    return profile


@transaction.atomic
def do_create_agent_profile(
    *,
    user: User,
    routing_profile: RoutingProfile | None,
    skills: Mapping[Skill, int],
    capacity: Mapping[str, int] | None = None,
    extension: str = "",
) -> AgentProfile:
    assert user.tenant is not None, "agents belong to a tenant"
    profile = AgentProfile.objects.create(
        tenant=user.tenant,
        user=user,
        routing_profile=routing_profile,
        capacity=dict(capacity or {}),
        extension=extension,
    )
    for skill, level in skills.items():
        AgentSkill.objects.create(tenant=user.tenant, agent=profile, skill=skill, level=level)
    return profile


@transaction.atomic
def do_create_reason_code(
    *, tenant: Tenant, code: str, name: str, is_break: bool = False
) -> ReasonCode:
    return ReasonCode.objects.create(tenant=tenant, code=code, name=name, is_break=is_break)


# ── routing commands (thin wrappers over pasokh.router.service.submit) ─────────────────────


def _agent_id(user: User) -> str:
    return str(user.pk)


def _tenant_id(user: User) -> int:
    if user.tenant_id is None:
        raise RoutingError("no_tenant", "only a tenant's users take part in routing")
    return int(user.tenant_id)


def do_reload_routing_config(tenant: Tenant) -> list[Event]:
    """Tell the router that queues, skills, profiles or agents changed."""
    return submit(tenant.pk, ReloadConfig())


def reload_routing_calendar(tenant: Tenant) -> None:
    """A changed business week or holiday reaches the router's engine (opening or closing
    queues at once, not at the next restart)."""
    do_reload_routing_config(tenant)


def do_agent_sign_in(user: User, *, ready: bool = False) -> list[Event]:
    return submit(_tenant_id(user), c.LogInAgent(_agent_id(user), ready=ready))


def do_agent_sign_out(user: User) -> list[Event]:
    return submit(_tenant_id(user), c.LogOutAgent(_agent_id(user)))


def do_set_agent_state(user: User, state: str, reason_code: str | None = None) -> list[Event]:
    """``state`` is "ready" or "not_ready"; signing in first if the agent is offline."""
    tenant_id, agent_id = _tenant_id(user), _agent_id(user)
    command = c.SetAgentState(agent_id, AgentState(state), reason_code or "")
    try:
        return submit(tenant_id, command)
    except RoutingError as error:
        if error.code != "agent_offline":
            raise
    events = submit(tenant_id, c.LogInAgent(agent_id, ready=False))
    return events + submit(tenant_id, command)


def do_enqueue_interaction(
    interaction: Any,
    queue_code: str,
    attributes: Mapping[str, Any] | None = None,
    priority: int | None = None,
    preferred_agent_id: str | int | None = None,
) -> list[Event]:
    """Queue an ``interactions.Interaction`` (anything with pk, tenant_id, channel, arrived_at)."""
    values = dict(attributes or {})
    if preferred_agent_id is not None:
        values["preferred_agent_id"] = str(preferred_agent_id)
    command = c.EnqueueInteraction(
        str(interaction.pk),
        Channel(interaction.channel),
        queue_code,
        priority=priority,
        attributes=values,
        arrived_at=getattr(interaction, "arrived_at", None),
    )
    return submit(int(interaction.tenant_id), command)


def do_accept_offer(user: User, offer_id: int | str) -> list[Event]:
    """Accept by offer number (or by interaction id) the offer ringing at this agent."""
    tenant_id, agent_id = _tenant_id(user), _agent_id(user)
    return submit(
        tenant_id, c.AcceptOffer(_offered_interaction(tenant_id, agent_id, offer_id), agent_id)
    )


def do_reject_offer(user: User, offer_id: int | str, reason: str = "") -> list[Event]:
    tenant_id, agent_id = _tenant_id(user), _agent_id(user)
    interaction_id = _offered_interaction(tenant_id, agent_id, offer_id)
    return submit(tenant_id, c.RejectOffer(interaction_id, agent_id, reason))


def _offered_interaction(tenant_id: int, agent_id: str, offer_id: int | str) -> str:
    offer = (
        RoutingOffer.objects.filter(tenant_id=tenant_id, agent_id=agent_id, status=OfferStatus.LIVE)
        .filter(offer_id=int(offer_id))
        .first()
    )
    if offer is None:
        raise RoutingError("no_offer", "this offer is no longer ringing for you")
    return offer.interaction_id


def do_end_interaction(user: User, interaction_id: int | str) -> list[Event]:
    return submit(_tenant_id(user), c.EndInteraction(str(interaction_id)))


def do_end_wrap_up(user: User, interaction_id: int | str | None = None) -> list[Event]:
    iid = None if interaction_id is None else str(interaction_id)
    return submit(_tenant_id(user), c.EndWrapUp(_agent_id(user), iid))


def do_abandon_interaction(
    interaction_id: int | str, *, tenant_id: int | None = None
) -> list[Event]:
    """The customer left. ``tenant_id`` is looked up from routing's own tables when omitted."""
    iid = str(interaction_id)
    if tenant_id is None:
        tenant_id = _tenant_of_interaction(iid)
    return submit(tenant_id, c.AbandonInteraction(iid))


def do_cancel_interaction(
    tenant: Tenant, interaction_id: int | str, reason: str = ""
) -> list[Event]:
    return submit(tenant.pk, c.CancelInteraction(str(interaction_id), reason))


def _tenant_of_interaction(interaction_id: str) -> int:
    entry = (
        QueueEntry.objects.filter(interaction_id=interaction_id)
        .exclude(status=EntryStatus.FINAL)
        .values_list("tenant_id", flat=True)
        .first()
    )
    if entry is None:
        raise RoutingError("unknown_interaction", f"{interaction_id!r} is not in routing")
    return int(entry)


def do_transfer_to_queue(user: User, interaction_id: int | str, queue_code: str) -> list[Event]:
    return submit(_tenant_id(user), c.TransferToQueue(str(interaction_id), queue_code))


def do_transfer_to_agent(
    user: User, interaction_id: int | str, target_user_id: int | str, warm: bool, note: str = ""
) -> list[Event]:
    """Blind (``warm=False``) or warm transfer; the note travels with the offer event's log."""
    tenant_id = _tenant_id(user)
    iid, target = str(interaction_id), str(target_user_id)
    command = c.ConsultTransfer(iid, target) if warm else c.TransferToAgent(iid, target)
    return submit(tenant_id, command)


def do_request_callback(interaction_id: int | str, *, tenant_id: int | None = None) -> list[Event]:
    """A waiting caller asks to be called back, keeping their place in the queue."""
    iid = str(interaction_id)
    if tenant_id is None:
        tenant_id = _tenant_of_interaction(iid)
    return submit(tenant_id, c.RequestCallback(iid))
