"""Numbers as typed into Persian web forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pasokh.persian.digits import parse_decimal, parse_int, to_ascii_digits, to_persian_digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("۰۱۲۳۴۵۶۷۸۹", "0123456789", id="persian"),
        pytest.param("٠١٢٣٤٥٦٧٨٩", "0123456789", id="arabic-indic"),
        pytest.param("0123456789", "0123456789", id="ascii-unchanged"),
        pytest.param("کد ۴۵۶ و ٤٥٦", "کد 456 و 456", id="mixed-with-text"),
        pytest.param("", "", id="empty"),
    ],
)
def test_to_ascii_digits(text: str, expected: str) -> None:
    assert to_ascii_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("0123456789", "۰۱۲۳۴۵۶۷۸۹", id="ascii"),
        pytest.param("٤٥٦", "۴۵۶", id="arabic-indic-becomes-persian"),
        pytest.param("ساعت 10:30", "ساعت ۱۰:۳۰", id="mixed-with-text"),
    ],
)
def test_to_persian_digits(text: str, expected: str) -> None:
    assert to_persian_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("42", 42, id="ascii"),
        pytest.param("۴۲", 42, id="persian"),
        pytest.param("٤٢", 42, id="arabic-indic"),
        pytest.param("۱٬۲۳۴٬۵۶۷", 1234567, id="arabic-thousands-separator"),
        pytest.param("1,234,567", 1234567, id="ascii-thousands-separator"),
        pytest.param("۱،۲۳۴", 1234, id="arabic-comma-as-thousands"),
        pytest.param("  ۴۲\t", 42, id="surrounding-whitespace"),
        pytest.param("\u200f۴۲\u200e", 42, id="direction-marks"),
        pytest.param("\u2066۴۲\u2069", 42, id="bidi-isolates"),
        pytest.param("-۵", -5, id="minus"),
        pytest.param("\u2212۵", -5, id="unicode-minus"),
        pytest.param("+۵", 5, id="plus"),
        pytest.param("007", 7, id="leading-zeros"),
    ],
)
def test_parse_int(text: str, expected: int) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   ", "empty", id="blank"),
        pytest.param("abc", "only digits", id="letters"),
        pytest.param("۱۲a", "only digits", id="trailing-letter"),
        pytest.param("1.5", "decimal part", id="decimal"),
        pytest.param("۱٫۵", "decimal part", id="persian-decimal"),
        pytest.param("2,5", "groups of three", id="comma-as-decimal"),
        pytest.param("12,34,567", "groups of three", id="indian-grouping"),
        pytest.param("1 000", "only digits", id="space-inside"),
        pytest.param("- 5", "only digits", id="space-after-sign"),
        pytest.param("1e5", "only digits", id="exponent"),
        pytest.param("NaN", "only digits", id="nan"),
        pytest.param("+", "only digits", id="sign-only"),
        pytest.param("۵-", "only digits", id="trailing-minus"),
    ],
)
def test_parse_int_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_int(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("۱۲٫۵", Decimal("12.5"), id="persian-decimal-separator"),
        pytest.param("12.5", Decimal("12.5"), id="ascii-point"),
        pytest.param("۱٬۲۳۴٫۵۶", Decimal("1234.56"), id="thousands-and-decimal"),
        pytest.param("٫۵", Decimal("0.5"), id="no-whole-part"),
        pytest.param("۵٫", Decimal("5"), id="no-fraction-digits"),
        pytest.param("-۰٫۲۵", Decimal("-0.25"), id="negative"),
        pytest.param("۷", Decimal("7"), id="whole-number"),
        pytest.param("0.10", Decimal("0.10"), id="keeps-precision"),
    ],
)
def test_parse_decimal(text: str, expected: Decimal) -> None:
    result = parse_decimal(text)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1.2.3", id="two-points"),
        pytest.param("2,5", id="comma-decimal"),
        pytest.param("Infinity", id="infinity"),
        pytest.param("۱/۲", id="slash"),
        pytest.param(".", id="point-only"),
    ],
)
def test_parse_decimal_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="a number expected"):
        parse_decimal(text)


def test_parse_int_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse_int(42)  # type: ignore[arg-type]
