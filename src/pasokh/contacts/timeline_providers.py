"""The contacts app's own timeline sources: interactions on every channel and their notes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pasokh.contacts.models import Contact
from pasokh.contacts.timeline import TimelineItem, register_timeline_provider
from pasokh.interactions.models import Interaction, Note
from pasokh.tenancy.access import visible_to

PER_SOURCE = 200


@register_timeline_provider("interactions")
def interaction_items(user: Any, contact: Contact) -> list[TimelineItem]:
    interactions = (
        visible_to(user, Interaction)
        .filter(contact=contact)
        .select_related("queue", "agent", "disposition")
        .order_by("-arrived_at")[:PER_SOURCE]
    )
    items = []
    for interaction in interactions:
        parts = [interaction.get_direction_display(), interaction.get_status_display()]
        if interaction.queue:
            parts.append(str(interaction.queue))
        if interaction.agent:
            parts.append(str(interaction.agent))
        if interaction.disposition:
            parts.append(str(interaction.disposition))
        items.append(
            TimelineItem(
                at=interaction.arrived_at,
                kind="interaction",
                title=interaction.subject or interaction.get_channel_display(),
                detail=" · ".join(parts),
                channel=interaction.get_channel_display(),
            )
        )
    return items


@register_timeline_provider("notes")
def note_items(user: Any, contact: Contact) -> list[TimelineItem]:
    notes = (
        visible_to(user, Note)
        .filter(interaction__contact=contact)
        .select_related("author")
        .order_by("-created_at")[:PER_SOURCE]
    )
    return [
        TimelineItem(
            at=note.created_at,
            kind="note",
            title=_("Note by %(author)s") % {"author": note.author or _("someone")},
            detail=note.body,
        )
        for note in notes
    ]
