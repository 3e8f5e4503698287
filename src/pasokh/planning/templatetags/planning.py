"""Figures of planning results in the reader's digits: 88.8٪ in fa, 88.8% in en."""

from __future__ import annotations

import math

from django import template
from django.utils import translation

from pasokh.persian.digits import to_persian_digits

register = template.Library()


def _digits(text: str) -> str:
    if translation.get_language() == "fa":
        return to_persian_digits(text.replace(".", "٫")).replace("%", "٪")
    return text


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@register.filter
def percent(value: object, places: int = 1) -> str:
    """A fraction as a percentage: 0.8883 → «۸۸٫۸٪»; missing values → «—»."""
    number = _number(value)
    if number is None:
        return "—"
    return _digits(f"{number * 100:.{places}f}%")


@register.filter
def decimal1(value: object) -> str:
    number = _number(value)
    return "—" if number is None else _digits(f"{number:.1f}")
