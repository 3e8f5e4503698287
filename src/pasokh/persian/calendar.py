"""The Iranian business calendar: opening hours, official holidays and SLA clock maths.

Contact-center deadlines ("answer within 8 business hours"), IVR "we are closed" messages and
dialer blackout windows all depend on when the business is open. In Iran that is not the
Western Monday–Friday: the week starts on Saturday, Friday is the weekend, Thursday is a half
day in many companies (and a day off in many government offices since 2025), and official
holidays follow both the solar Jalali and the lunar Hijri calendar. Each tenant therefore
configures its own :class:`BusinessWeek` and holiday table; :class:`BusinessCalendar` does the
arithmetic on them.

Everything here is pure (no database, no clock): callers pass the configuration and the
instants in, which keeps SLA maths easy to test and reuse in reports.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import Enum, IntEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_TIME_ZONE",
    "BusinessCalendar",
    "BusinessWeek",
    "BusinessWeekError",
    "Holiday",
    "OpenSpan",
    "ThursdayPolicy",
    "Weekday",
    "iran_official_holidays",
]

DEFAULT_TIME_ZONE: Final = "Asia/Tehran"
_MINUTES_PER_DAY: Final = 24 * 60
_HHMM_RE: Final = re.compile(r"([01][0-9]|2[0-4]):([0-5][0-9])")


class Weekday(IntEnum):
    """Days of the Iranian week, numbered from Saturday like ``jdatetime`` does."""

    SATURDAY = 0
    SUNDAY = 1
    MONDAY = 2
    TUESDAY = 3
    WEDNESDAY = 4
    THURSDAY = 5
    FRIDAY = 6

    @classmethod
    def of(cls, day: date) -> Weekday:
        """The weekday of a date (Python counts from Monday, the Iranian week from Saturday)."""
        return cls((day.weekday() + 2) % 7)

    @property
    def key(self) -> str:
        """The lower-case English name used as the key in serialized weeks."""
        return self.name.lower()


class BusinessWeekError(ValueError):
    """A business week (usually loaded from a settings form or JSON) is not valid."""


def _parse_hhmm(value: object, where: str) -> int:
    if not isinstance(value, str) or not (match := _HHMM_RE.fullmatch(value)):
        raise BusinessWeekError(f"{where}: expected a time as 'HH:MM', got {value!r}")
    minutes = int(match[1]) * 60 + int(match[2])
    if minutes > _MINUTES_PER_DAY:
        raise BusinessWeekError(f"{where}: {value!r} is after the end of the day (24:00)")
    return minutes


def _format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, order=True)
class OpenSpan:
    """One opening interval within a day, in minutes since local midnight.

    Minutes rather than :class:`datetime.time` because a span may run until the end of the
    day (``24:00`` = 1440), which ``time`` cannot express, and 24-hour contact centers need it.
    """

    opens: int
    closes: int

    def __post_init__(self) -> None:
        if not 0 <= self.opens < self.closes <= _MINUTES_PER_DAY:
            raise BusinessWeekError(
                f"an opening span must open before it closes, within 00:00–24:00; got "
                f"{_format_hhmm(self.opens)}–{_format_hhmm(self.closes)}"
            )

    @classmethod
    def parse(cls, opens: str, closes: str) -> OpenSpan:
        """Build a span from ``"HH:MM"`` strings, e.g. ``OpenSpan.parse("08:00", "17:00")``."""
        return cls(_parse_hhmm(opens, "opens"), _parse_hhmm(closes, "closes"))

    @property
    def seconds(self) -> int:
        return (self.closes - self.opens) * 60

    def to_dict(self) -> dict[str, str]:
        return {"opens": _format_hhmm(self.opens), "closes": _format_hhmm(self.closes)}

    def __str__(self) -> str:
        return f"{_format_hhmm(self.opens)}–{_format_hhmm(self.closes)}"


class ThursdayPolicy(Enum):
    """How a business treats Thursday, the day Iranian practice disagrees about most."""

    FULL_DAY = "full_day"
    HALF_DAY = "half_day"
    CLOSED = "closed"


@dataclass(frozen=True)
class BusinessWeek:
    """Opening hours for each weekday, Saturday first.

    ``days[Weekday.SATURDAY]`` holds Saturday's spans, sorted and not overlapping; an empty
    tuple means closed all day. A week without any opening hours is rejected, because SLA
    deadlines could never be reached.
    """

    days: tuple[tuple[OpenSpan, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != len(Weekday):
            raise BusinessWeekError(f"a week has 7 days, got {len(self.days)}")
        for weekday, spans in zip(Weekday, self.days, strict=True):
            for index, span in enumerate(spans):
                if not isinstance(span, OpenSpan):
                    raise BusinessWeekError(f"{weekday.key}: span {index + 1} is not an OpenSpan")
                if index and span.opens < spans[index - 1].closes:
                    raise BusinessWeekError(
                        f"{weekday.key}: span {index + 1} ({span}) starts before span "
                        f"{index} ({spans[index - 1]}) ends; spans must be sorted and not overlap"
                    )
        if not any(self.days):
            raise BusinessWeekError("the week has no opening hours at all")

    @classmethod
    def iranian_default(
        cls,
        thursday: ThursdayPolicy = ThursdayPolicy.HALF_DAY,
        *,
        opens: str = "08:00",
        closes: str = "17:00",
        half_day_closes: str = "13:00",
    ) -> BusinessWeek:
        """Saturday–Wednesday ``opens``–``closes``, Thursday per ``thursday``, Friday closed."""
        full_day = (OpenSpan.parse(opens, closes),)
        thursday_spans = {
            ThursdayPolicy.FULL_DAY: full_day,
            ThursdayPolicy.HALF_DAY: (OpenSpan.parse(opens, half_day_closes),),
            ThursdayPolicy.CLOSED: (),
        }[thursday]
        return cls((full_day,) * 5 + (thursday_spans, ()))

    @classmethod
    def always_open(cls) -> BusinessWeek:
        """Round the clock, every day (for 24/7 queues)."""
        return cls(((OpenSpan(0, _MINUTES_PER_DAY),),) * 7)

    def spans(self, weekday: Weekday) -> tuple[OpenSpan, ...]:
        return self.days[weekday]

    def weekly_seconds(self) -> int:
        return sum(span.seconds for spans in self.days for span in spans)

    def to_dict(self) -> dict[str, list[dict[str, str]]]:
        """A JSON-ready dict: ``{"saturday": [{"opens": "08:00", "closes": "17:00"}], …}``."""
        return {
            weekday.key: [span.to_dict() for span in spans]
            for weekday, spans in zip(Weekday, self.days, strict=True)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessWeek:
        """Rebuild a week from :meth:`to_dict` output (e.g. a Django JSONField).

        Every weekday must be present (an empty list means closed), so that a typo in a day
        name cannot silently close the business on that day.

        Raises:
            BusinessWeekError: naming the day and span that is wrong.
        """
        if not isinstance(data, Mapping):
            raise BusinessWeekError(f"a business week must be an object, got {type(data).__name__}")
        names = {weekday.key for weekday in Weekday}
        unknown = sorted(str(key) for key in data if key not in names)
        if unknown:
            expected = ", ".join(weekday.key for weekday in Weekday)
            raise BusinessWeekError(
                f"unknown day name(s) {', '.join(unknown)}; expected {expected}"
            )
        missing = [weekday.key for weekday in Weekday if weekday.key not in data]
        if missing:
            raise BusinessWeekError(f"missing day(s) {', '.join(missing)}; use [] for a closed day")
        return cls(tuple(_spans_from_json(data[weekday.key], weekday.key) for weekday in Weekday))


def _spans_from_json(value: object, day: str) -> tuple[OpenSpan, ...]:
    if not isinstance(value, list | tuple):
        raise BusinessWeekError(f"{day}: expected a list of spans, got {type(value).__name__}")
    spans = []
    for index, item in enumerate(value, start=1):
        where = f"{day}: span {index}"
        if not isinstance(item, Mapping) or set(item) != {"opens", "closes"}:
            raise BusinessWeekError(
                f'{where}: expected {{"opens": "HH:MM", "closes": "HH:MM"}}, got {item!r}'
            )
        opens = _parse_hhmm(item["opens"], f"{where} opens")
        closes = _parse_hhmm(item["closes"], f"{where} closes")
        if opens >= closes:
            raise BusinessWeekError(
                f"{where}: closes ({item['closes']}) is not after opens ({item['opens']})"
            )
        spans.append(OpenSpan(opens, closes))
    return tuple(spans)


@dataclass(frozen=True)
class Holiday:
    """A named day in the holiday table that admins edit.

    ``closed=False`` keeps a known occasion in the table while the business works on it;
    ``estimated`` marks lunar dates that are not yet confirmed by Iran's moon sighting, which
    admins should check against the official calendar (time.ir) before the year starts.
    """

    date: date
    name_fa: str
    name_en: str
    closed: bool = True
    estimated: bool = False


_ESTIMATED_SUFFIXES: Final = (" (تخمینی)", " (estimated)")


def _holiday_names(years: list[int], language: str) -> dict[date, list[str]]:
    # Imported here: the package takes ~0.2 s to import and is only needed when seeding
    # the holiday table, not for the SLA arithmetic that runs in every request.
    import holidays as holiday_data

    table = holiday_data.country_holidays("IR", years=years, language=language)
    return {day: table.get_list(day) for day in sorted(table)}


def _strip_estimated(name: str) -> tuple[str, bool]:
    for suffix in _ESTIMATED_SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix), True
    return name, False


def iran_official_holidays(years: int | Iterable[int]) -> list[Holiday]:
    """Iran's official public holidays for the given Gregorian years, from ``holidays``.

    Meant to seed the tenant's holiday table: lunar holidays after the last year the
    ``holidays`` package confirms are estimates, and ad-hoc closures are announced late, so
    the table is edited by admins afterwards. Several holidays on one day are joined into
    one entry ("؛ " in Persian, "; " in English).
    """
    year_list = sorted({years} if isinstance(years, int) else set(years))
    names_fa = _holiday_names(year_list, "fa_IR")
    names_en = _holiday_names(year_list, "en_US")
    result = []
    for day, fa_list in names_fa.items():
        fa = [_strip_estimated(name) for name in fa_list]
        en = [_strip_estimated(name) for name in names_en.get(day, [])]
        result.append(
            Holiday(
                date=day,
                name_fa="؛ ".join(name for name, _ in fa),
                name_en="; ".join(name for name, _ in en),
                estimated=any(estimated for _, estimated in fa + en),
            )
        )
    return result


@dataclass(frozen=True, init=False)
class BusinessCalendar:
    """Opening hours plus closed dates in one time zone, with SLA clock arithmetic.

    All methods take aware datetimes, compute in the calendar's time zone (local opening
    hours and local dates) and return datetimes in that zone. Arithmetic is done in UTC, so
    it stays right across UTC-offset changes (Tehran had DST until 2022).

    The algorithms walk open intervals, one per opening span per day, never seconds or
    minutes: a year of SLA time is a few hundred steps.
    """

    week: BusinessWeek
    holidays: frozenset[date]
    tz: tzinfo

    def __init__(
        self,
        week: BusinessWeek,
        holidays: Iterable[date] = (),
        tz: str | tzinfo = DEFAULT_TIME_ZONE,
    ) -> None:
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "holidays", frozenset(holidays))
        object.__setattr__(self, "tz", ZoneInfo(tz) if isinstance(tz, str) else tz)

    @classmethod
    def from_holidays(
        cls,
        week: BusinessWeek,
        holidays: Iterable[Holiday],
        tz: str | tzinfo = DEFAULT_TIME_ZONE,
    ) -> BusinessCalendar:
        """Build a calendar from holiday-table rows, honouring their ``closed`` flag."""
        return cls(week, (holiday.date for holiday in holidays if holiday.closed), tz)

    def is_business_day(self, day: date) -> bool:
        """True if the business opens at all on ``day`` (not a holiday, hours on its weekday)."""
        return day not in self.holidays and bool(self.week.spans(Weekday.of(day)))

    def open_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The opening intervals of a local date, as aware datetimes in the calendar's zone."""
        return [
            (start.astimezone(self.tz), end.astimezone(self.tz))
            for start, end in self._utc_intervals(day)
        ]

    def is_open(self, at: datetime) -> bool:
        """True if ``at`` falls inside an opening interval (opening time in, closing time out)."""
        moment = self._to_utc(at, "at")
        day = moment.astimezone(self.tz).date()
        return any(start <= moment < end for start, end in self._utc_intervals(day))

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself if open, otherwise the next moment the business opens."""
        moment = self._to_utc(at, "at")
        start, _ = next(self._intervals_from(moment))
        return start.astimezone(self.tz)

    def add_business_time(self, start: datetime, seconds: float) -> datetime:
        """The moment when ``seconds`` of open time have passed since ``start``: an SLA deadline.

        Closed time (nights, Fridays, holidays, lunch breaks) does not count. A deadline that
        is used up exactly at closing time is that closing time, not the next opening.
        With ``seconds == 0`` the result is :meth:`next_open` of ``start``.
        """
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"seconds must be a finite, non-negative number, got {seconds}")
        remaining = timedelta(seconds=seconds)
        for interval_start, interval_end in self._intervals_from(self._to_utc(start, "start")):
            available = interval_end - interval_start
            if remaining <= available:
                return (interval_start + remaining).astimezone(self.tz)
            remaining -= available
        raise AssertionError("unreachable: open intervals never run out")  # pragma: no cover

    def business_seconds_between(self, start: datetime, end: datetime) -> float:
        """Open time between two instants, in seconds; negative if ``end`` is before ``start``.

        This is how long an SLA clock ran, e.g. from ticket creation to first reply.
        """
        begin, finish = self._to_utc(start, "start"), self._to_utc(end, "end")
        if finish < begin:
            return -self.business_seconds_between(end, start)
        total = timedelta()
        for interval_start, interval_end in self._intervals_from(begin):
            if interval_start >= finish:
                break
            total += min(interval_end, finish) - interval_start
        return total.total_seconds()

    def _to_utc(self, moment: datetime, name: str) -> datetime:
        if not isinstance(moment, datetime):
            raise TypeError(f"{name} must be a datetime, got {type(moment).__name__}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime (with tzinfo), got {moment!r}")
        return moment.astimezone(UTC)

    def _utc_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        if day in self.holidays:
            return []
        midnight = datetime.combine(day, time(0))
        return [
            (self._local_to_utc(midnight, span.opens), self._local_to_utc(midnight, span.closes))
            for span in self.week.spans(Weekday.of(day))
        ]

    def _local_to_utc(self, midnight: datetime, minutes: int) -> datetime:
        # Wall-clock time in the calendar's zone; 24:00 is the next day's midnight.
        local = midnight + timedelta(minutes=minutes)
        return local.replace(tzinfo=self.tz).astimezone(UTC)

    def _intervals_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals in UTC that end after ``moment``, the first one clipped to it.

        Terminates because the week has opening hours and the holiday set is finite.
        """
        day = moment.astimezone(self.tz).date()
        while True:
            for start, end in self._utc_intervals(day):
                if end > moment:
                    yield max(start, moment), end
            day += timedelta(days=1)
