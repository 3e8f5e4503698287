"""Properties that must hold for every input, not only for the table rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pasokh.persian.calendar import BusinessCalendar, BusinessWeek, iran_official_holidays
from pasokh.persian.digits import parse_decimal, parse_int, to_ascii_digits, to_persian_digits
from pasokh.persian.normalize import search_key, search_tokens

# Text that exercises the normaliser: Arabic-script letters, marks and digits, invisible
# controls, Latin letters with accents, and any other Unicode now and then.
_persian_alphabet = st.sampled_from(
    list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئ")
    + list("يكىةۀؤأإٱۂےە")
    + ["\u064b", "\u064e", "\u0650", "\u0651", "\u0652", "\u0654", "\u0670", "\u0640"]
    + list("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789")
    + ["\u200c", "\u200d", "\u200e", "\u200f", "\u202b", "\u2067", "\ufeff", " ", "\t"]
    + list("،؛؟٫٬٪«»")
    + ["ﻛ", "ﺘ", "ﺎ", "ﺏ", "ﻻ", "ﷲ"]
)
_mixed_text = st.lists(
    st.one_of(_persian_alphabet, st.characters(), st.sampled_from(list("AbCßéE\u0301İﬁ"))),
    max_size=30,
).map("".join)


@given(_mixed_text)
def test_search_key_is_idempotent(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key


@given(_mixed_text)
def test_joined_search_key_is_idempotent(text: str) -> None:
    key = search_key(text, zwnj="")
    assert search_key(key, zwnj="") == key


@given(_mixed_text)
def test_search_key_has_no_invisibles_or_non_ascii_digits(text: str) -> None:
    key = search_key(text)
    assert not set(key) & set("\u200c\u200d\u200e\u200f\u202b\u2067\ufeff\u0640")
    assert to_ascii_digits(key) == key
    assert key == key.strip()
    assert "  " not in key


@given(_mixed_text)
def test_search_tokens_come_from_the_key(text: str) -> None:
    key = search_key(text)
    assert all(token in key for token in search_tokens(text))


@given(st.text())
def test_digits_round_trip(text: str) -> None:
    assert to_ascii_digits(to_persian_digits(text)) == to_ascii_digits(text)
    assert to_persian_digits(to_ascii_digits(text)) == to_persian_digits(text)


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_parse_int_reads_persian_rendering(number: int) -> None:
    assert parse_int(to_persian_digits(str(number))) == number
    assert parse_int(to_persian_digits(f"{number:,}").replace(",", "٬")) == number


_TEHRAN = ZoneInfo("Asia/Tehran")
_CALENDAR = BusinessCalendar.from_holidays(
    BusinessWeek.iranian_default(), iran_official_holidays([2025, 2026, 2027]), _TEHRAN
)
_starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(_starts, st.floats(min_value=0, max_value=400 * 3600, allow_nan=False))
def test_add_business_time_then_measure_gives_the_seconds_back(
    start: datetime, seconds: float
) -> None:
    deadline = _CALENDAR.add_business_time(start, seconds)
    assert deadline >= start
    # Datetimes carry microseconds, so the deadline is rounded to the nearest one.
    assert _CALENDAR.business_seconds_between(start, deadline) == pytest.approx(seconds, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(_starts, st.integers(min_value=1, max_value=400 * 3600))
def test_deadline_is_open_time_or_closing_time(start: datetime, seconds: int) -> None:
    deadline = _CALENDAR.add_business_time(start, seconds)
    just_before = deadline - timedelta(microseconds=1)
    assert _CALENDAR.is_open(just_before)


@settings(max_examples=100, deadline=None)
@given(_starts)
def test_next_open_is_open_and_nothing_was_open_before(start: datetime) -> None:
    opening = _CALENDAR.next_open(start)
    assert _CALENDAR.is_open(opening)
    assert _CALENDAR.business_seconds_between(start, opening) == 0


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12
    )
)
def test_parse_decimal_reads_persian_rendering(number: Decimal) -> None:
    typed = to_persian_digits(format(number, "f")).replace(".", "٫")
    assert parse_decimal(typed) == number
