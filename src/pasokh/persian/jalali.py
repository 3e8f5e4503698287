"""Jalali (Solar Hijri) dates for display and for reports grouped by Jalali month or week.

Pasokh stores Gregorian dates and UTC instants; the Jalali calendar is only a view. Iranian
users read dates, months and weeks in Jalali, so reports group by Jalali months, whose
boundaries are not Gregorian month boundaries: :func:`jalali_month_range` gives the
half-open Gregorian range to query with ``>= start AND < next_start``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Final, Protocol, cast
from zoneinfo import ZoneInfo

import jdatetime  # type: ignore[import-untyped]  # jdatetime ships no type information

from pasokh.persian.calendar import Weekday
from pasokh.persian.digits import to_persian_digits

__all__ = [
    "JALALI_MONTH_NAMES_EN",
    "JALALI_MONTH_NAMES_FA",
    "WEEKDAY_NAMES_FA",
    "JalaliDate",
    "format_jalali",
    "from_jalali",
    "jalali_month_range",
    "jalali_week_start",
    "to_jalali",
]

JALALI_MONTH_NAMES_FA: Final = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
JALALI_MONTH_NAMES_EN: Final = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
WEEKDAY_NAMES_FA: Final = (
    "شنبه",
    "یک‌شنبه",
    "دوشنبه",
    "سه‌شنبه",
    "چهارشنبه",
    "پنج‌شنبه",
    "جمعه",
)
"""Saturday first, indexed by :class:`~pasokh.persian.calendar.Weekday`; with ZWNJ as written."""


class JalaliDate(Protocol):
    """The part of ``jdatetime.date`` that Pasokh uses.

    ``jdatetime`` has no type information; this protocol lets mypy check callers while
    :func:`to_jalali` still returns the real ``jdatetime.date``.
    """

    @property
    def year(self) -> int: ...
    @property
    def month(self) -> int: ...
    @property
    def day(self) -> int: ...
    def weekday(self) -> int: ...
    def togregorian(self) -> date: ...
    def strftime(self, fmt: str) -> str: ...
    def isleap(self) -> bool: ...


def to_jalali(day: date) -> JalaliDate:
    """The Jalali date (a ``jdatetime.date``) of a Gregorian date.

    A datetime is reduced to its own calendar date; convert aware datetimes to
    Asia/Tehran first if the Iranian date is wanted.
    """
    gregorian = day.date() if isinstance(day, datetime) else day
    return cast("JalaliDate", jdatetime.date.fromgregorian(date=gregorian, locale="fa_IR"))


def from_jalali(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Jalali date; ValueError for a day that does not exist."""
    return cast("date", jdatetime.date(year, month, day).togregorian())


def format_jalali(
    moment: date | datetime,
    fmt: str = "%Y/%m/%d",
    *,
    persian_digits: bool = True,
    tz: str | tzinfo | None = None,
) -> str:
    """Format a date or datetime in the Jalali calendar with Persian names.

    ``fmt`` uses ``strftime`` codes (``%Y %m %d %H %M %S %A %B`` …), interpreted by
    ``jdatetime`` with its Persian locale, so ``%A`` is شنبه and ``%B`` is فروردین.
    Digits are Persian unless ``persian_digits=False`` (for CSV exports and APIs). The
    locale is passed per call, not set process-wide, so concurrent requests cannot leak
    each other's locale.

    Datetimes are formatted in their own time zone unless ``tz`` is given. Pass
    ``tz="Asia/Tehran"`` (or the tenant's zone) for aware datetimes read from the
    database, which are in UTC: 23:00 UTC is already the next Jalali day in Tehran.
    """
    if tz is not None and isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("tz given but the datetime is naive; pass an aware datetime")
        moment = moment.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)
    if isinstance(moment, datetime):
        jalali = jdatetime.datetime.fromgregorian(datetime=moment, locale="fa_IR")
    else:
        jalali = jdatetime.date.fromgregorian(date=moment, locale="fa_IR")
    text = cast("str", jalali.strftime(fmt))
    return to_persian_digits(text) if persian_digits else text


def jalali_month_range(year: int, month: int) -> tuple[date, date]:
    """The half-open Gregorian range ``[start, next_month_start)`` of a Jalali month.

    Query reports with ``day >= start AND day < next_month_start``; a half-open range needs
    no knowledge of whether Esfand has 29 or 30 days this year.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"a Jalali month is between 1 and 12, got {month}")
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return from_jalali(year, month, 1), from_jalali(next_year, next_month, 1)


def jalali_week_start(day: date) -> date:
    """The Saturday that starts the Iranian week containing ``day``."""
    return day - timedelta(days=Weekday.of(day))
