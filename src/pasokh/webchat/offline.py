"""Outside business hours: the customer's message becomes a ticket when the tickets app is
installed; otherwise it stays an offline-message interaction that supervisors see."""

from __future__ import annotations

from django.apps import apps

from pasokh.interactions.models import Interaction


def open_ticket_for(interaction: Interaction, body: str) -> str | None:
    if not apps.is_installed("pasokh.tickets"):
        return None
    from pasokh.tickets.actions import do_create_ticket
    from pasokh.tickets.models import TicketType

    ticket_type = TicketType.objects.filter(tenant_id=interaction.tenant_id).first()
    if ticket_type is None:
        return None
    ticket = do_create_ticket(
        tenant=interaction.tenant,
        actor=None,
        ticket_type=ticket_type,
        subject=interaction.subject,
        description=body,
        contact=interaction.contact,
        interactions=[interaction],
    )
    return str(ticket.reference)
