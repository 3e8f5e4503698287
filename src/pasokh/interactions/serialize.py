"""JSON forms of chat messages and conversations, shared by the widget and the desk."""

from __future__ import annotations

from typing import Any

from pasokh.interactions.models import Interaction, Message


def agent_display_name(user: Any) -> str:
    if user is None:
        return ""
    return user.first_name or user.get_username()


def message_dict(message: Message) -> dict[str, Any]:
    attachment = message.attachment
    return {
        "id": message.pk,
        "sender": message.sender,
        "author": agent_display_name(message.author) if message.author_id else "",
        "body": message.body,
        "attachment": None
        if attachment is None
        else {
            "id": attachment.pk,
            "name": attachment.original_name,
            "type": attachment.content_type,
            "size": attachment.size,
        },
        "at": message.created_at.isoformat(),
        "delivery": message.delivery,
    }


def conversation_messages(interaction: Interaction, after_id: int = 0) -> list[dict[str, Any]]:
    rows = (
        Message.objects.filter(interaction=interaction, id__gt=after_id)
        .select_related("author", "attachment")
        .order_by("id")
    )
    return [message_dict(m) for m in rows]
