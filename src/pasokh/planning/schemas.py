from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class StaffingIn(Schema):
    """Numbers as typed: ASCII, Persian or Arabic-Indic digits; fractions for percentages."""

    calls: str | float
    interval_s: str | float = 1800
    aht_s: str | float
    service_level: str | float = 0.8
    target_s: str | float = 20
    max_occupancy: str | float | None = None
    shrinkage: str | float | None = None
    patience_s: str | float | None = None


class CurvePoint(Schema):
    agents: int
    service_level: float


class StaffingOut(Schema):
    model: str
    raw_agents: int
    agents: int
    traffic: float
    p_wait: float
    service_level: float
    asa: float
    occupancy: float
    p_abandon: float
    curve: list[CurvePoint]


class FieldErrors(Schema):
    errors: dict[str, str]


class ForecastOut(Schema):
    queue: str
    interval_minutes: int
    week_start: date
    history_days: int
    message: str
    days: list[date]
    slots: list[str]
    forecast: list[list[float]]
    actual: list[list[int]]
    scheduled_agents: list[list[int]]
    mape: float | None
    mape_message: str


class SimulationIn(Schema):
    name: str
    scenario: dict[str, Any] | None = None
    toml: str | None = None
    replications: int = 5
    seed: int = 1


class SimulationStatusOut(Schema):
    id: int
    name: str
    status: str
    status_label: str
    progress: float
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class SimulationResultOut(Schema):
    id: int
    status: str
    scenario: dict[str, Any]
    replications: int
    seed: int
    result: dict[str, Any] | None
