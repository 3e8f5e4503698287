"""Validating contact custom-field values against the tenant's definitions.

Values are stored in ``Contact.custom_fields`` as JSON: text as a string, numbers as a
decimal string (no float rounding), choices as one of the defined choices, dates as ISO
``YYYY-MM-DD`` (Gregorian; Jalali input such as ۱۴۰۳/۰۱/۱۵ is converted).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from pasokh.contacts.models import CustomField
from pasokh.persian.digits import parse_decimal, to_ascii_digits
from pasokh.persian.jalali import from_jalali

TEXT_MAX = 500
_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
# Years before this are Jalali (1300–1499 AH solar); after it Gregorian.
_JALALI_YEAR_LIMIT = 1700


class CustomFieldError(ValueError):
    """A value that does not fit its field; the message is shown to the user."""


def parse_date(raw: str) -> dt.date:
    match = _DATE_RE.match(to_ascii_digits(raw.strip()))
    if not match:
        raise CustomFieldError(_("Enter a date like 1403/01/15 or 2024-04-03."))
    year, month, day = (int(part) for part in match.groups())
    try:
        if year < _JALALI_YEAR_LIMIT:
            return from_jalali(year, month, day)
        return dt.date(year, month, day)
    except ValueError as error:
        raise CustomFieldError(_("This date does not exist.")) from error


def clean_value(field: CustomField, raw: object) -> str:
    """The stored form of ``raw`` for ``field`` ("" clears the value)."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return ""
    if field.type == CustomField.Type.TEXT:
        if len(text) > TEXT_MAX:
            raise CustomFieldError(_("Too long (at most 500 characters)."))
        return text
    if field.type == CustomField.Type.NUMBER:
        try:
            return str(parse_decimal(text))
        except (ValueError, ArithmeticError) as error:
            raise CustomFieldError(_("Enter a number.")) from error
    if field.type == CustomField.Type.CHOICE:
        if text not in field.choices:
            raise CustomFieldError(_("Choose one of the listed options."))
        return text
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return parse_date(text).isoformat()


def clean_values(
    fields: Iterable[CustomField], values: Mapping[str, object]
) -> tuple[dict[str, str], dict[str, str]]:
    """Clean every given value: (cleaned values, errors by key). Unknown keys are errors."""
    by_key = {field.key: field for field in fields}
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, raw in values.items():
        field = by_key.get(key)
        if field is None:
            errors[key] = str(_("No such field."))
            continue
        try:
            cleaned[key] = clean_value(field, raw)
        except CustomFieldError as error:
            errors[key] = str(error)
    return cleaned, errors
