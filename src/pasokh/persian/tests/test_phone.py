"""Every way Iranians write a phone number, and what must be refused."""

from __future__ import annotations

import pytest

from pasokh.persian.phone import (
    PhoneNumberInvalid,
    is_mobile,
    looks_like_phone,
    normalize_phone,
    phone_digits,
    phone_search_variants,
    try_normalize_phone,
)

MOBILE = "+989121234567"

VALID_FORMS = [
    pytest.param("09121234567", MOBILE, id="national-with-trunk-0"),
    pytest.param("9121234567", MOBILE, id="national-without-trunk-0"),
    pytest.param("989121234567", MOBILE, id="country-code-without-plus"),
    pytest.param("00989121234567", MOBILE, id="double-zero-prefix"),
    pytest.param("+989121234567", MOBILE, id="e164"),
    pytest.param("+98 912 123 4567", MOBILE, id="international-spaced"),
    pytest.param("0098-912-123-4567", MOBILE, id="double-zero-dashed"),
    pytest.param("(0912) 123 4567", MOBILE, id="parenthesised-prefix"),
    pytest.param("0912.123.4567", MOBILE, id="dotted"),
    pytest.param("+98 (912) 123-4567", MOBILE, id="international-mixed-separators"),
    pytest.param("۰۹۱۲۱۲۳۴۵۶۷", MOBILE, id="persian-digits"),
    pytest.param("٠٩١٢١٢٣٤٥٦٧", MOBILE, id="arabic-indic-digits"),
    pytest.param("۰۹۱۲-۱۲۳-۴۵۶۷", MOBILE, id="persian-digits-dashed"),
    pytest.param("+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷", MOBILE, id="persian-digits-international"),
    pytest.param("\u202a+98 912 123 4567\u202c", MOBILE, id="wrapped-in-bidi-embedding"),
    pytest.param("\u200e09121234567\u200f", MOBILE, id="lrm-rlm"),
    pytest.param("  09121234567  ", MOBILE, id="surrounding-whitespace"),
    pytest.param("09351234567", "+989351234567", id="irancell"),
    pytest.param("09981234567", "+989981234567", id="rightel"),
    pytest.param("021 1234 5678", "+982112345678", id="tehran-landline"),
    pytest.param("(031) 3123 4567", "+983131234567", id="isfahan-landline"),
    pytest.param("۰۲۱-۸۸۸۸۱۲۳۴", "+982188881234", id="landline-persian-digits"),
    pytest.param("+44 20 7946 0958", "+442079460958", id="uk-with-plus"),
    pytest.param("0044 20 7946 0958", "+442079460958", id="uk-with-double-zero"),
    pytest.param("+1 650-253-0000", "+16502530000", id="usa"),
    pytest.param("+971 50 123 4567", "+971501234567", id="uae-mobile"),
]


