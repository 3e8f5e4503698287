"""Forecast against actual for one queue and one Jalali week, from the tenant's history.

The history is read through the interaction chokepoint; :mod:`pasokh.wfm` fits the
weekly model on everything before the chosen week, and the same week's real arrivals
are laid beside the forecast. Too little history gives a clear message instead of a
forecast that would only look precise.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from pasokh.interactions.models import Interaction
from pasokh.persian.jalali import jalali_week_start
from pasokh.router.models import Queue
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Holiday
from pasokh.wfm import IntervalDemand, StaffingTarget, backtest, fit, staffing_plan

INTERVALS = (15, 30, 60)
MIN_TRAINING_DAYS = 14  # two weeks show the weekly pattern at least twice
MIN_BACKTEST_DAYS = 21  # two held-out weeks and at least one to fit on
BACKTEST_HOLDOUT_WEEKS = 2
DEFAULT_AHT_S = 180.0  # used for abandoned contacts only when no contact was ever answered


@dataclass
class ForecastReport:
    queue: Queue
    interval_minutes: int
    week_start: date
    history_days: int = 0
    message: str = ""
    slots: list[str] = field(default_factory=list)  # "08:00" … the open intervals of a day
    days: list[date] = field(default_factory=list)
    forecast: list[list[float]] = field(default_factory=list)  # [day][slot]
    actual: list[list[int]] = field(default_factory=list)
    agents: list[list[int]] = field(default_factory=list)  # scheduled agents [day][slot]
    mape: float | None = None
    mape_message: str = ""
    has_actual: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.forecast)

    def chart_data(self) -> dict[str, Any]:
        return {
            "days": [d.isoformat() for d in self.days],
            "slots": self.slots,
            "forecast": self.forecast,
            "actual": self.actual if self.has_actual else [],
        }


def week_choices(today: date, weeks_back: int = 8) -> list[date]:
    """Saturdays of the current Jalali week, the next one and ``weeks_back`` before."""
    this_week = jalali_week_start(today)
    return [this_week + timedelta(weeks=k) for k in range(1, -weeks_back - 1, -1)]


def _history(user: Any, queue: Queue, until: datetime) -> list[tuple[datetime, float]]:
    rows = (
        visible_to(user, Interaction)
        .filter(queue=queue, direction=Interaction.Direction.INBOUND, arrived_at__lt=until)
        .values_list("arrived_at", "answered_at", "ended_at")
    )
    answered: list[tuple[datetime, float]] = []
    unanswered: list[datetime] = []
    for arrived, answered_at, ended in rows:
        if answered_at is not None and ended is not None and ended >= answered_at:
            answered.append((arrived, (ended - answered_at).total_seconds()))
        else:
            unanswered.append(arrived)
    # An abandoned contact is demand too; had it been answered it would have taken about
    # the queue's usual handle time, so it counts with that rather than with zero.
    mean = sum(h for _, h in answered) / len(answered) if answered else DEFAULT_AHT_S
    return answered + [(arrived, mean) for arrived in unanswered]


def build_report(
    user: Any,
    queue: Queue,
    interval_minutes: int,
    week_start: date,
    *,
    max_occupancy: float = 0.85,
    shrinkage: float = 0.3,
) -> ForecastReport:
    tz = ZoneInfo(user.tenant.time_zone)
    report = ForecastReport(queue, interval_minutes, week_start)
    week_begin = datetime.combine(week_start, time(0), tzinfo=tz)
    week_end = week_begin + timedelta(days=7)
    history = _history(user, queue, week_begin)
    holidays = set(visible_to(user, Holiday).filter(closed=True).values_list("date", flat=True))
    if history:
        first = min(arrived for arrived, _ in history).astimezone(tz).date()
        report.history_days = (week_start - first).days
    if report.history_days < MIN_TRAINING_DAYS:
        report.message = str(
            _(
                "Not enough history before this week: a forecast needs at least two weeks "
                "of this queue's interactions."
            )
        )
        return report
    key = queue.code
    model = fit({key: history}, holidays, tz, interval_minutes, end=week_start)
    intervals = model.forecast(week_start, 7)
    per_day = model.intervals_per_day
    calls = [[intervals[d * per_day + s].calls for s in range(per_day)] for d in range(7)]
    actual_counts = Counter(
        _slot_of(arrived.astimezone(tz), week_start, interval_minutes)
        for arrived, _handle in _history(user, queue, week_end)
        if arrived >= week_begin
    )
    report.has_actual = week_begin <= datetime.now(tz)
    target = StaffingTarget(
        service_level=min(queue.service_level_percent / 100, 0.99),
        target_s=float(queue.service_level_seconds),
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    )
    plan = staffing_plan(
        [IntervalDemand(i.calls, i.aht_s, interval_minutes * 60.0) for i in intervals], target
    )
    open_slots = _open_slots(calls, actual_counts, per_day)
    report.days = [week_start + timedelta(days=d) for d in range(7)]
    report.slots = [_clock(s * interval_minutes) for s in open_slots]
    report.forecast = [[round(calls[d][s], 2) for s in open_slots] for d in range(7)]
    report.actual = [[actual_counts.get((d, s), 0) for s in open_slots] for d in range(7)]
    report.agents = [[plan[d * per_day + s].agents for s in open_slots] for d in range(7)]
    _add_backtest(report, history, holidays, tz)
    return report


def _add_backtest(
    report: ForecastReport, history: list[tuple[datetime, float]], holidays: set[date], tz: Any
) -> None:
    if report.history_days < MIN_BACKTEST_DAYS:
        report.mape_message = str(
            _("The error is measured on two held-out weeks, so it needs three weeks of history.")
        )
        return
    try:
        report.mape = backtest(
            {report.queue.code: history},
            holidays,
            tz,
            report.interval_minutes,
            holdout_weeks=BACKTEST_HOLDOUT_WEEKS,
        )
    except ValueError:
        report.mape_message = str(_("The held-out weeks have no calls to measure against."))


def _slot_of(moment: datetime, week_start: date, interval_minutes: int) -> tuple[int, int]:
    day = (moment.date() - week_start).days
    return day, (moment.hour * 60 + moment.minute) // interval_minutes


def _open_slots(
    calls: list[list[float]], actual: Counter[tuple[int, int]], per_day: int
) -> list[int]:
    """The intervals from the first to the last one with any forecast or actual call."""
    busy = [
        s
        for s in range(per_day)
        if any(calls[d][s] >= 0.05 for d in range(7)) or any(actual.get((d, s)) for d in range(7))
    ]
    if not busy:
        return list(range(per_day))
    return list(range(min(busy), max(busy) + 1))


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def heat_level(agents: int, highest: int) -> int:
    """0–5, for the heat-map colours of the staffing table."""
    if highest <= 0 or agents <= 0:
        return 0
    return max(1, math.ceil(5 * agents / highest))
