"""Template filters for the Persian-first shell: dates in the reader's calendar, digits."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone, translation

from pasokh.persian.digits import to_persian_digits
from pasokh.persian.jalali import format_jalali

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def jdate(value: date | datetime | None, fmt: str = "") -> str:
    """A date in the active language's calendar: Jalali with Persian digits for fa."""
    if value is None or value == "":
        return ""
    value = _local(value)
    with_time = isinstance(value, datetime)
    if translation.get_language() == "fa":
        return format_jalali(value, fmt or ("%Y/%m/%d %H:%M" if with_time else "%Y/%m/%d"))
    return value.strftime(fmt or ("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d"))


@register.filter
def jdate_long(value: date | datetime | None) -> str:
    """A long, human date: «شنبه ۸ آذر ۱۴۰۵» in fa, «Saturday 28 November 2026» in en."""
    if value is None or value == "":
        return ""
    value = _local(value)
    if translation.get_language() == "fa":
        day = to_persian_digits(str(int(format_jalali(value, "%d", persian_digits=False))))
        return format_jalali(value, f"%A {day} %B %Y")
    return f"{value:%A} {value.day} {value:%B %Y}"


@register.filter
def localdigits(value: object) -> str:
    text = str(value)
    return to_persian_digits(text) if translation.get_language() == "fa" else text
