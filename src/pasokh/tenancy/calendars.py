"""A tenant's business calendar, built from its settings and its editable holiday table."""

from __future__ import annotations

from pasokh.persian.calendar import BusinessCalendar, BusinessWeek
from pasokh.tenancy.models import Holiday, Tenant


def business_calendar(tenant: Tenant) -> BusinessCalendar:
    closed_days = Holiday.objects.filter(tenant=tenant, closed=True).values_list("date", flat=True)
    return BusinessCalendar(
        BusinessWeek.from_dict(tenant.business_week), list(closed_days), tenant.time_zone
    )
