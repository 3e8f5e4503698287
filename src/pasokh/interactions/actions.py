"""Writes to interactions, notes and disposition codes (the only write path for this app)."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasokh.contacts.actions import do_find_or_create_contact
from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.interactions import attachments, events, holdings
from pasokh.interactions.models import Attachment, DispositionCode, Interaction, Message, Note
from pasokh.interactions.serialize import agent_display_name, message_dict
from pasokh.router.models import Queue
from pasokh.tenancy.models import Tenant, User


@transaction.atomic
def do_create_disposition_code(*, tenant: Tenant, code: str, name: str) -> DispositionCode:
    return DispositionCode.objects.create(tenant=tenant, code=code, name=name)


@transaction.atomic
def do_import_interaction(
    *,
    tenant: Tenant,
    contact: Contact | None,
    channel: str,
    queue: Queue | None,
    arrived_at: datetime,
    status: str,
    agent: User | None = None,
    answered_at: datetime | None = None,
    ended_at: datetime | None = None,
    subject: str = "",
    disposition: DispositionCode | None = None,
    direction: str = Interaction.Direction.INBOUND,
    csat: int | None = None,
    note: str = "",
) -> Interaction:
    """Record an interaction that already happened elsewhere (history import, demo data)."""
    interaction = Interaction.objects.create(
        tenant=tenant,
        contact=contact,
        channel=channel,
        direction=direction,
        queue=queue,
        agent=agent,
        status=status,
        subject=subject,
        disposition=disposition,
        arrived_at=arrived_at,
        answered_at=answered_at,
        ended_at=ended_at,
        csat=csat,
    )
    if note:
        Note.objects.create(tenant=tenant, interaction=interaction, author=agent, body=note)
    return interaction


# ── chat conversations ──────────────────────────────────────────────────────────────────────


class ChatError(ValueError):
    """A chat write that cannot be done; ``str()`` is the message for the person."""


@transaction.atomic
def do_start_chat(
    *,
    tenant: Tenant,
    customer_name: str,
    identity_kind: str,
    identity_value: str,
    queue: Queue | None,
    subject: str,
) -> Interaction:
    """A customer opened the widget: find or create their contact, open a waiting chat."""
    if identity_kind not in (ContactIdentity.Kind.PHONE, ContactIdentity.Kind.EMAIL):
        raise ChatError(_("Give a phone number or an e-mail address."))
    contact = do_find_or_create_contact(
        tenant=tenant, kind=identity_kind, value=identity_value, first_name=customer_name[:80]
    )
    return Interaction.objects.create(
        tenant=tenant,
        contact=contact,
        channel="chat",
        queue=queue,
        status=Interaction.Status.QUEUED,
        subject=subject[:300],
        arrived_at=timezone.now(),
    )


def _agents_of(interaction: Interaction) -> list[int | None]:
    return [interaction.agent_id]


@transaction.atomic
def do_post_message(
    *,
    interaction: Interaction,
    sender: str,
    body: str,
    author: User | None = None,
    attachment: Attachment | None = None,
) -> Message:
    body = body.strip()
    if not body and attachment is None:
        raise ChatError(_("The message is empty."))
    if len(body) > Message.MAX_LENGTH:
        raise ChatError(_("The message is too long."))
    if interaction.status in (Interaction.Status.ENDED, Interaction.Status.ABANDONED):
        raise ChatError(_("This conversation has ended."))
    message = Message.objects.create(
        tenant_id=interaction.tenant_id,
        interaction=interaction,
        sender=sender,
        author=author,
        body=body,
        attachment=attachment,
    )
    events.publish(
        interaction.tenant_id,
        events.event(
            "message.created",
            interaction.pk,
            _agents_of(interaction),
            message=message_dict(message),
        ),
    )
    return message


@transaction.atomic
def do_mark_messages(
    *, interaction: Interaction, reader: str, state: str, up_to_id: int
) -> list[int]:
    """The reader's side received (``delivered``) or saw (``read``) the other side's messages
    up to ``up_to_id``; returns the ids whose state changed."""
    others = Message.objects.filter(interaction=interaction, id__lte=up_to_id).exclude(
        sender=reader
    )
    now = timezone.now()
    if state == "read":
        ids = list(others.filter(read_at__isnull=True).values_list("id", flat=True))
        others.filter(id__in=ids).update(read_at=now)
        others.filter(id__in=ids, delivered_at__isnull=True).update(delivered_at=now)
    elif state == "delivered":
        ids = list(others.filter(delivered_at__isnull=True).values_list("id", flat=True))
        others.filter(id__in=ids).update(delivered_at=now)
    else:
        raise ChatError(_("Unknown delivery state."))
    if ids:
        events.publish(
            interaction.tenant_id,
            events.event(
                "message.delivery", interaction.pk, _agents_of(interaction), ids=ids, state=state
            ),
        )
    return ids


def do_signal_typing(*, interaction: Interaction, side: str, author: User | None = None) -> None:
    """Typing has no row: it is a passing signal, published at once."""
    events.publish_now(
        interaction.tenant_id,
        events.event(
            "typing",
            interaction.pk,
            _agents_of(interaction),
            side=side,
            author=agent_display_name(author),
        ),
    )


def _media_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "chat"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@transaction.atomic
def do_store_attachment(
    *, interaction: Interaction, data: bytes, name: str, max_bytes: int
) -> Attachment:
    """Check the file by its content, then store it under a random name (never the user's)."""
    content_type, extension = attachments.check(data, max_bytes)
    stored = f"chat/{secrets.token_urlsafe(24)}.{extension}"
    (_media_dir() / Path(stored).name).write_bytes(data)
    safe_name = Path(name.replace("\\", "/")).name[:200] or f"file.{extension}"
    return Attachment.objects.create(
        tenant_id=interaction.tenant_id,
        interaction=interaction,
        path=stored,
        original_name=safe_name,
        content_type=content_type,
        size=len(data),
    )


@transaction.atomic
def do_add_note(
    *, interaction: Interaction, author: User, body: str, kind: str = Note.Kind.NOTE
) -> Note:
    body = body.strip()
    if not body:
        raise ChatError(_("The note is empty."))
    if len(body) > 5000:
        raise ChatError(_("The note is too long."))
    note = Note.objects.create(
        tenant_id=interaction.tenant_id,
        interaction=interaction,
        author=author,
        body=body,
        kind=kind,
    )
    events.publish(
        interaction.tenant_id,
        events.event(
            "note.added",
            interaction.pk,
            _agents_of(interaction),
            note={"id": note.pk, "author": agent_display_name(author), "body": body},
        ),
    )
    return note


@transaction.atomic
def do_set_disposition(
    *, interaction: Interaction, disposition: DispositionCode | None
) -> Interaction:
    if disposition is not None and disposition.tenant_id != interaction.tenant_id:
        raise ChatError(_("Unknown disposition code."))
    interaction.disposition = disposition
    interaction.save(update_fields=["disposition"])
    return interaction


@transaction.atomic
def do_record_csat(*, interaction: Interaction, score: int, comment: str = "") -> Interaction:
    if not 1 <= score <= 5:
        raise ChatError(_("Choose a rating from 1 to 5."))
    if interaction.answered_at is None:
        raise ChatError(_("Only an answered conversation can be rated."))
    interaction.csat = score
    interaction.csat_comment = comment.strip()[:1000]
    interaction.save(update_fields=["csat", "csat_comment"])
    return interaction


@transaction.atomic
def do_record_offline_message(
    *, interaction: Interaction, body: str, ticket_opened: bool
) -> Interaction:
    """Outside business hours the customer leaves a message; the chat closes at once."""
    do_post_message(interaction=interaction, sender=Message.Sender.CUSTOMER, body=body)
    interaction.status = Interaction.Status.ENDED
    interaction.ended_at = timezone.now()
    if not ticket_opened:
        interaction.subject = f"{_('Message left outside business hours')}: {interaction.subject}"[
            :300
        ]
    interaction.save(update_fields=["status", "ended_at", "subject"])
    return interaction


@transaction.atomic
def do_import_message(
    *,
    interaction: Interaction,
    sender: str,
    body: str,
    at: datetime,
    author: User | None = None,
    attachment: Attachment | None = None,
) -> Message:
    """A message of a conversation that already happened (history import, demo data)."""
    message = Message.objects.create(
        tenant_id=interaction.tenant_id,
        interaction=interaction,
        sender=sender,
        author=author,
        body=body[: Message.MAX_LENGTH],
        attachment=attachment,
        delivered_at=at,
        read_at=at,
    )
    Message.objects.filter(pk=message.pk).update(created_at=at)
    return message


# ── routing outcomes ────────────────────────────────────────────────────────────────────────

_FINAL_STATUS = {
    "interaction.ended": Interaction.Status.WRAP_UP,
    "interaction.abandoned": Interaction.Status.ABANDONED,
    "interaction.cancelled": Interaction.Status.ENDED,
    "interaction.max_wait_reached": Interaction.Status.ENDED,
}


_QUEUED = (Interaction.Status.QUEUED, Interaction.Status.ACTIVE)  # "queued" changes neither


def _already_so(
    tenant_id: int, interaction_id: int | None, name: str, event: dict[str, Any]
) -> bool:
    """The committed row (as ``holdings`` knows it exactly) already says what the event would
    write: a new chat is created queued, and an accepted offer raises ``offer.accepted`` and
    ``interaction.assigned`` for the same agent."""
    holding = holdings.lookup(interaction_id)
    if holding is None or holding.tenant_id != tenant_id:
        return False
    if name == "interaction.queued":
        return holding.status in _QUEUED
    if name in ("offer.accepted", "interaction.assigned"):
        return holding.status == Interaction.Status.ACTIVE and holding.agent_id == _int_or_none(
            event.get("agent_id")
        )
    return False


def do_apply_routing_event(tenant_id: int, event: dict[str, Any]) -> Interaction | None:
    """Record what routing decided on the interaction row (status, agent, times).

    Called by the routing-bus subscriber with the event in its JSON form; the router never
    writes to this app's tables itself. An event that would change nothing the in-memory
    holding knows of (a call or chat created queued, the second event of an accepted offer)
    returns before any transaction; the rest is one transaction (a savepoint in a batch).
    """
    name = event["name"]
    interaction_id = _int_or_none(event.get("interaction_id"))
    if _already_so(tenant_id, interaction_id, name, event):
        return None
    return _record_routing_event(tenant_id, interaction_id, name, event)


@transaction.atomic
def _record_routing_event(
    tenant_id: int, interaction_id: int | None, name: str, event: dict[str, Any]
) -> Interaction | None:
    try:
        interaction = (
            Interaction.objects.select_for_update(of=("self",))
            .select_related("agent")
            .get(tenant_id=tenant_id, pk=interaction_id)
        )
    except Interaction.DoesNotExist:
        return None
    now = timezone.now()
    fields: list[str] = []
    if name in ("offer.accepted", "interaction.assigned") and (
        interaction.agent_id != _int_or_none(event.get("agent_id"))
        or interaction.status != Interaction.Status.ACTIVE
    ):  # (an accepted offer raises both events: the second finds the row already so)
        agent_id = _int_or_none(event.get("agent_id"))
        changed = interaction.agent_id != agent_id
        interaction.agent_id = agent_id
        agent = None
        if changed and agent_id is not None:
            agent = User.objects.filter(pk=agent_id).first()
            if agent is not None:
                interaction.agent = agent  # loaded once, for the line and the event below
        interaction.status = Interaction.Status.ACTIVE
        fields += ["agent", "status"]
        if interaction.answered_at is None:
            interaction.answered_at = now
            fields.append("answered_at")
        if changed and interaction.channel == "chat":
            _joined(interaction, agent)
    elif name == "interaction.queued":
        if interaction.status not in _QUEUED:  # (a call is created queued: nothing to write)
            interaction.status = Interaction.Status.QUEUED
            fields.append("status")
    elif name == "wrapup.ended":
        if interaction.status == Interaction.Status.WRAP_UP:
            interaction.status = Interaction.Status.ENDED
            fields.append("status")
    elif name in _FINAL_STATUS:
        if event.get("final_state") is None and name == "interaction.max_wait_reached":
            return interaction  # a callback keeps waiting
        interaction.status = _FINAL_STATUS[name]
        interaction.ended_at = interaction.ended_at or now
        fields += ["status", "ended_at"]
    if fields:
        interaction.save(update_fields=fields)
        events.publish(
            tenant_id,
            events.event(
                "interaction.updated",
                interaction.pk,
                [interaction.agent_id, _int_or_none(event.get("agent_id"))],
                status=interaction.status,
                agent=agent_display_name(interaction.agent) if interaction.agent_id else "",
                routing_event=name,
            ),
        )
    return interaction


def _joined(interaction: Interaction, agent: User | None) -> None:
    """A system line the clients render as "<agent> joined the conversation"."""
    do_post_message(
        interaction=interaction, sender=Message.Sender.SYSTEM, body="joined", author=agent
    )


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# ── phone calls ─────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def do_start_call(
    *,
    tenant: Tenant,
    caller: str | None,
    queue: Queue | None,
    subject: str = "",
    direction: str = Interaction.Direction.INBOUND,
    agent: User | None = None,
) -> Interaction:
    """A caller chose a queue in the phone menu: their contact (by E.164 number, created when
    new; none for a withheld number) and a waiting voice interaction. An agent's own outbound
    call (click-to-call) is ``direction="outbound"`` with that ``agent``: ``caller`` is then
    the number called."""
    contact = (
        do_find_or_create_contact(tenant=tenant, kind=ContactIdentity.Kind.PHONE, value=caller)
        if caller
        else None
    )
    return Interaction.objects.create(
        tenant=tenant,
        contact=contact,
        channel="voice",
        direction=direction,
        agent=agent,
        queue=queue,
        status=Interaction.Status.QUEUED,
        subject=subject[:300],
        arrived_at=timezone.now(),
    )