@pytest.mark.parametrize(("raw", "expected"), VALID_FORMS)
def test_normalize_phone(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected
    assert try_normalize_phone(raw) == expected


INVALID_FORMS = [
    pytest.param("", "empty", id="empty"),
    pytest.param("   ", "empty", id="blank"),
    pytest.param("abc", "not a phone number", id="letters"),
    pytest.param("علی رضایی", "not a phone number", id="persian-name"),
    pytest.param("0912-ABC-4567", "not a phone number", id="vanity-letters"),
    pytest.param("09121234567 ext 12", "not a phone number", id="extension"),
    pytest.param("12", "not a valid phone number", id="too-short"),
    pytest.param("0912123456", "not a valid phone number", id="mobile-one-digit-short"),
    pytest.param("091212345678", "not a valid phone number", id="mobile-one-digit-long"),
    pytest.param("09411234567", "not a valid phone number", id="unassigned-mobile-prefix"),
    pytest.param("88881234", "not a valid phone number", id="local-number-without-area-code"),
    pytest.param("+999 123 4567", "unknown country code", id="unknown-country-code"),
    pytest.param("00 1", "too short", id="too-short-after-00"),
    pytest.param("+", "not a phone number", id="plus-only"),
    pytest.param("1" * 80, "too long", id="far-too-long"),
    pytest.param("10004000", "not a valid phone number", id="sms-gateway-line"),
]


@pytest.mark.parametrize(("raw", "message"), INVALID_FORMS)
def test_normalize_phone_rejects(raw: str, message: str) -> None:
    with pytest.raises(PhoneNumberInvalid, match=message):
        normalize_phone(raw)
    assert try_normalize_phone(raw) is None


def test_phone_number_invalid_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a phone number"):
        normalize_phone("garbage")


def test_default_region_reads_national_numbers_elsewhere() -> None:
    assert normalize_phone("020 7946 0958", default_region="GB") == "+442079460958"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("09121234567", True, id="full-mobile"),
        pytest.param("0912123", True, id="prefix"),
        pytest.param("۰۹۱۲ ۱۲۳", True, id="persian-digits-prefix"),
        pytest.param("+98 912 123", True, id="international-prefix"),
        pytest.param("(021) 8888", True, id="landline-prefix"),
        pytest.param("1404", False, id="year"),
        pytest.param("+98912", False, id="too-few-digits"),
        pytest.param("علی رضایی", False, id="name"),
        pytest.param("0912 علی", False, id="digits-and-letters"),
        pytest.param("ali@example.com", False, id="email"),
        pytest.param("", False, id="empty"),
        pytest.param("1" * 18, False, id="too-many-digits"),
    ],
)
def test_looks_like_phone(query: str, expected: bool) -> None:
    assert looks_like_phone(query) is expected


def test_looks_like_phone_minimum_is_configurable() -> None:
    assert looks_like_phone("4567", min_digits=4)


def test_phone_digits_reduces_partial_queries() -> None:
    assert phone_digits("+۹۸ (۹۱۲) ۱۲۳") == "98912123"


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        pytest.param(
            MOBILE,
            ["+989121234567", "989121234567", "00989121234567", "09121234567", "9121234567"],
            id="iran-mobile",
        ),
        pytest.param(
            "+982112345678",
            ["+982112345678", "982112345678", "00982112345678", "02112345678", "2112345678"],
            id="tehran-landline",
        ),
        pytest.param(
            "+442079460958",
            ["+442079460958", "442079460958", "00442079460958", "02079460958", "2079460958"],
            id="uk",
        ),
    ],
)
def test_phone_search_variants(e164: str, expected: list[str]) -> None:
    assert phone_search_variants(e164) == expected


@pytest.mark.parametrize(
    "typed_prefix",
    ["+98912", "98912", "0098912", "0912", "912123"],
)
def test_every_typed_prefix_finds_a_variant(typed_prefix: str) -> None:
    digits = phone_digits(typed_prefix)
    variants = [variant.lstrip("+") for variant in phone_search_variants(MOBILE)]
    assert any(variant.startswith(digits) for variant in variants)


@pytest.mark.parametrize(
    "not_e164",
    [
        pytest.param("09121234567", id="national"),
        pytest.param("+98 912 123 4567", id="spaced"),
        pytest.param("", id="empty"),
    ],
)
def test_phone_search_variants_requires_e164(not_e164: str) -> None:
    with pytest.raises(PhoneNumberInvalid, match=r"E\.164"):
        phone_search_variants(not_e164)


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        pytest.param(MOBILE, True, id="mci"),
        pytest.param("+989351234567", True, id="irancell"),
        pytest.param("+982112345678", False, id="tehran-landline"),
        pytest.param("+447911123456", True, id="uk-mobile"),
        pytest.param("+16502530000", False, id="usa-ambiguous"),
    ],
)
def test_is_mobile(e164: str, expected: bool) -> None:
    assert is_mobile(e164) is expected
