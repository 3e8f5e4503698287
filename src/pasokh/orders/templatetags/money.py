"""Prices as people read them: «۱۲٬۵۰۰٬۰۰۰ تومان» in Persian, "12,500,000 toman" in English."""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from pasokh.persian.digits import to_persian_digits

register = template.Library()

PERSIAN_THOUSANDS = "\u066c"  # ٬ ARABIC THOUSANDS SEPARATOR, as Persian typography uses
PERSIAN_DECIMAL = "\u066b"  # ٫


def format_money(rials: int, unit: str = "toman", language: str = "fa") -> str:
    """Format an amount stored in rials in the tenant's unit (1 toman = 10 rials)."""
    if unit == "rial":
        number, label = f"{rials:,}", _("rial")
    else:
        whole, tenth = divmod(abs(rials), 10)
        number = f"{'-' if rials < 0 else ''}{whole:,}" + (f".{tenth}" if tenth else "")
        label = _("toman")
    if language == "fa":
        number = to_persian_digits(
            number.replace(",", PERSIAN_THOUSANDS).replace(".", PERSIAN_DECIMAL)
        )
    return f"{number} {label}"


@register.filter
def money(rials: int | None, unit: str = "toman") -> str:
    """``{{ order.total_rials|money:current_tenant.price_unit }}``."""
    if rials is None or rials == "":
        return ""
    return format_money(int(rials), unit or "toman", translation.get_language() or "fa")
