"""The Iranian business calendar: opening hours, holidays, and SLA clock arithmetic.

Reference dates (Jalali ↔ Gregorian, checked against jdatetime and time.ir):
1 Farvardin 1405 = Saturday 2026-03-21; 29 Esfand 1404 = Friday 2026-03-20;
Nowruz holidays 1–4 Farvardin 1405 = 2026-03-21 … 2026-03-24; 6 Azar 1405 = Friday 2026-11-27.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pasokh.persian.calendar import (
    BusinessCalendar,
    BusinessWeek,
    BusinessWeekError,
    Holiday,
    OpenSpan,
    ThursdayPolicy,
    Weekday,
    iran_official_holidays,
)

TEHRAN = ZoneInfo("Asia/Tehran")
HOUR = 3600.0


def tehran(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TEHRAN)


@pytest.fixture(scope="module")
def holidays_2026() -> list[Holiday]:
    return iran_official_holidays(2026)


@pytest.fixture(scope="module")
def calendar(holidays_2026: list[Holiday]) -> BusinessCalendar:
    """Default Iranian week (Thursday half day) with the official 2026 holidays."""
    return BusinessCalendar.from_holidays(BusinessWeek.iranian_default(), holidays_2026)


# --- Time zone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "offset_hours"),
    [
        pytest.param(datetime(2026, 1, 15, 12), 3.5, id="winter-2026"),
        pytest.param(datetime(2026, 7, 15, 12), 3.5, id="summer-2026-no-dst"),
        pytest.param(datetime(2023, 7, 15, 12), 3.5, id="summer-2023-dst-abolished"),
        pytest.param(datetime(2022, 7, 15, 12), 4.5, id="summer-2022-still-dst"),
    ],
)
def test_tehran_offset(moment: datetime, offset_hours: float) -> None:
    offset = moment.replace(tzinfo=TEHRAN).utcoffset()
    assert offset == timedelta(hours=offset_hours)


@pytest.mark.parametrize(
    ("utc_moment", "expected"),
    [
        pytest.param(datetime(2026, 11, 28, 4, 30, tzinfo=UTC), True, id="08:00-tehran-opens"),
        pytest.param(datetime(2026, 11, 28, 4, 29, tzinfo=UTC), False, id="07:59-tehran"),
        pytest.param(datetime(2026, 11, 28, 13, 29, tzinfo=UTC), True, id="16:59-tehran"),
        pytest.param(datetime(2026, 11, 28, 13, 30, tzinfo=UTC), False, id="17:00-tehran-closes"),
    ],
)
def test_is_open_computes_in_the_calendar_time_zone(
    calendar: BusinessCalendar, utc_moment: datetime, expected: bool
) -> None:
    assert calendar.is_open(utc_moment) is expected


def test_results_are_in_the_calendar_time_zone(calendar: BusinessCalendar) -> None:
    result = calendar.next_open(datetime(2026, 11, 27, 9, tzinfo=UTC))
    assert result == tehran(2026, 11, 28, 8)
    assert result.utcoffset() == timedelta(hours=3.5)


# --- Opening hours and closed days -----------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(tehran(2026, 11, 28, 10), True, id="saturday-morning"),
        pytest.param(tehran(2026, 11, 25, 16, 59), True, id="wednesday-before-close"),
        pytest.param(tehran(2026, 11, 25, 17), False, id="wednesday-at-close"),
        pytest.param(tehran(2026, 11, 25, 7, 59), False, id="wednesday-before-open"),
        pytest.param(tehran(2026, 11, 25, 2), False, id="night"),
        pytest.param(tehran(2026, 11, 27, 10), False, id="friday"),
        pytest.param(tehran(2026, 11, 26, 10), True, id="thursday-morning"),
        pytest.param(tehran(2026, 11, 26, 12, 59), True, id="thursday-before-half-day-close"),
        pytest.param(tehran(2026, 11, 26, 13), False, id="thursday-afternoon"),
        pytest.param(tehran(2026, 3, 21, 10), False, id="nowruz-1-farvardin"),
        pytest.param(tehran(2026, 3, 22, 10), False, id="nowruz-2-farvardin"),
        pytest.param(tehran(2026, 3, 23, 10), False, id="nowruz-3-farvardin"),
        pytest.param(tehran(2026, 3, 24, 10), False, id="nowruz-4-farvardin"),
        pytest.param(tehran(2026, 3, 25, 10), True, id="5-farvardin-back-to-work"),
        pytest.param(tehran(2026, 4, 2, 10), False, id="sizdah-be-dar"),
        pytest.param(tehran(2026, 6, 25, 10), False, id="ashura"),
    ],
)
def test_is_open(calendar: BusinessCalendar, moment: datetime, expected: bool) -> None:
    assert calendar.is_open(moment) is expected


@pytest.mark.parametrize(
    ("thursday", "moment", "expected"),
    [
        pytest.param(ThursdayPolicy.FULL_DAY, tehran(2026, 11, 26, 16), True, id="full-day"),
        pytest.param(ThursdayPolicy.HALF_DAY, tehran(2026, 11, 26, 16), False, id="half-day-pm"),
        pytest.param(ThursdayPolicy.HALF_DAY, tehran(2026, 11, 26, 9), True, id="half-day-am"),
        pytest.param(ThursdayPolicy.CLOSED, tehran(2026, 11, 26, 9), False, id="closed"),
    ],
)
def test_thursday_policy(thursday: ThursdayPolicy, moment: datetime, expected: bool) -> None:
    calendar = BusinessCalendar(BusinessWeek.iranian_default(thursday))
    assert calendar.is_open(moment) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 11, 28), True, id="saturday"),
        pytest.param(date(2026, 11, 26), True, id="thursday-half-day-counts"),
        pytest.param(date(2026, 11, 27), False, id="friday"),
        pytest.param(date(2026, 3, 21), False, id="nowruz"),
        pytest.param(date(2026, 2, 11), False, id="revolution-day"),
    ],
)
def test_is_business_day(calendar: BusinessCalendar, day: date, expected: bool) -> None:
    assert calendar.is_business_day(day) is expected


def test_open_intervals_of_a_half_day(calendar: BusinessCalendar) -> None:
    assert calendar.open_intervals(date(2026, 11, 26)) == [
        (tehran(2026, 11, 26, 8), tehran(2026, 11, 26, 13))
    ]
    assert calendar.open_intervals(date(2026, 11, 27)) == []


def test_holiday_that_is_not_closed_keeps_the_day_open() -> None:
    working_holiday = Holiday(date(2026, 11, 28), "روز کاری", "Working day", closed=False)
    calendar = BusinessCalendar.from_holidays(BusinessWeek.iranian_default(), [working_holiday])
    assert calendar.is_open(tehran(2026, 11, 28, 10))


# --- next_open -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(tehran(2026, 11, 28, 10), tehran(2026, 11, 28, 10), id="already-open"),
        pytest.param(tehran(2026, 11, 28, 6), tehran(2026, 11, 28, 8), id="early-morning"),
        pytest.param(tehran(2026, 11, 24, 20), tehran(2026, 11, 25, 8), id="evening"),
        pytest.param(tehran(2026, 11, 26, 14), tehran(2026, 11, 28, 8), id="thursday-pm-to-sat"),
        pytest.param(tehran(2026, 11, 27, 12), tehran(2026, 11, 28, 8), id="friday"),
        pytest.param(tehran(2026, 3, 19, 13), tehran(2026, 3, 25, 8), id="before-nowruz"),
    ],
)
def test_next_open(calendar: BusinessCalendar, moment: datetime, expected: datetime) -> None:
    assert calendar.next_open(moment) == expected


# --- SLA deadlines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "deadline"),
    [
        pytest.param(tehran(2026, 11, 28, 9), 2, tehran(2026, 11, 28, 11), id="same-day"),
        pytest.param(tehran(2026, 11, 24, 16), 8, tehran(2026, 11, 25, 15), id="crosses-a-night"),
        pytest.param(
            tehran(2026, 11, 22, 16), 11, tehran(2026, 11, 24, 9), id="crosses-two-nights"
        ),
        pytest.param(tehran(2026, 11, 24, 22), 1, tehran(2026, 11, 25, 9), id="starts-at-night"),
        pytest.param(
            tehran(2026, 11, 26, 12), 2, tehran(2026, 11, 28, 9), id="crosses-thursday-and-friday"
        ),
        pytest.param(tehran(2026, 11, 27, 10), 1, tehran(2026, 11, 28, 9), id="starts-on-a-friday"),
        pytest.param(
            tehran(2026, 3, 19, 12), 4, tehran(2026, 3, 25, 11), id="crosses-the-nowruz-break"
        ),
        pytest.param(
            tehran(2026, 3, 18, 16), 11, tehran(2026, 3, 25, 13), id="wednesday-before-nowruz"
        ),
        pytest.param(tehran(2026, 11, 25, 8), 9, tehran(2026, 11, 25, 17), id="ends-at-closing"),
        pytest.param(tehran(2026, 11, 25, 20), 0, tehran(2026, 11, 26, 8), id="zero-at-night"),
        pytest.param(tehran(2026, 11, 25, 10), 0, tehran(2026, 11, 25, 10), id="zero-when-open"),
        pytest.param(tehran(2026, 11, 21, 8), 50, tehran(2026, 11, 26, 13), id="exactly-one-week"),
    ],
)
def test_add_business_time(
    calendar: BusinessCalendar, start: datetime, hours: float, deadline: datetime
) -> None:
    assert calendar.add_business_time(start, hours * HOUR) == deadline


def test_add_business_time_accepts_fractional_seconds(calendar: BusinessCalendar) -> None:
    start = tehran(2026, 11, 28, 9)
    assert calendar.add_business_time(start, 1.5) == start + timedelta(seconds=1.5)


@pytest.mark.parametrize(
    "seconds",
    [
        pytest.param(-1.0, id="negative"),
        pytest.param(float("inf"), id="infinite"),
        pytest.param(float("nan"), id="nan"),
    ],
)
def test_add_business_time_rejects_impossible_durations(
    calendar: BusinessCalendar, seconds: float
) -> None:
    with pytest.raises(ValueError, match="finite, non-negative"):
        calendar.add_business_time(tehran(2026, 11, 28, 9), seconds)


def test_lunch_break_is_not_counted() -> None:
    day = (OpenSpan.parse("08:00", "12:00"), OpenSpan.parse("13:00", "17:00"))
    calendar = BusinessCalendar(BusinessWeek((day,) * 6 + ((),)))
    deadline = calendar.add_business_time(tehran(2026, 11, 28, 11), 2 * HOUR)
    assert deadline == tehran(2026, 11, 28, 14)
    assert calendar.business_seconds_between(tehran(2026, 11, 28, 11), deadline) == 2 * HOUR


def test_round_the_clock_queue() -> None:
    calendar = BusinessCalendar(BusinessWeek.always_open(), [date(2026, 11, 27)])
    start = tehran(2026, 11, 26, 12)
    assert calendar.add_business_time(start, 24 * HOUR) == tehran(2026, 11, 28, 12)


def test_long_sla_steps_by_intervals_not_minutes(calendar: BusinessCalendar) -> None:
    """Ten years of business hours: stepping by minutes would take millions of steps."""
    start = tehran(2026, 1, 1, 8)
    deadline = calendar.add_business_time(start, 10 * 2500 * HOUR)
    assert deadline.year > 2030
    assert calendar.business_seconds_between(start, deadline) == pytest.approx(10 * 2500 * HOUR)


# --- Elapsed business time -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        pytest.param(tehran(2026, 11, 21), tehran(2026, 11, 28), 50, id="one-week"),
        pytest.param(tehran(2026, 11, 25, 16), tehran(2026, 11, 28, 9), 7, id="over-weekend"),
        pytest.param(tehran(2026, 11, 27, 9), tehran(2026, 11, 27, 18), 0, id="friday-only"),
        pytest.param(tehran(2026, 3, 19), tehran(2026, 3, 26), 14, id="nowruz-week"),
        pytest.param(tehran(2026, 11, 25, 9), tehran(2026, 11, 25, 9), 0, id="same-instant"),
        pytest.param(tehran(2026, 11, 28, 9), tehran(2026, 11, 25, 16), -7, id="reversed"),
    ],
)
def test_business_seconds_between(
    calendar: BusinessCalendar, start: datetime, end: datetime, hours: float
) -> None:
    assert calendar.business_seconds_between(start, end) == hours * HOUR


def test_arithmetic_is_right_across_a_dst_change() -> None:
    """Europe/Berlin skips 02:00–03:00 on 2026-03-29: that day has 23 hours."""
    calendar = BusinessCalendar(BusinessWeek.always_open(), tz="Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 28, tzinfo=berlin)
    end = datetime(2026, 3, 30, tzinfo=berlin)
    assert calendar.business_seconds_between(start, end) == 47 * HOUR
    assert calendar.add_business_time(start, 47 * HOUR) == end


@pytest.mark.parametrize(
    "method",
    ["is_open", "next_open"],
)
def test_naive_datetimes_are_refused(calendar: BusinessCalendar, method: str) -> None:
    with pytest.raises(ValueError, match="aware"):
        getattr(calendar, method)(datetime(2026, 11, 28, 10))


def test_naive_datetimes_are_refused_in_sla_maths(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="aware"):
        calendar.add_business_time(datetime(2026, 11, 28, 10), HOUR)
    with pytest.raises(ValueError, match="aware"):
        calendar.business_seconds_between(tehran(2026, 11, 28), datetime(2026, 11, 29))


# --- Business week configuration -------------------------------------------------------


def test_weekday_is_saturday_first() -> None:
    assert Weekday.of(date(2026, 3, 21)) is Weekday.SATURDAY
    assert Weekday.of(date(2026, 11, 27)) is Weekday.FRIDAY


@pytest.mark.parametrize(
    ("thursday", "weekly_hours"),
    [
        pytest.param(ThursdayPolicy.FULL_DAY, 54, id="full-day"),
        pytest.param(ThursdayPolicy.HALF_DAY, 50, id="half-day"),
        pytest.param(ThursdayPolicy.CLOSED, 45, id="closed"),
    ],
)
def test_iranian_default_week(thursday: ThursdayPolicy, weekly_hours: int) -> None:
    week = BusinessWeek.iranian_default(thursday)
    assert week.weekly_seconds() == weekly_hours * HOUR
    assert week.spans(Weekday.FRIDAY) == ()
    assert week.spans(Weekday.SATURDAY) == (OpenSpan.parse("08:00", "17:00"),)


def test_iranian_default_is_half_day_thursday() -> None:
    assert BusinessWeek.iranian_default().spans(Weekday.THURSDAY) == (
        OpenSpan.parse("08:00", "13:00"),
    )


@pytest.mark.parametrize(
    "week",
    [
        pytest.param(BusinessWeek.iranian_default(), id="default"),
        pytest.param(BusinessWeek.iranian_default(ThursdayPolicy.CLOSED), id="thursday-off"),
        pytest.param(BusinessWeek.always_open(), id="round-the-clock"),
        pytest.param(
            BusinessWeek(
                ((OpenSpan.parse("08:00", "12:00"), OpenSpan.parse("13:30", "24:00")),) + ((),) * 6
            ),
            id="split-day-until-midnight",
        ),
    ],
)
def test_business_week_round_trips_through_a_dict(week: BusinessWeek) -> None:
    assert BusinessWeek.from_dict(week.to_dict()) == week


def test_business_week_dict_shape() -> None:
    data = BusinessWeek.iranian_default().to_dict()
    assert list(data) == [
        "saturday",
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
    ]
    assert data["thursday"] == [{"opens": "08:00", "closes": "13:00"}]
    assert data["friday"] == []


def _week_with(**days: Any) -> dict[str, Any]:
    data: dict[str, Any] = BusinessWeek.iranian_default().to_dict()
    data.update(days)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "must be an object", id="not-a-mapping"),
        pytest.param(_week_with(satruday=[]), "unknown day name.*satruday", id="typo-in-day"),
        pytest.param(
            {k: v for k, v in _week_with().items() if k != "friday"},
            "missing day.*friday",
            id="missing-day",
        ),
        pytest.param(_week_with(monday="08-17"), "monday: expected a list", id="day-not-a-list"),
        pytest.param(
            _week_with(monday=[["08:00", "17:00"]]), "monday: span 1: expected", id="pair"
        ),
        pytest.param(
            _week_with(monday=[{"opens": "8", "closes": "17:00"}]),
            "monday: span 1 opens: expected a time as 'HH:MM'",
            id="bad-time-format",
        ),
        pytest.param(
            _week_with(monday=[{"opens": "08:00", "closes": "25:00"}]),
            "monday: span 1 closes",
            id="hour-25",
        ),
        pytest.param(
            _week_with(monday=[{"opens": "08:00", "closes": "24:30"}]),
            "after the end of the day",
            id="after-midnight",
        ),
        pytest.param(
            _week_with(monday=[{"opens": "17:00", "closes": "08:00"}]),
            r"monday: span 1: closes \(08:00\) is not after opens \(17:00\)",
            id="closes-before-opens",
        ),
        pytest.param(
            _week_with(
                monday=[
                    {"opens": "08:00", "closes": "13:00"},
                    {"opens": "12:00", "closes": "17:00"},
                ]
            ),
            "monday: span 2 .* starts before span 1",
            id="overlapping-spans",
        ),
        pytest.param(
            {weekday.key: [] for weekday in Weekday},
            "no opening hours",
            id="always-closed",
        ),
    ],
)
def test_business_week_from_dict_says_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(BusinessWeekError, match=message):
        BusinessWeek.from_dict(data)


def test_business_week_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="closes"):
        OpenSpan.parse("17:00", "08:00")


# --- Official holidays -----------------------------------------------------------------


def test_nowruz_holidays(holidays_2026: list[Holiday]) -> None:
    by_date = {holiday.date: holiday for holiday in holidays_2026}
    for day in (21, 22, 23, 24):
        holiday = by_date[date(2026, 3, day)]
        assert "نوروز" in holiday.name_fa
        assert "Nowruz" in holiday.name_en
        assert holiday.closed
        assert not holiday.estimated
    assert date(2026, 3, 25) not in by_date


@pytest.mark.parametrize(
    ("day", "name_fa", "name_en"),
    [
        pytest.param(
            date(2026, 2, 11), "پیروزی انقلاب اسلامی", "Islamic Revolution Day", id="22-bahman"
        ),
        pytest.param(
            date(2026, 4, 1), "روز جمهوری اسلامی", "Islamic Republic Day", id="12-farvardin"
        ),
        pytest.param(date(2026, 4, 2), "روز طبیعت", "Nature's Day", id="13-farvardin"),
        pytest.param(date(2026, 6, 25), "عاشورای حسینی", "Ashura", id="ashura"),
    ],
)
def test_official_holiday_names(
    holidays_2026: list[Holiday], day: date, name_fa: str, name_en: str
) -> None:
    by_date = {holiday.date: holiday for holiday in holidays_2026}
    assert by_date[day].name_fa == name_fa
    assert by_date[day].name_en == name_en


def test_holidays_are_sorted_and_within_the_years() -> None:
    holidays = iran_official_holidays([2026, 2025])
    dates = [holiday.date for holiday in holidays]
    assert dates == sorted(dates)
    assert {day.year for day in dates} == {2025, 2026}


def test_future_lunar_holidays_are_marked_estimated() -> None:
    holidays = iran_official_holidays(2027)
    estimated = [holiday for holiday in holidays if holiday.estimated]
    assert estimated, "lunar holidays after the confirmed years should be estimates"
    assert all("تخمینی" not in h.name_fa and "estimated" not in h.name_en for h in holidays)
    nowruz = next(holiday for holiday in holidays if holiday.date == date(2027, 3, 21))
    assert not nowruz.estimated
