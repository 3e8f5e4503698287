"""Digits and numbers as Iranian users type them.

Mobile keyboards in Iran send Persian digits (۰۹۱۲…), older Windows layouts and Arabic
keyboards send Arabic-Indic digits (٠٩١٢…), and pasted text carries invisible direction
marks. Every numeric input of the web forms goes through :func:`parse_int` or
:func:`parse_decimal`, so that "Persian digits are accepted in every numeric input" holds
in one place instead of in each form.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from pasokh.persian._unicode import (
    ARABIC_INDIC_DIGITS,
    ASCII_DIGITS,
    BIDI_CONTROLS,
    PERSIAN_DIGITS,
    ZERO_WIDTH_JUNK,
)

__all__ = [
    "DECIMAL_SEPARATORS",
    "THOUSANDS_SEPARATORS",
    "parse_decimal",
    "parse_int",
    "to_ascii_digits",
    "to_persian_digits",
]

_TO_ASCII: Final = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)
# Arabic-Indic ٤٥٦ look different from Persian ۴۵۶, so they are converted too: the output
# should look right to a Persian reader, whatever keyboard produced the input.
_TO_PERSIAN: Final = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)

DECIMAL_SEPARATORS: Final = ".\u066b"  # ASCII point, Arabic decimal separator ٫
THOUSANDS_SEPARATORS: Final = ",\u066c\u060c"  # ASCII comma, Arabic thousands ٬, Arabic comma ،

_MINUS_SIGNS: Final = "-\u2212"  # hyphen-minus and the typographic minus sign
_NUMBER_RE: Final = re.compile(
    rf"(?P<sign>[+{re.escape(_MINUS_SIGNS)}])?"
    r"(?P<whole>[0-9]+(?:,[0-9]+)*)?"
    r"(?:\.(?P<fraction>[0-9]*))?"
)
_GROUPED_RE: Final = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*")
_INVISIBLES: Final = str.maketrans(dict.fromkeys(BIDI_CONTROLS + ZERO_WIDTH_JUNK + "\u200c\u200d"))
_SEPARATORS: Final = str.maketrans(
    dict.fromkeys(THOUSANDS_SEPARATORS, ",") | dict.fromkeys(DECIMAL_SEPARATORS, ".")
)


def to_ascii_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits with ASCII ones and leave everything else."""
    return text.translate(_TO_ASCII)


def to_persian_digits(text: str) -> str:
    """Replace ASCII and Arabic-Indic digits with Persian ones, for display to Persian readers."""
    return text.translate(_TO_PERSIAN)


def _canonical_number(text: str, *, kind: str) -> tuple[str, str, str | None]:
    """Split a typed number into sign, whole part (no separators) and fraction.

    Thousands separators are only accepted in groups of three, because a comma in the
    wrong place is more likely a mistyped decimal separator ("2,5") than a grouping, and
    silently reading it as 25 would be worse than asking again.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    cleaned = to_ascii_digits(text).translate(_INVISIBLES).strip().translate(_SEPARATORS)
    if not cleaned:
        raise ValueError(f"{kind} expected, got an empty value")
    match = _NUMBER_RE.fullmatch(cleaned)
    if match is None or not (match["whole"] or match["fraction"]):
        raise ValueError(
            f"{kind} expected, got {text!r}: only digits (ASCII, Persian or Arabic-Indic), "
            "a leading sign and separators are allowed"
        )
    whole = match["whole"] or "0"
    if "," in whole and not _GROUPED_RE.fullmatch(whole):
        raise ValueError(
            f"{kind} expected, got {text!r}: thousands separators must separate groups of "
            "three digits (use ٫ or . for decimals)"
        )
    sign = "-" if match["sign"] and match["sign"] in _MINUS_SIGNS else ""
    return sign, whole.replace(",", ""), match["fraction"]


def parse_int(text: str) -> int:
    """Read a whole number typed in any digit script, e.g. ``"۱٬۲۳۴"`` → 1234.

    Raises:
        ValueError: if the text is not a whole number; the message says why.
    """
    sign, whole, fraction = _canonical_number(text, kind="a whole number")
    if fraction is not None:
        raise ValueError(f"a whole number expected, got {text!r}: it has a decimal part")
    return int(sign + whole)


def parse_decimal(text: str) -> Decimal:
    """Read a decimal number typed in any digit script, e.g. ``"۱۲٫۵"`` → Decimal("12.5").

    A :class:`~decimal.Decimal` rather than a float, because these are amounts and
    durations typed by people and must come back exactly as typed.

    Raises:
        ValueError: if the text is not a decimal number; the message says why.
    """
    sign, whole, fraction = _canonical_number(text, kind="a number")
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else sign + whole)
