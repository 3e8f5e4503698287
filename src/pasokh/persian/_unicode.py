"""Code-point tables shared by the Persian text helpers.

They live in one place so that digit parsing, search keys and phone numbers agree on what
counts as a digit and which invisible characters may be thrown away.
"""

from __future__ import annotations

import re
from typing import Final

PERSIAN_DIGITS: Final = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9, what Persian keyboards type
# U+0660..U+0669, what Arabic keyboards and old systems send
ARABIC_INDIC_DIGITS: Final = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS: Final = "0123456789"

ZWNJ: Final = "\u200c"
"""Zero-width non-joiner: part of Persian spelling (می‌خواهم, کتاب‌ها), never junk in display text."""

# Characters that only steer rendering (bidi direction, joining, byte order) and that
# copy-paste from Word, browsers and phones sprinkles into user input. They never carry
# meaning for matching or for numbers.
BIDI_CONTROLS: Final = (
    "\u061c"  # ARABIC LETTER MARK
    "\u200e\u200f"  # LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)
ZERO_WIDTH_JUNK: Final = (
    "\u200b"  # ZERO WIDTH SPACE
    "\u2060"  # WORD JOINER
    "\ufeff"  # BOM / ZERO WIDTH NO-BREAK SPACE
)
ZWJ: Final = "\u200d"

CONTROL_MARKS_RE: Final = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH_JUNK}]")
"""Invisible marks that are safe to drop even from display text."""
