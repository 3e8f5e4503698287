"""A tenant's business calendar, built from its settings and its editable holiday table.

Whoever keeps a copy of a calendar (the router's engines do) listens with
``on_calendar_change``; whoever edits the business week or the holidays calls
``calendar_changed`` so that the listeners rebuild theirs once the change is committed. The
listeners live in higher layers, so this module only holds the list and never imports them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from pasokh.persian.calendar import BusinessCalendar, BusinessWeek
from pasokh.tenancy.models import Holiday, Tenant

CalendarListener = Callable[[Tenant], None]

log = logging.getLogger("pasokh.tenancy")
_listeners: list[CalendarListener] = []


def business_calendar(tenant: Tenant) -> BusinessCalendar:
    closed_days = Holiday.objects.filter(tenant=tenant, closed=True).values_list("date", flat=True)
    return BusinessCalendar(
        BusinessWeek.from_dict(tenant.business_week), list(closed_days), tenant.time_zone
    )


def on_calendar_change(listener: CalendarListener) -> CalendarListener:
    """Call ``listener(tenant)`` after every committed change of a tenant's calendar."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def calendar_changed(tenant: Tenant) -> None:
    """The tenant's business week or holidays changed: tell the listeners after commit."""

    def notify() -> None:
        for listener in list(_listeners):
            try:
                listener(tenant)
            except Exception:
                # One listener's failure must not keep the others, or the edit, from going on.
                log.exception("calendar listener %r failed for tenant %s", listener, tenant.pk)

    transaction.on_commit(notify)
