"""SLA clock arithmetic for tickets, on the tenant's business calendar.

Durations are business time: nights, Fridays and holidays do not count. While a ticket waits
for the customer the resolution clock stops: the business time left is remembered at the
pause and a new deadline is computed from it when the ticket moves on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pasokh.persian.calendar import BusinessCalendar

# The states in which the resolution clock is not running at all.
STOPPED_STATES = frozenset({"resolved", "closed"})
PAUSED_STATE = "pending_customer"


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    warn_at: datetime


def deadline(
    calendar: BusinessCalendar, start: datetime, target_seconds: float, warn_percent: int
) -> Deadline:
    """When a clock started at ``start`` must be met, and when to warn that it soon will not."""
    return Deadline(
        due_at=calendar.add_business_time(start, target_seconds),
        warn_at=calendar.add_business_time(start, target_seconds * warn_percent / 100),
    )


def remaining_seconds(calendar: BusinessCalendar, now: datetime, due_at: datetime) -> float:
    """Business seconds left until ``due_at``; negative (business seconds overdue) after it."""
    return calendar.business_seconds_between(now, due_at)


def resumed_deadline(
    calendar: BusinessCalendar,
    now: datetime,
    remaining: float,
    target_seconds: float,
    warn_percent: int,
) -> Deadline:
    """The deadline after a pause, with the same business time left as when it was paused.

    A clock that was already overdue at the pause stays as overdue as it was.
    """
    if remaining <= 0:
        due = now if remaining == 0 else _before(calendar, now, -remaining)
        return Deadline(due_at=due, warn_at=due)
    warn_left = remaining - target_seconds * (100 - warn_percent) / 100
    return Deadline(
        due_at=calendar.add_business_time(now, remaining),
        warn_at=calendar.add_business_time(now, max(warn_left, 0.0)),
    )


def _before(calendar: BusinessCalendar, now: datetime, overdue: float) -> datetime:
    """A moment ``overdue`` business seconds before ``now`` (walks back day by day)."""
    step = timedelta(days=1)
    start = now - step
    while calendar.business_seconds_between(start, now) < overdue:
        start -= step
    # Move forward from ``start`` by the surplus to land exactly ``overdue`` before now.
    surplus = calendar.business_seconds_between(start, now) - overdue
    return calendar.add_business_time(start, surplus)


def hours_and_minutes(seconds: float) -> tuple[int, int]:
    """Whole business hours and minutes of an absolute duration (for "time left")."""
    hours, minutes = divmod(int(abs(seconds)) // 60, 60)
    return hours, minutes
