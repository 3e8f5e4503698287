"""Chokepoints for interactions and notes.

Agents read the interactions of their tenant (the customer history is the point of the
desk); notes are readable by the tenant too, but only their authors and supervisors change them.
"""

from __future__ import annotations

from typing import Any

from pasokh.interactions.models import Attachment, DispositionCode, Interaction, Note
from pasokh.tenancy.access import access


def access_interaction(user: Any, interaction_id: object) -> Interaction:
    return access(user, Interaction, interaction_id)


def access_note(user: Any, note_id: object) -> Note:
    return access(user, Note, note_id)


def access_disposition(user: Any, disposition_id: object) -> DispositionCode:
    return access(user, DispositionCode, disposition_id)


def access_attachment(user: Any, attachment_id: object) -> Attachment:
    return access(user, Attachment, attachment_id)
