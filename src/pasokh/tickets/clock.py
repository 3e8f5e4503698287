"""The "time left" agents see: business time until the clock that matters next runs out."""

from __future__ import annotations

from datetime import datetime

from pasokh.persian.calendar import BusinessCalendar
from pasokh.tickets import sla
from pasokh.tickets.models import Ticket
from pasokh.tickets.workflow import ACTIVE


def next_due(ticket: Ticket) -> datetime | None:
    """First response while nobody has answered, then resolution."""
    if ticket.first_responded_at is None and ticket.first_response_due_at is not None:
        return ticket.first_response_due_at
    return ticket.resolution_due_at


def business_seconds_left(
    ticket: Ticket, calendar: BusinessCalendar, now: datetime
) -> float | None:
    """Seconds of business time left (negative when overdue), None when no clock runs."""
    if ticket.status not in ACTIVE:
        return None
    if ticket.is_paused:
        return ticket.paused_remaining_seconds
    due = next_due(ticket)
    return None if due is None else sla.remaining_seconds(calendar, now, due)
