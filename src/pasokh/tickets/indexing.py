"""The searchable form of a ticket, kept by the search app (which normalizes Persian text)."""

from __future__ import annotations

from django.urls import reverse

from pasokh.search.actions import do_index_document
from pasokh.tickets.models import Ticket


def index_ticket(ticket: Ticket) -> None:
    do_index_document(
        tenant=ticket.tenant,
        kind="ticket",
        object_id=ticket.pk,
        title=f"{ticket.reference} {ticket.subject}",
        text=ticket.description,
        url=reverse("tickets:detail", args=[ticket.pk]),
    )
