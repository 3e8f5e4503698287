"""Arrival and handle-time forecasts per queue and interval of the week, in pure Python.

Method (details and rationale in ``docs/wfm.md``):

1. Every contact is binned by its *local* wall-clock time (``tz``) into an interval of
   the week: ``weekday · intervals_per_day + minute_of_day // interval_minutes``.
2. Holidays are left out of training. For each interval of the week the mean count
   over the ordinary (non-holiday) days of that weekday gives the weekly **profile**:
   the share of a week's calls that fall in that interval.
3. Each training week gets a **level** — its calls on ordinary days divided by the
   profile share of those days, i.e. the week's volume scaled up to a full week — and
   the forecast level is the exponentially weighted mean of the weekly levels
   (half-life ``half_life_weeks``), so recent weeks count most.
4. Forecast calls for an interval = level × profile share. On a holiday they are
   multiplied by the **holiday factor**: total calls on past holidays divided by what
   the model expected for those days (or 0 when the centre is closed on holidays, and
   ``default_holiday_factor`` when the history has no holiday to learn from).
5. Handle time per interval of the week is the recency-weighted mean handle time,
   shrunk toward the queue's overall mean when the interval has few contacts.

:func:`backtest` holds out the last weeks, fits on the rest and returns the
:func:`mape` of the interval forecasts.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

History = Mapping[str, Iterable[tuple[datetime, float]]]
"""Per queue: ``(arrival time, handle seconds)`` of every contact."""

_MINUTES_PER_DAY = 24 * 60
_AHT_PRIOR_CALLS = 10.0  # weight (in calls) of the queue-wide mean in each interval's AHT


@dataclass(frozen=True, slots=True)
class IntervalForecast:
    """Expected arrivals and mean handle time of one queue in one interval."""

    queue: str
    start: datetime
    calls: float
    aht_s: float


@dataclass(frozen=True, slots=True)
class QueueModel:
    """Fitted weekly model of one queue.

    ``profile`` and ``aht_s`` are indexed by interval of the week, counted from Monday
    00:00 local time (``weekday() · intervals_per_day + interval of the day``).
    """

    queue: str
    profile: tuple[float, ...]
    level: float
    aht_s: tuple[float, ...]
    holiday_factor: float

    def expected_calls(self, interval_of_week: int, holiday: bool) -> float:
        calls = self.level * self.profile[interval_of_week]
        return calls * self.holiday_factor if holiday else calls


@dataclass(frozen=True, slots=True)
class ForecastModel:
    """Fitted models of all queues; :meth:`forecast` produces interval forecasts."""

    interval_minutes: int
    tz: tzinfo
    holidays: frozenset[date]
    queues: Mapping[str, QueueModel] = field(default_factory=dict)

    @property
    def intervals_per_day(self) -> int:
        return _MINUTES_PER_DAY // self.interval_minutes

    def forecast(self, start: date, days: int = 7) -> list[IntervalForecast]:
        """Every interval of ``days`` local days from ``start``, queue by queue."""
        if days < 0:
            raise ValueError("days must be >= 0")
        result: list[IntervalForecast] = []
        for name in sorted(self.queues):
            model = self.queues[name]
            for offset in range(days):
                day = start + timedelta(days=offset)
                holiday = day in self.holidays
                base = day.weekday() * self.intervals_per_day
                for slot in range(self.intervals_per_day):
                    minutes = slot * self.interval_minutes
                    moment = datetime.combine(
                        day, time(minutes // 60, minutes % 60), tzinfo=self.tz
                    )
                    result.append(
                        IntervalForecast(
                            queue=name,
                            start=moment,
                            calls=model.expected_calls(base + slot, holiday),
                            aht_s=model.aht_s[base + slot],
                        )
                    )
        return result


def _check_interval(interval_minutes: int) -> None:
    if interval_minutes <= 0 or _MINUTES_PER_DAY % interval_minutes:
        raise ValueError("interval_minutes must divide a day (e.g. 15, 30 or 60)")


def _local(moment: datetime, tz: tzinfo) -> datetime:
    """Local wall time; naive datetimes are taken to be local already."""
    return moment if moment.tzinfo is None else moment.astimezone(tz)


@dataclass(slots=True)
class _Binned:
    """Counts and handle sums per (local date, interval of the day) for one queue."""

    counts: dict[tuple[date, int], int] = field(default_factory=dict)
    handle: dict[tuple[date, int], float] = field(default_factory=dict)


def _bin(
    history: History, tz: tzinfo, interval_minutes: int
) -> tuple[dict[str, _Binned], date | None, date | None]:
    binned: dict[str, _Binned] = {}
    first: date | None = None
    last: date | None = None
    for queue, contacts in history.items():
        bins = binned.setdefault(queue, _Binned())
        for arrival, handle_s in contacts:
            if not math.isfinite(handle_s) or handle_s < 0:
                raise ValueError(f"handle seconds must be >= 0, got {handle_s!r} in {queue!r}")
            local = _local(arrival, tz)
            day = local.date()
            key = (day, (local.hour * 60 + local.minute) // interval_minutes)
            bins.counts[key] = bins.counts.get(key, 0) + 1
            bins.handle[key] = bins.handle.get(key, 0.0) + handle_s
            first = day if first is None or day < first else first
            last = day if last is None or day > last else last
    return binned, first, last


def _fit_queue(
    queue: str,
    bins: _Binned,
    days: Sequence[date],
    holidays: Collection[date],
    per_day: int,
    half_life_weeks: float,
    closed_on_holidays: bool,
    default_holiday_factor: float,
) -> QueueModel:
    per_week = 7 * per_day
    end = days[-1] + timedelta(days=1)
    ordinary = [day for day in days if day not in holidays]

    def week_of(day: date) -> int:  # 0 = the most recent 7 days of the window
        return (end - day).days // 7

    def weight(day: date) -> float:
        return math.pow(0.5, week_of(day) / half_life_weeks)

    # 2. Profile: mean count per interval of the week over ordinary days.
    totals = [0.0] * per_week
    seen = [0] * 7
    for day in ordinary:
        seen[day.weekday()] += 1
        base = day.weekday() * per_day
        for slot in range(per_day):
            totals[base + slot] += bins.counts.get((day, slot), 0)
    means = [totals[i] / seen[i // per_day] if seen[i // per_day] else 0.0 for i in range(per_week)]
    weekly_mean = sum(means)
    profile = [m / weekly_mean if weekly_mean else 0.0 for m in means]

    def day_calls(day: date) -> int:
        return sum(bins.counts.get((day, slot), 0) for slot in range(per_day))

    def day_share(day: date) -> float:
        base = day.weekday() * per_day
        return sum(profile[base : base + per_day])

    # 3. Recency-weighted weekly level, each week scaled up from its ordinary days.
    week_calls: dict[int, float] = {}
    week_share: dict[int, float] = {}
    for day in ordinary:
        w = week_of(day)
        week_calls[w] = week_calls.get(w, 0.0) + day_calls(day)
        week_share[w] = week_share.get(w, 0.0) + day_share(day)
    weighted = total_weight = 0.0
    for w, share in week_share.items():
        if share > 0:
            wt = math.pow(0.5, w / half_life_weeks)
            weighted += wt * week_calls[w] / share
            total_weight += wt
    level = weighted / total_weight if total_weight else 0.0

    # 4. Holiday factor: actual over expected on the holidays inside the window.
    holiday_factor = default_holiday_factor
    if closed_on_holidays:
        holiday_factor = 0.0
    else:
        actual = expected = 0.0
        for day in days:
            if day in holidays:
                actual += day_calls(day)
                week_level = (
                    week_calls[week_of(day)] / week_share[week_of(day)]
                    if week_share.get(week_of(day), 0.0) > 0
                    else level
                )
                expected += week_level * day_share(day)
        if expected > 0:
            holiday_factor = actual / expected

    # 5. Handle time per interval of the week, recency-weighted and shrunk to the mean.
    slot_calls = [0.0] * per_week
    slot_handle = [0.0] * per_week
    for day in ordinary:
        wt = weight(day)
        base = day.weekday() * per_day
        for slot in range(per_day):
            count = bins.counts.get((day, slot), 0)
            if count:
                slot_calls[base + slot] += wt * count
                slot_handle[base + slot] += wt * bins.handle[(day, slot)]
    all_calls = sum(slot_calls)
    mean_aht = sum(slot_handle) / all_calls if all_calls else 0.0
    aht = [
        (slot_handle[i] + _AHT_PRIOR_CALLS * mean_aht) / (slot_calls[i] + _AHT_PRIOR_CALLS)
        for i in range(per_week)
    ]
    return QueueModel(queue, tuple(profile), level, tuple(aht), holiday_factor)


def fit(
    history: History,
    holidays: Collection[date],
    tz: tzinfo,
    interval_minutes: int = 30,
    *,
    start: date | None = None,
    end: date | None = None,
    half_life_weeks: float = 2.0,
    closed_on_holidays: bool = False,
    default_holiday_factor: float = 0.0,
) -> ForecastModel:
    """Fit the weekly model on local days ``[start, end)`` of ``history``.

    The window defaults to the first through the last day with any contact (any
    queue); days inside it without contacts count as zero-call days.
    """
    _check_interval(interval_minutes)
    if not half_life_weeks > 0:
        raise ValueError("half_life_weeks must be > 0")
    if not default_holiday_factor >= 0.0:
        raise ValueError("default_holiday_factor must be >= 0")
    binned, first, last = _bin(history, tz, interval_minutes)
    window_start = start or first
    window_end = end or (last + timedelta(days=1) if last else None)
    holiday_set = frozenset(holidays)
    if window_start is None or window_end is None or window_end <= window_start:
        raise ValueError("the history has no days to learn from")
    days = [window_start + timedelta(days=i) for i in range((window_end - window_start).days)]
    inside = set(days)
    per_day = _MINUTES_PER_DAY // interval_minutes
    queues: dict[str, QueueModel] = {}
    for queue, bins in binned.items():
        window = _Binned(
            {k: v for k, v in bins.counts.items() if k[0] in inside},
            {k: v for k, v in bins.handle.items() if k[0] in inside},
        )
        queues[queue] = _fit_queue(
            queue,
            window,
            days,
            holiday_set,
            per_day,
            half_life_weeks,
            closed_on_holidays,
            default_holiday_factor,
        )
    return ForecastModel(interval_minutes, tz, holiday_set, queues)


def mape(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Mean absolute percentage error, as a fraction (0.1 = 10 %).

    Pairs whose actual value is 0 are skipped (their percentage error is undefined).
    """
    if len(actual) != len(forecast):
        raise ValueError("actual and forecast must have the same length")
    errors = [abs(a - f) / abs(a) for a, f in zip(actual, forecast, strict=True) if a != 0]
    if not errors:
        raise ValueError("MAPE needs at least one non-zero actual value")
    return sum(errors) / len(errors)


