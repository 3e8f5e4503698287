"""What a desk shows, read fresh from the database rows (the register answer and reloads).

``agent_snapshot`` is the whole desk of one agent; ``apply_event`` is the same state moved
forward by one queue event, exactly as desk.js does it. A test checks that a stale snapshot
with the events applied equals a fresh one (Zulip's pattern).
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils import timezone

from pasokh.interactions.models import DispositionCode, Interaction, Note
from pasokh.interactions.serialize import agent_display_name, conversation_messages
from pasokh.router.models import AgentProfile, Queue, ReasonCode
from pasokh.router.runtime_models import AgentPresence, OfferStatus, RoutingOffer
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Role, User

HELD = (Interaction.Status.ACTIVE, Interaction.Status.WRAP_UP)


def contact_name(interaction: Interaction) -> str:
    contact = interaction.contact
    if contact is None:
        return ""
    return f"{contact.first_name} {contact.last_name}".strip()


def _presence(user: User) -> dict[str, Any]:
    row = visible_to(user, AgentPresence).filter(agent_id=str(user.pk)).first()
    if row is None:
        return {"state": "offline", "reason": "", "since": None, "wrap_ups": {}}
    return {
        "state": row.state,
        "reason": row.reason,
        "since": row.since.isoformat(),
        "wrap_ups": dict(row.wrap_ups),
    }


def offer_dict(user: User, offer: RoutingOffer) -> dict[str, Any] | None:
    interaction = (
        visible_to(user, Interaction)
        .select_related("contact", "queue", "agent")
        .filter(pk=_int(offer.interaction_id))
        .first()
    )
    if interaction is None:
        return None
    note = (
        visible_to(user, Note)
        .filter(interaction=interaction, kind=Note.Kind.TRANSFER)
        .order_by("-id")
        .values_list("body", flat=True)
        .first()
    )
    return {
        "offer_id": offer.offer_id,
        "interaction_id": offer.interaction_id,
        "kind": offer.kind,
        "expires_at": offer.expires_at.isoformat(),
        "customer": contact_name(interaction),
        "queue": interaction.queue.name if interaction.queue else offer.queue_code,
        "subject": interaction.subject,
        "from_agent": agent_display_name(interaction.agent) if offer.kind != "queue" else "",
        "note": (note or "") if offer.kind != "queue" else "",
    }


def conversation_dict(user: User, interaction: Interaction) -> dict[str, Any]:
    queue = interaction.queue
    return {
        "id": str(interaction.pk),
        "status": interaction.status,
        "channel": interaction.channel,
        "customer": contact_name(interaction),
        "contact_id": interaction.contact_id,
        "queue": queue.name if queue else "",
        "queue_code": queue.code if queue else "",
        "subject": interaction.subject,
        "disposition": interaction.disposition.code if interaction.disposition else "",
        "disposition_required": bool(queue and queue.disposition_required),
        "answered_at": interaction.answered_at.isoformat() if interaction.answered_at else None,
        "ended_at": interaction.ended_at.isoformat() if interaction.ended_at else None,
        "messages": conversation_messages(interaction),
        "notes": [
            {"id": n.pk, "author": agent_display_name(n.author), "body": n.body}
            for n in visible_to(user, Note).filter(interaction=interaction).select_related("author")
        ],
    }


def held_conversations(user: User) -> list[Interaction]:
    return list(
        visible_to(user, Interaction)
        .filter(agent=user, status__in=HELD)
        .select_related("contact", "queue", "disposition")
        .order_by("answered_at", "id")
    )


def agent_snapshot(user: User) -> dict[str, Any]:
    offers = visible_to(user, RoutingOffer).filter(agent_id=str(user.pk), status=OfferStatus.LIVE)
    profile = AgentProfile.objects.filter(user=user).first()
    return {
        "me": {
            "id": user.pk,
            "name": agent_display_name(user),
            "chat_capacity": profile.capacity_for("chat") if profile else 0,
        },
        "presence": _presence(user),
        "offers": [o for o in (offer_dict(user, offer) for offer in offers) if o is not None],
        "conversations": [conversation_dict(user, i) for i in held_conversations(user)],
    }


def desk_reference(user: User) -> dict[str, Any]:
    """What the desk needs to offer choices: reason codes, dispositions, queues, colleagues."""
    return {
        "reasons": [
            {"code": r.code, "name": r.name}
            for r in visible_to(user, ReasonCode).filter(is_active=True)
        ],
        "dispositions": [
            {"code": d.code, "name": d.name}
            for d in visible_to(user, DispositionCode).filter(is_active=True)
        ],
        # Every queue with its channels: the desk offers a conversation only the queues that
        # take its channel (a call goes to a voice queue, a chat to a chat queue).
        "queues": [
            {"code": q.code, "name": q.name, "channels": list(q.channels)}
            for q in visible_to(user, Queue).order_by("name")
        ],
        "agents": [
            {"id": u.pk, "name": f"{u.first_name} {u.last_name}".strip() or u.username}
            for u in visible_to(user, User)
            .filter(role=Role.AGENT, is_active=True)
            .exclude(pk=user.pk)
            .order_by("first_name")
        ],
    }


# ── applying events, as desk.js does ────────────────────────────────────────────────────────

OFFER_CLOSED = {"offer.accepted", "offer.rejected", "offer.expired", "offer.revoked"}


def apply_event(snapshot: dict[str, Any], event: dict[str, Any], fetch: Any) -> dict[str, Any]:
    """The desk state after ``event``. ``fetch(kind, id)`` reads what an event only names
    (an offer's details, a conversation that just became ours), like the desk's requests."""
    state = copy.deepcopy(snapshot)
    name = event["name"]
    me = str(state["me"]["id"])
    if event["source"] == "routing":
        if name == "agent.state_changed" and event["agent_id"] == me:
            state["presence"] = fetch("presence", me)
        elif name == "interaction.offered" and event["agent_id"] == me:
            offer = fetch("offer", event["offer_id"])
            if offer and all(o["offer_id"] != offer["offer_id"] for o in state["offers"]):
                state["offers"].append(offer)
        elif name in OFFER_CLOSED:
            state["offers"] = [o for o in state["offers"] if o["offer_id"] != event["offer_id"]]
        elif name in ("wrapup.started", "wrapup.ended") and event["agent_id"] == me:
            state["presence"] = fetch("presence", me)
        held = {c["id"] for c in state["conversations"]}
        if event.get("interaction_id") in held:
            state = _refresh(state, event["interaction_id"], fetch)
        return state
    conversations = {c["id"]: c for c in state["conversations"]}
    conversation = conversations.get(event["interaction_id"])
    if name == "interaction.updated":
        return _refresh(state, event["interaction_id"], fetch)
    if conversation is None:
        return state
    elif name == "message.created":
        if all(m["id"] != event["message"]["id"] for m in conversation["messages"]):
            conversation["messages"].append(event["message"])
    elif name == "message.delivery":
        for message in conversation["messages"]:
            if message["id"] in event["ids"] and message["delivery"] != "read":
                message["delivery"] = event["state"]
    elif name == "note.added" and all(
        n["id"] != event["note"]["id"] for n in conversation["notes"]
    ):
        conversation["notes"].append(event["note"])
    return state


def _refresh(state: dict[str, Any], interaction_id: str, fetch: Any) -> dict[str, Any]:
    conversations = {c["id"]: c for c in state["conversations"]}
    fresh = fetch("conversation", interaction_id)
    if fresh is None:
        conversations.pop(interaction_id, None)
    else:
        conversations[interaction_id] = fresh
    state["conversations"] = sorted(
        conversations.values(), key=lambda c: (c["answered_at"] or "", int(c["id"]))
    )
    return state


def fetcher(user: User) -> Any:
    """``fetch`` for ``apply_event`` backed by the database (what the desk's requests read)."""

    def fetch(kind: str, key: Any) -> Any:
        if kind == "presence":
            return _presence(user)
        if kind == "offer":
            offer = visible_to(user, RoutingOffer).filter(offer_id=key, status="live").first()
            return offer_dict(user, offer) if offer else None
        interaction = (
            visible_to(user, Interaction)
            .filter(pk=_int(key), agent=user, status__in=HELD)
            .select_related("contact", "queue", "disposition")
            .first()
        )
        return conversation_dict(user, interaction) if interaction else None

    return fetch


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def now_iso() -> str:
    return timezone.now().isoformat()
