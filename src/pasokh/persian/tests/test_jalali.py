"""Jalali dates for display and for reports grouped by Jalali month and week."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pasokh.persian.jalali import (
    JALALI_MONTH_NAMES_EN,
    JALALI_MONTH_NAMES_FA,
    WEEKDAY_NAMES_FA,
    format_jalali,
    from_jalali,
    jalali_month_range,
    jalali_week_start,
    to_jalali,
)


@pytest.mark.parametrize(
    ("gregorian", "jalali"),
    [
        pytest.param(date(2026, 3, 21), (1405, 1, 1), id="nowruz-1405"),
        pytest.param(date(2026, 3, 20), (1404, 12, 29), id="last-day-of-1404"),
        pytest.param(date(2025, 3, 20), (1403, 12, 30), id="leap-esfand-30"),
        pytest.param(date(2026, 11, 27), (1405, 9, 6), id="6-azar-1405"),
        pytest.param(datetime(2026, 11, 27, 23, 59), (1405, 9, 6), id="datetime-uses-its-date"),
    ],
)
def test_to_jalali(gregorian: date, jalali: tuple[int, int, int]) -> None:
    converted = to_jalali(gregorian)
    assert (converted.year, converted.month, converted.day) == jalali
    assert converted.togregorian() == (
        gregorian.date() if isinstance(gregorian, datetime) else gregorian
    )
    assert from_jalali(*jalali) == converted.togregorian()


def test_from_jalali_rejects_missing_days() -> None:
    with pytest.raises(ValueError, match="day"):
        from_jalali(1404, 12, 30)  # 1404 is not a leap year


@pytest.mark.parametrize(
    ("moment", "fmt", "persian_digits", "expected"),
    [
        pytest.param(date(2026, 3, 21), "%Y/%m/%d", True, "۱۴۰۵/۰۱/۰۱", id="default-persian"),
        pytest.param(date(2026, 3, 21), "%Y/%m/%d", False, "1405/01/01", id="ascii-digits"),
        pytest.param(
            date(2026, 3, 21), "%A %d %B %Y", True, "شنبه ۰۱ فروردین ۱۴۰۵", id="weekday-month"
        ),
        pytest.param(
            datetime(2026, 11, 27, 9, 5), "%Y/%m/%d %H:%M", True, "۱۴۰۵/۰۹/۰۶ ۰۹:۰۵", id="time"
        ),
        pytest.param(date(2026, 11, 27), "%A", False, "جمعه", id="friday-name"),
    ],
)
def test_format_jalali(moment: date, fmt: str, persian_digits: bool, expected: str) -> None:
    assert format_jalali(moment, fmt, persian_digits=persian_digits) == expected


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        pytest.param(None, "۱۴۰۴/۱۲/۲۹ ۲۳:۰۰", id="own-zone-utc"),
        pytest.param("Asia/Tehran", "۱۴۰۵/۰۱/۰۱ ۰۲:۳۰", id="tehran-is-already-nowruz"),
    ],
)
def test_format_jalali_time_zone(tz: str | None, expected: str) -> None:
    moment = datetime(2026, 3, 20, 23, 0, tzinfo=UTC)
    assert format_jalali(moment, "%Y/%m/%d %H:%M", tz=tz) == expected


def test_format_jalali_refuses_tz_for_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_jalali(datetime(2026, 3, 20, 23), tz="Asia/Tehran")


def test_format_jalali_default_format() -> None:
    assert format_jalali(date(2026, 11, 27)) == "۱۴۰۵/۰۹/۰۶"


def test_names() -> None:
    assert len(JALALI_MONTH_NAMES_FA) == len(JALALI_MONTH_NAMES_EN) == 12
    assert JALALI_MONTH_NAMES_FA[0] == "فروردین"
    assert JALALI_MONTH_NAMES_FA[11] == "اسفند"
    assert JALALI_MONTH_NAMES_EN[8] == "Azar"
    assert WEEKDAY_NAMES_FA[0] == "شنبه"
    assert WEEKDAY_NAMES_FA[5] == "پنج\u200cشنبه"
    assert WEEKDAY_NAMES_FA[6] == "جمعه"


@pytest.mark.parametrize(
    ("year", "month", "start", "next_start", "days"),
    [
        pytest.param(1404, 12, date(2026, 2, 20), date(2026, 3, 21), 29, id="esfand-1404"),
        pytest.param(1403, 12, date(2025, 2, 19), date(2025, 3, 21), 30, id="leap-esfand-1403"),
        pytest.param(1405, 1, date(2026, 3, 21), date(2026, 4, 21), 31, id="farvardin-1405"),
        pytest.param(1405, 7, date(2026, 9, 23), date(2026, 10, 23), 30, id="mehr-1405"),
        pytest.param(1405, 9, date(2026, 11, 22), date(2026, 12, 22), 30, id="azar-1405"),
    ],
)
def test_jalali_month_range(
    year: int, month: int, start: date, next_start: date, days: int
) -> None:
    assert jalali_month_range(year, month) == (start, next_start)
    assert (next_start - start).days == days


@pytest.mark.parametrize("month", [0, 13])
def test_jalali_month_range_rejects_bad_month(month: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 12"):
        jalali_month_range(1405, month)


@pytest.mark.parametrize(
    ("day", "saturday"),
    [
        pytest.param(date(2026, 11, 27), date(2026, 11, 21), id="friday"),
        pytest.param(date(2026, 11, 21), date(2026, 11, 21), id="saturday-itself"),
        pytest.param(date(2026, 11, 26), date(2026, 11, 21), id="thursday"),
        pytest.param(date(2026, 3, 20), date(2026, 3, 14), id="across-jalali-new-year"),
    ],
)
def test_jalali_week_start(day: date, saturday: date) -> None:
    assert jalali_week_start(day) == saturday
    assert to_jalali(jalali_week_start(day)).weekday() == 0
