"""Showing SLA time to agents: «۲ ساعت و ۵ دقیقه مانده» or «۱ ساعت گذشته از موعد»."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from pasokh.tickets.sla import hours_and_minutes
from pasokh.web.templatetags.pasokh import localdigits

register = template.Library()

WARNING_SECONDS = 2 * 60 * 60


@register.filter
def timeleft(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    hours, minutes = hours_and_minutes(seconds)
    amount = (
        _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
        if hours
        else _("%(m)s min") % {"m": minutes}
    )
    text = (
        _("%(amount)s left") % {"amount": amount}
        if seconds >= 0
        else _("%(amount)s overdue") % {"amount": amount}
    )
    return localdigits(text)


@register.filter
def timeleft_class(seconds: float | None) -> str:
    """A CSS class for the urgency of a clock: ok, soon or late."""
    if seconds is None:
        return "clock-none"
    if seconds < 0:
        return "clock-late"
    return "clock-soon" if seconds < WARNING_SECONDS else "clock-ok"
