"""Workforce management for Pasokh: queueing formulas, staffing and forecasting.

Pure Python (no Django, no NumPy); every time is in seconds. See ``docs/wfm.md``.
"""

from pasokh.wfm.erlang import (
    QueueMetrics,
    UnstableQueueError,
    erlang_a_for_traffic,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_for_traffic,
    erlang_c_metrics,
    traffic_intensity,
)
from pasokh.wfm.forecast import ForecastModel, IntervalForecast, backtest, fit, mape
from pasokh.wfm.staffing import (
    IntervalDemand,
    StaffingResult,
    StaffingTarget,
    required_agents,
    required_agents_for_traffic,
    scheduled_agents,
    staffing_plan,
)

__all__ = [
    "ForecastModel",
    "IntervalDemand",
    "IntervalForecast",
    "QueueMetrics",
    "StaffingResult",
    "StaffingTarget",
    "UnstableQueueError",
    "backtest",
    "erlang_a_for_traffic",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_for_traffic",
    "erlang_c_metrics",
    "fit",
    "mape",
    "required_agents",
    "required_agents_for_traffic",
    "scheduled_agents",
    "staffing_plan",
    "traffic_intensity",
]
