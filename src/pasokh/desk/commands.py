"""What an agent can do from the desk, one function per request the socket carries.

Each reads through the access chokepoints, checks that the agent holds the conversation, and
calls the owning app's action (interactions for messages/notes/dispositions, the router's for
states, offers, ends and transfers). The consumer stays a dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from pasokh.desk.snapshot import HELD
from pasokh.interactions import actions as chat
from pasokh.interactions.access import access_interaction, access_live_chat
from pasokh.interactions.models import DispositionCode, Interaction, Message, Note
from pasokh.interactions.serialize import message_dict
from pasokh.router import actions as routing
from pasokh.router.models import Queue, ReasonCode
from pasokh.tenancy.access import access_user, visible_to
from pasokh.tenancy.models import Role, User


class DeskError(Exception):
    """A request the desk refuses; ``str()`` is shown to the agent."""


def held(
    user: User, interaction_id: object, *, lookup: Callable[..., Interaction] = access_interaction
) -> Interaction:
    """The interaction if ``user`` is its agent and holds it now; ``lookup`` is the access
    chokepoint that reads it."""
    try:
        interaction = lookup(user, interaction_id)
    except Http404 as error:
        raise DeskError(_("This conversation is not yours.")) from error
    if interaction.agent_id != user.pk or interaction.status not in HELD:
        raise DeskError(_("This conversation is not yours."))
    return interaction


def held_chat(user: User, interaction_id: object) -> Interaction:
    """``held`` for messages and typing, through the in-memory chokepoint."""
    return held(user, interaction_id, lookup=access_live_chat)


def set_state(user: User, data: dict[str, Any]) -> dict[str, Any]:
    state = data.get("state")
    if state == "ready":
        routing.do_set_agent_state(user, "ready")
    elif state == "not_ready":
        code = str(data.get("reason", ""))
        if not visible_to(user, ReasonCode).filter(code=code, is_active=True).exists():
            raise DeskError(_("Choose a reason."))
        routing.do_set_agent_state(user, "not_ready", code)
    else:
        raise DeskError(_("Unknown state."))
    return {}


def accept(user: User, data: dict[str, Any]) -> dict[str, Any]:
    routing.do_accept_offer(user, int(data["offer_id"]))
    return {}


def reject(user: User, data: dict[str, Any]) -> dict[str, Any]:
    routing.do_reject_offer(user, int(data["offer_id"]), "rejected")
    return {}


def send(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held_chat(user, data.get("interaction_id"))
    if interaction.status != Interaction.Status.ACTIVE:
        raise DeskError(_("The conversation has ended."))
    message = chat.do_post_message(
        interaction=interaction,
        sender=Message.Sender.AGENT,
        body=str(data.get("body", "")),
        author=user,
    )
    return {"message": message_dict(message)}


def typing(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held_chat(user, data.get("interaction_id"))
    chat.do_signal_typing(interaction=interaction, side=Message.Sender.AGENT, author=user)
    return {}


def seen(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held(user, data.get("interaction_id"))
    state = "read" if data.get("state") == "read" else "delivered"
    chat.do_mark_messages(
        interaction=interaction,
        reader=Message.Sender.AGENT,
        state=state,
        up_to_id=int(data.get("up_to", 0)),
    )
    return {}


def note(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held(user, data.get("interaction_id"))
    added = chat.do_add_note(interaction=interaction, author=user, body=str(data.get("body", "")))
    return {"note": {"id": added.pk, "body": added.body}}


def disposition(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held(user, data.get("interaction_id"))
    code = visible_to(user, DispositionCode).filter(code=str(data.get("code", ""))).first()
    if code is None:
        raise DeskError(_("Unknown disposition code."))
    chat.do_set_disposition(interaction=interaction, disposition=code)
    return {"code": code.code}


def end(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held(user, data.get("interaction_id"))
    queue = interaction.queue
    if queue and queue.disposition_required and interaction.disposition_id is None:
        raise DeskError(_("Choose a disposition before ending this conversation."))
    if interaction.status == Interaction.Status.ACTIVE:
        routing.do_end_interaction(user, interaction.pk)
    return {}


def finish_wrap_up(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held(user, data.get("interaction_id"))
    queue = interaction.queue
    if queue and queue.disposition_required and interaction.disposition_id is None:
        raise DeskError(_("Choose a disposition before ending this conversation."))
    routing.do_end_wrap_up(user, interaction.pk)
    return {}


def transfer(user: User, data: dict[str, Any]) -> dict[str, Any]:
    interaction = held(user, data.get("interaction_id"))
    if interaction.status != Interaction.Status.ACTIVE:
        raise DeskError(_("The conversation has ended."))
    note_text = str(data.get("note", "")).strip()[:1000]
    if data.get("queue"):
        queue = visible_to(user, Queue).filter(code=str(data["queue"])).first()
        if queue is None:
            raise DeskError(_("Unknown queue."))
        if interaction.channel not in queue.channels:
            raise DeskError(_("That queue does not take this kind of conversation."))
        if note_text:
            chat.do_add_note(
                interaction=interaction, author=user, body=note_text, kind=Note.Kind.TRANSFER
            )
        routing.do_transfer_to_queue(user, interaction.pk, queue.code)
        return {}
    try:
        target = access_user(user, data.get("agent"))
    except Http404 as error:
        raise DeskError(_("Unknown agent.")) from error
    if target.role != Role.AGENT or target.pk == user.pk:
        raise DeskError(_("Unknown agent."))
    if note_text:
        chat.do_add_note(
            interaction=interaction, author=user, body=note_text, kind=Note.Kind.TRANSFER
        )
    routing.do_transfer_to_agent(
        user, interaction.pk, target.pk, warm=bool(data.get("warm", True)), note=note_text
    )
    return {}


# Commands that submit to the router and wait for its answer: the consumer runs them on
# threads of their own (``pasokh.router.service.waiting_pool``), so a slow router never
# holds the threads that carry messages.
WAIT_ON_ROUTER = frozenset({"state", "accept", "reject", "end", "wrapup_done", "transfer"})
# What an agent does in a running conversation, on the chat message threads.
MESSAGES = frozenset({"send", "typing", "seen"})

COMMANDS = {
    "state": set_state,
    "accept": accept,
    "reject": reject,
    "send": send,
    "typing": typing,
    "seen": seen,
    "note": note,
    "disposition": disposition,
    "end": end,
    "wrapup_done": finish_wrap_up,
    "transfer": transfer,
}
