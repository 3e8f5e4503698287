"""Writes to interactions, notes and disposition codes (the only write path for this app)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from pasokh.contacts.models import Contact
from pasokh.interactions.models import DispositionCode, Interaction, Note
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
