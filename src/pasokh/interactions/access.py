"""Chokepoints for interactions and notes.

Agents read the interactions of their tenant (the customer history is the point of the
desk); notes are readable by the tenant too, but only their authors and supervisors change them.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from pasokh.interactions import holdings
from pasokh.interactions.models import Attachment, DispositionCode, Interaction, Note
from pasokh.tenancy.access import access


def access_interaction(user: Any, interaction_id: object) -> Interaction:
    return access(user, Interaction, interaction_id)


def access_live_chat(user: Any, interaction_id: object) -> Interaction:
    """``access_interaction`` for what a chat does many times a minute (messages, typing):
    answered from the in-memory holding (``pasokh.interactions.holdings``, kept exact by every
    committed save of the row in this process) when there is one, from the row otherwise.
    The interaction from a holding carries only its id, tenant, agent, status and channel."""
    holding = holdings.lookup(interaction_id)
    if holding is None or holding.channel != "chat":
        return access_interaction(user, interaction_id)
    if not user.is_active or user.tenant_id is None or holding.tenant_id != user.tenant_id:
        raise Http404
    return holding.as_interaction()


def access_note(user: Any, note_id: object) -> Note:
    return access(user, Note, note_id)


def access_disposition(user: Any, disposition_id: object) -> DispositionCode:
    return access(user, DispositionCode, disposition_id)


def access_attachment(user: Any, attachment_id: object) -> Attachment:
    return access(user, Attachment, attachment_id)
