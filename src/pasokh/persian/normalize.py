"""Search keys for Persian (and mixed Persian/English) text.

The same word reaches the database in many spellings: Arabic ي/ك from Arabic keyboards and
old systems, presentation forms from PDFs, diacritics, kashida, ZWNJ typed as a space or not
at all, three digit scripts, and invisible bidi marks from copy-paste. The database cannot fold
these itself (SQLite FTS5 splits words at diacritics and ZWNJ, PostgreSQL's ``unaccent`` has
no Arabic-script rules), so we store a folded *search key* beside the original text and build
the query key with the very same function.

Search keys are lossy on purpose (ۀ and ة become ه, hamza seats are dropped); they are for
matching only. Text shown to people goes through :func:`display_clean`, which keeps the
spelling.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from pasokh.persian._unicode import (
    ARABIC_INDIC_DIGITS,
    ASCII_DIGITS,
    CONTROL_MARKS_RE,
    PERSIAN_DIGITS,
    ZWJ,
    ZWNJ,
)

__all__ = ["display_clean", "search_key", "search_keys", "search_tokens"]

_LETTER_FOLDS: Final = {
    # Yeh: Arabic yeh, alef maksura and yeh barree all become the Farsi yeh.
    "\u064a": "\u06cc",
    "\u0649": "\u06cc",
    "\u06d2": "\u06cc",
    # Kaf: the Arabic kaf becomes the Persian keheh.
    "\u0643": "\u06a9",
    # Teh marbuta and the heh-with-yeh (ezafe) forms become plain heh.
    "\u0629": "\u0647",
    "\u06c0": "\u0647",
    "\u06c1": "\u0647",
    "\u06c2": "\u0647",
    "\u06d5": "\u0647",
    # Hamza seats on alef and waw are spelled either way (مسأله / مساله). آ and ئ are kept:
    # they are distinct letters in Persian spelling.
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0671": "\u0627",
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0624": "\u0648",
}
_PUNCTUATION_FOLDS: Final = {
    "\u060c": ",",  # ، Arabic comma
    "\u061b": ";",  # ؛ Arabic semicolon
    "\u061f": "?",  # ؟ Arabic question mark
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
    "\u066a": "%",  # ٪ Arabic percent sign
    "\u066d": "*",  # ٭ Arabic five-pointed star
    "\u06d4": ".",  # ۔ Arabic full stop
}
_SEARCH_FOLDS: Final = str.maketrans(
    _LETTER_FOLDS
    | _PUNCTUATION_FOLDS
    | dict(zip(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2, strict=True))
)
_DISPLAY_FOLDS: Final = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})

# Harakat, Quranic annotation signs, superscript alef and the tatweel (kashida): they change
# how a word looks, never which word it is.
_DIACRITICS_RE: Final = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WHITESPACE_RE: Final = re.compile(r"\s+")
# A Farsi yeh followed by a combining hamza is the decomposed spelling of ئ; keep the letter.
_DECOMPOSED_YEH_HAMZA: Final = "\u06cc\u0654"
_YEH_HAMZA: Final = "\u0626"
_ZWNJ_CHOICES: Final = (" ", "")
# NFKC and casefold can each expose work for the other (a combining mark next to a removed
# invisible, a casefold expansion); a few passes always reach the fixed point in practice.
_MAX_PASSES: Final = 4


def _fold_once(text: str, zwnj: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_SEARCH_FOLDS)
    folded = folded.replace(_DECOMPOSED_YEH_HAMZA, _YEH_HAMZA)
    folded = _DIACRITICS_RE.sub("", folded)
    folded = CONTROL_MARKS_RE.sub("", folded).replace(ZWJ, "").replace(ZWNJ, zwnj)
    return _WHITESPACE_RE.sub(" ", folded).strip().casefold()


def search_key(text: str, *, zwnj: str = " ") -> str:
    """Fold ``text`` into the key stored for search and built from every query.

    Args:
        text: text as typed or imported.
        zwnj: what a ZWNJ becomes: ``" "`` (default) splits می‌خواهم into two tokens
            ("می خواهم"), ``""`` joins them ("میخواهم"). Users type all three spellings, so
            indexes should store both variants (see :func:`search_keys`).

    The function is idempotent: ``search_key(search_key(t)) == search_key(t)``, so keys
    can be re-folded safely.
    """
    if zwnj not in _ZWNJ_CHOICES:
        raise ValueError(f"zwnj must be ' ' or '', got {zwnj!r}")
    folded = text
    for _ in range(_MAX_PASSES):
        refolded = _fold_once(folded, zwnj)
        if refolded == folded:
            break
        folded = refolded
    return folded


def search_keys(text: str) -> tuple[str, str]:
    """Return the spaced and the joined search key of ``text``.

    The spaced key turns ZWNJ into a space (matches "می خواهم"), the joined key removes it
    (matches "میخواهم"). A query folded with :func:`search_key` finds the record if it equals
    or is contained in either stored key.
    """
    return search_key(text, zwnj=" "), search_key(text, zwnj="")


def search_tokens(text: str) -> list[str]:
    """Split the (spaced) search key into words, without punctuation at their ends.

    Punctuation inside a token is kept, so e-mail addresses, decimals and codes such as
    ``ali@example.com``, ``12.5`` or ``A-12`` stay one token.
    """
    tokens = (_strip_punctuation(word) for word in search_key(text).split(" "))
    return [token for token in tokens if token]


def _strip_punctuation(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(word[end - 1]).startswith("P"):
        end -= 1
    return word[start:end]


def display_clean(text: str) -> str:
    """Clean text for storage and display without changing its spelling.

    Only the Arabic ي/ى/ك become Persian ی/ک (they render differently and break sorting),
    and invisible bidi and zero-width junk marks are removed. ZWNJ, ZWJ, ه/ۀ, hamza forms,
    diacritics, digits and whitespace are kept exactly as typed: they are part of how the
    author wrote the text.
    """
    return CONTROL_MARKS_RE.sub("", text).translate(_DISPLAY_FOLDS)
