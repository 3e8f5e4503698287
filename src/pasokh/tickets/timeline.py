"""A contact's tickets on their timeline (registered with the contacts app's registry)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from pasokh.contacts.timeline import TimelineItem, register_timeline_provider
from pasokh.tenancy.access import visible_to
from pasokh.tickets.models import Ticket

LIMIT = 100


@register_timeline_provider("tickets")
def ticket_items(user: Any, contact: Any) -> Iterable[TimelineItem]:
    tickets = visible_to(user, Ticket).filter(contact=contact).order_by("-created_at")[:LIMIT]
    return [
        TimelineItem(
            at=ticket.created_at,
            kind="ticket",
            title=f"{ticket.reference} {ticket.subject}",
            detail=str(ticket.get_status_display()),
            url=reverse("tickets:detail", args=[ticket.pk]),
        )
        for ticket in tickets
    ]
