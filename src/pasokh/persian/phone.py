"""Phone numbers as Iranians write them, stored as E.164.

Callers, agents and imported spreadsheets write the same mobile number as 09121234567,
9121234567, 0098 912 123 4567, +98 (912) 123-4567 or with Persian digits. CRM look-ups
(screen-pop, de-duplication) only work if every form is reduced to one key, E.164
(+989121234567), so everything that stores or matches a number goes through
:func:`normalize_phone`. Parsing and validation are delegated to ``phonenumbers`` (Google's
libphonenumber metadata knows Iranian mobile ranges and area codes); this module adds the
input clean-up and the Pasokh-specific rules around it.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from pasokh.persian._unicode import CONTROL_MARKS_RE, ZWJ, ZWNJ
from pasokh.persian.digits import to_ascii_digits

__all__ = [
    "PhoneNumberInvalid",
    "is_mobile",
    "looks_like_phone",
    "normalize_phone",
    "phone_digits",
    "phone_search_variants",
    "try_normalize_phone",
]

# Longer input is not a phone number; the bound also keeps regexes and the parser cheap.
_MAX_INPUT_LENGTH: Final = 64
# E.164 allows 15 digits; written with the "00" international prefix that makes 17.
_MAX_DIGITS: Final = 17
_PHONE_SHAPE_RE: Final = re.compile(r"\+?[0-9 ()\-./]+")
# Separators people put between digit groups, including the Arabic-script ones.
_SEPARATOR_FOLDS: Final = str.maketrans(
    {
        "\u066c": " ",
        "\u060c": " ",
        "\u066b": ".",
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u00a0": " ",
        "\u202f": " ",
        ZWNJ: "",
        ZWJ: "",
    }
)
_E164_RE: Final = re.compile(r"\+[1-9][0-9]{6,14}")
_PARSE_ERRORS: Final = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
    NumberParseException.NOT_A_NUMBER: "no phone number found",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}


class PhoneNumberInvalid(ValueError):  # noqa: N818 - the name reads as the domain fact it reports
    """The text is not a valid phone number; the message says what is wrong."""


def _reason(error: NumberParseException) -> str:
    return _PARSE_ERRORS.get(error.error_type, "unreadable")


def _clean(raw: str) -> str:
    """Make typed or pasted input readable for ``phonenumbers``.

    Invisible bidi marks are removed because pasting an LTR number inside RTL text wraps it
    in LRM/RLM marks, which ``phonenumbers`` does not ignore.
    """
    return to_ascii_digits(CONTROL_MARKS_RE.sub("", raw)).translate(_SEPARATOR_FOLDS).strip()


def normalize_phone(raw: str, *, default_region: str = "IR") -> str:
    """Return the E.164 form (``+989121234567``) of a phone number written in any usual way.

    Numbers without a country code are read in ``default_region`` (Iran unless a tenant
    says otherwise), so ``09121234567``, ``9121234567`` and ``021 1234 5678`` work;
    ``+`` or ``00`` introduce foreign numbers.

    Raises:
        PhoneNumberInvalid: for text that is not a phone number or a number that cannot
            exist (wrong length, unassigned range). The message is meant for the user.
    """
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    cleaned = _clean(raw)
    if not cleaned:
        raise PhoneNumberInvalid("the phone number is empty")
    if len(cleaned) > _MAX_INPUT_LENGTH:
        raise PhoneNumberInvalid(f"too long for a phone number ({len(cleaned)} characters)")
    # phonenumbers would read letters as a vanity number (0912-ABC-… → 0912 222 …); an
    # Iranian number never contains letters, so letters mean the input is wrong.
    if not _PHONE_SHAPE_RE.fullmatch(cleaned):
        raise PhoneNumberInvalid(
            f"{raw!r} is not a phone number: only digits, a leading +, spaces, "
            "dashes, dots and parentheses are allowed"
        )
    try:
        number = phonenumbers.parse(cleaned, default_region)
    except NumberParseException as error:
        raise PhoneNumberInvalid(f"{raw!r} is not a phone number: {_reason(error)}") from error
    if not phonenumbers.is_valid_number(number):
        region = phonenumbers.region_code_for_country_code(number.country_code or 0)
        raise PhoneNumberInvalid(
            f"{raw!r} is not a valid phone number"
            + (f" in {region}" if region and region != "ZZ" else "")
            + " (wrong length or an unassigned prefix)"
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def try_normalize_phone(raw: str, *, default_region: str = "IR") -> str | None:
    """Like :func:`normalize_phone`, but ``None`` instead of an exception (for imports)."""
    try:
        return normalize_phone(raw, default_region=default_region)
    except PhoneNumberInvalid:
        return None


def looks_like_phone(text: str, *, min_digits: int = 7) -> bool:
    """Tell whether a search query should be matched against phone numbers.

    A query is phone-shaped if, after digit normalisation, it contains only digits and
    phone separators (with an optional leading ``+``) and at least ``min_digits`` digits.
    It does not have to be a complete number: agents search by the first digits they
    heard, and the phone columns are matched by prefix against
    :func:`phone_search_variants`. Years, short ids and names are not phone-shaped.
    """
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > _MAX_INPUT_LENGTH or not _PHONE_SHAPE_RE.fullmatch(cleaned):
        return False
    digit_count = sum(char.isdigit() for char in cleaned)
    return min_digits <= digit_count <= _MAX_DIGITS


def phone_digits(text: str) -> str:
    """Reduce a (possibly partial) phone query to its digits, for prefix matching."""
    return "".join(char for char in _clean(text) if char in "0123456789")


def _parse_e164(e164: str) -> phonenumbers.PhoneNumber:
    if not isinstance(e164, str) or not _E164_RE.fullmatch(e164):
        raise PhoneNumberInvalid(f"{e164!r} is not in E.164 form (+ and up to 15 digits)")
    try:
        return phonenumbers.parse(e164, None)
    except NumberParseException as error:
        raise PhoneNumberInvalid(f"{e164!r} is not a phone number: {_reason(error)}") from error


def phone_search_variants(e164: str) -> list[str]:
    """All digit strings under which a stored number should be found by prefix search.

    For +989121234567 that is ``+989121234567``, ``989121234567``, ``00989121234567``,
    ``09121234567`` and ``9121234567``: whatever prefix an agent starts typing (with or
    without the country code or the trunk 0), one variant starts with it.
    """
    number = _parse_e164(e164)
    national_significant = phonenumbers.national_significant_number(number)
    national = re.sub(r"[^0-9]", "", phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    variants = [e164, e164[1:], "00" + e164[1:], national, national_significant]
    return list(dict.fromkeys(variant for variant in variants if variant))


def is_mobile(e164: str) -> bool:
    """Tell whether the number is a mobile line (so it can receive SMS).

    Numbers whose type cannot be told from the number alone (the USA and Canada share
    ranges between fixed and mobile lines) are not reported as mobile.
    """
    return phonenumbers.number_type(_parse_e164(e164)) == PhoneNumberType.MOBILE
