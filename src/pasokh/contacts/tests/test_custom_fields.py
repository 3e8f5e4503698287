"""Custom-field values are checked by type and stored in one canonical form."""

from __future__ import annotations

import datetime as dt

import pytest

from pasokh.contacts.custom_fields import CustomFieldError, clean_value, clean_values
from pasokh.contacts.models import CustomField

CITY = CustomField(key="city", label="شهر", type=CustomField.Type.CHOICE, choices=["تهران"])
BIRTHDAY = CustomField(key="birthday", label="تولد", type=CustomField.Type.DATE)
CREDIT = CustomField(key="credit", label="اعتبار", type=CustomField.Type.NUMBER)
CODE = CustomField(key="code", label="کد", type=CustomField.Type.TEXT)


@pytest.mark.parametrize(
    ("field", "raw", "stored"),
    [
        (BIRTHDAY, "۱۴۰۳/۰۱/۱۵", "2024-04-03"),  # Jalali in Persian digits
        (BIRTHDAY, "2024-04-03", "2024-04-03"),
        (BIRTHDAY, dt.date(2024, 4, 3), "2024-04-03"),  # an Excel date cell
        (CREDIT, "۱۲٫۵", "12.5"),
        (CREDIT, "1,200", "1200"),
        (CITY, "تهران", "تهران"),
        (CODE, "  A-12 ", "A-12"),
        (CODE, "", ""),
    ],
)
def test_values_are_stored_in_canonical_form(field, raw, stored):
    assert clean_value(field, raw) == stored


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        (BIRTHDAY, "1403/12/31"),
        (BIRTHDAY, "فردا"),
        (CREDIT, "ده"),
        (CITY, "آتلانتیس"),
        (CODE, "x" * 501),
    ],
)
def test_bad_values_are_refused_with_a_reason(field, raw):
    with pytest.raises(CustomFieldError):
        clean_value(field, raw)


def test_unknown_keys_are_reported_not_stored():
    cleaned, errors = clean_values([CITY], {"city": "تهران", "shoe_size": "42"})
    assert cleaned == {"city": "تهران"}
    assert set(errors) == {"shoe_size"}