def backtest(
    history: History,
    holidays: Collection[date],
    tz: tzinfo,
    interval_minutes: int = 30,
    *,
    holdout_weeks: int = 2,
    half_life_weeks: float = 2.0,
    closed_on_holidays: bool = False,
    default_holiday_factor: float = 0.0,
) -> float:
    """MAPE of interval call forecasts for the last ``holdout_weeks`` weeks of history.

    The model is fitted on everything before the held-out weeks, then every (queue,
    interval) of those weeks with at least one actual call is scored.
    """
    _check_interval(interval_minutes)
    if holdout_weeks < 1:
        raise ValueError("holdout_weeks must be >= 1")
    materialised = {queue: list(contacts) for queue, contacts in history.items()}
    binned, first, last = _bin(materialised, tz, interval_minutes)
    if first is None or last is None:
        raise ValueError("the history has no days to learn from")
    test_start = last + timedelta(days=1) - timedelta(weeks=holdout_weeks)
    if test_start <= first:
        raise ValueError("the history is not longer than the held-out weeks")
    model = fit(
        materialised,
        holidays,
        tz,
        interval_minutes,
        start=first,
        end=test_start,
        half_life_weeks=half_life_weeks,
        closed_on_holidays=closed_on_holidays,
        default_holiday_factor=default_holiday_factor,
    )
    actual: list[float] = []
    predicted: list[float] = []
    for item in model.forecast(test_start, days=7 * holdout_weeks):
        local = item.start
        slot = (local.hour * 60 + local.minute) // interval_minutes
        actual.append(binned[item.queue].counts.get((local.date(), slot), 0))
        predicted.append(item.calls)
    return mape(actual, predicted)
