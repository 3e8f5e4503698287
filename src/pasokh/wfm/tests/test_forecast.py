"""Forecasting on synthetic weekly-seasonal history with holidays."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from pasokh.wfm.forecast import backtest, fit, mape

TEHRAN = ZoneInfo("Asia/Tehran")
FIRST_DAY = date(2025, 1, 4)  # a Saturday, the first day of the Iranian week
WEEKS = 12
# Python weekday (Mon = 0 … Sun = 6) -> volume factor: Friday closed, Thursday half day.
DAY_FACTOR = {5: 1.0, 6: 1.05, 0: 1.0, 1: 0.95, 2: 0.9, 3: 0.5, 4: 0.0}
HOUR_SHAPE = {8: 0.6, 9: 0.9, 10: 1.0, 11: 1.0, 12: 0.8, 13: 0.7, 14: 0.9, 15: 1.0}
HOUR_SHAPE |= {16: 0.9, 17: 0.7, 18: 0.5, 19: 0.3}
PEAK_CALLS = 160.0  # per hour
HOLIDAY_VOLUME = 0.2
# Sundays in weeks 2, 5 and 8 (training) and 11 (held out) are holidays.
HOLIDAYS = frozenset(FIRST_DAY + timedelta(weeks=w, days=1) for w in (2, 5, 8, 11))


def expected_calls(day: date, hour: int) -> float:
    week = (day - FIRST_DAY).days // 7
    growth = 1.0 + 0.005 * week
    mean = PEAK_CALLS * growth * DAY_FACTOR[day.weekday()] * HOUR_SHAPE.get(hour, 0.0)
    return mean * (HOLIDAY_VOLUME if day in HOLIDAYS else 1.0)


@cache
def synthetic_history() -> dict[str, list[tuple[datetime, float]]]:
    rng = random.Random(20250104)
    contacts: list[tuple[datetime, float]] = []
    for offset in range(7 * WEEKS):
        day = FIRST_DAY + timedelta(days=offset)
        for hour in range(24):
            mean = expected_calls(day, hour)
            if mean == 0:
                continue
            count = max(0, round(rng.gauss(mean, math.sqrt(mean))))  # ≈ Poisson
            aht = 200.0 if hour < 13 else 260.0
            for _ in range(count):
                local = datetime(day.year, day.month, day.day, hour, tzinfo=TEHRAN)
                moment = local + timedelta(seconds=rng.uniform(0, 3599))
                # half of the timestamps arrive in UTC, as a database would give them
                if rng.random() < 0.5:
                    moment = moment.astimezone(UTC)
                contacts.append((moment, rng.expovariate(1 / aht)))
    return {"sales": contacts}


def test_mape() -> None:
    assert mape([100, 0, 50], [110, 5, 45]) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="non-zero"):
        mape([0, 0], [1, 2])
    with pytest.raises(ValueError, match="length"):
        mape([1], [1, 2])


def test_backtest_on_held_out_weeks_is_accurate() -> None:
    """Two held-out weeks (one with a holiday): hourly MAPE close to the Poisson noise
    floor (≈ 9 % at these volumes)."""
    error = backtest(synthetic_history(), HOLIDAYS, TEHRAN, 60, holdout_weeks=2)
    assert error < 0.13


def test_backtest_thirty_minute_intervals() -> None:
    error = backtest(synthetic_history(), HOLIDAYS, TEHRAN, 30, holdout_weeks=2)
    assert error < 0.18  # half the volume per interval: √2 more noise


def test_holiday_forecast_is_low_and_learned() -> None:
    model = fit(synthetic_history(), HOLIDAYS, TEHRAN, 60)
    sales = model.queues["sales"]
    assert sales.holiday_factor == pytest.approx(HOLIDAY_VOLUME, abs=0.05)

    future_sunday = FIRST_DAY + timedelta(weeks=WEEKS, days=1)
    holiday_model = fit(synthetic_history(), HOLIDAYS | {future_sunday}, TEHRAN, 60)
    holiday_total = sum(f.calls for f in holiday_model.forecast(future_sunday, days=1))
    ordinary_total = sum(f.calls for f in model.forecast(future_sunday, days=1))
    assert ordinary_total > 1000
    assert holiday_total < 0.3 * ordinary_total

    with_future = HOLIDAYS | {future_sunday}
    closed = fit(synthetic_history(), with_future, TEHRAN, 60, closed_on_holidays=True)
    assert sum(f.calls for f in closed.forecast(future_sunday, days=1)) == 0.0


def test_forecast_shape_level_and_handle_time() -> None:
    model = fit(synthetic_history(), HOLIDAYS, TEHRAN, 60)
    next_saturday = FIRST_DAY + timedelta(weeks=WEEKS)
    week = model.forecast(next_saturday, days=7)
    assert len(week) == 7 * 24
    assert week[0].start == datetime(2025, 3, 29, 0, tzinfo=TEHRAN)
    by_start = {f.start: f for f in week}
    ten_am = by_start[datetime(2025, 3, 29, 10, tzinfo=TEHRAN)]
    truth = expected_calls(next_saturday, 10)
    assert ten_am.calls == pytest.approx(truth, rel=0.08)
    assert ten_am.aht_s == pytest.approx(200.0, rel=0.1)
    assert by_start[datetime(2025, 3, 29, 16, tzinfo=TEHRAN)].aht_s == pytest.approx(260, rel=0.1)
    # Friday is closed and nights are empty
    friday = next_saturday + timedelta(days=6)
    assert all(f.calls == 0 for f in week if f.start.date() == friday)
    assert by_start[datetime(2025, 3, 29, 3, tzinfo=TEHRAN)].calls == 0


def test_contacts_are_binned_in_local_time() -> None:
    # 04:40 UTC is 08:10 in Tehran (UTC+03:30): the 08:00–09:00 interval.
    history = {"q": [(datetime(2025, 1, 4, 4, 40, tzinfo=UTC), 100.0)]}
    model = fit(history, (), TEHRAN, 60)
    forecast = model.forecast(date(2025, 1, 11), days=1)
    assert [f.start.hour for f in forecast if f.calls > 0] == [8]


@pytest.mark.parametrize("minutes", [0, 7, 25])
def test_interval_must_divide_a_day(minutes: int) -> None:
    with pytest.raises(ValueError, match="divide a day"):
        fit({"q": []}, (), TEHRAN, minutes)


def test_empty_history_is_refused() -> None:
    with pytest.raises(ValueError, match="no days"):
        fit({"q": []}, (), TEHRAN, 30)
