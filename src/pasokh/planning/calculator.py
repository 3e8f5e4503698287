"""The staffing calculator behind the interactive page and ``POST /api/planning/staffing``.

Fields arrive as people type them (Persian or ASCII digits, possibly empty), so each one
is parsed with :mod:`pasokh.persian.digits` and checked here with a message per field;
the figures themselves are :mod:`pasokh.wfm`'s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import InvalidOperation

from django.utils.translation import gettext_lazy as _

from pasokh.persian.digits import parse_decimal
from pasokh.wfm import (
    StaffingTarget,
    UnstableQueueError,
    erlang_a_metrics,
    erlang_c_metrics,
    required_agents,
    traffic_intensity,
)

CURVE_POINTS = 40  # at most this many agent counts on the service-level chart
MAX_CALLS = 1_000_000
MAX_SECONDS = 7 * 24 * 3600


class StaffingInputError(ValueError):
    """Bad calculator input; ``errors`` maps a field name to a readable message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class StaffingQuery:
    calls: float
    interval_s: float
    aht_s: float
    service_level: float
    target_s: float
    max_occupancy: float = 1.0
    shrinkage: float = 0.0
    patience_s: float | None = None


# field: (required, lowest allowed, highest allowed, lowest is exclusive)
_RULES: dict[str, tuple[bool, float, float, bool]] = {
    "calls": (True, 0, MAX_CALLS, False),
    "interval_s": (True, 0, 24 * 3600, True),
    "aht_s": (True, 0, MAX_SECONDS, True),
    "service_level": (True, 0, 0.999, False),
    "target_s": (True, 0, MAX_SECONDS, False),
    "max_occupancy": (False, 0, 1, True),
    "shrinkage": (False, 0, 0.95, False),
    "patience_s": (False, 0, MAX_SECONDS, True),
}


def parse_query(raw: Mapping[str, object]) -> StaffingQuery:
    """Read the calculator's fields; raises :class:`StaffingInputError` listing every problem."""
    values: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    for name, (required, low, high, exclusive) in _RULES.items():
        text = str(raw.get(name) if raw.get(name) is not None else "").strip()
        if not text:
            if required:
                errors[name] = str(_("Enter a number."))
            values[name] = None
            continue
        try:
            number = float(parse_decimal(text))
        except (ValueError, InvalidOperation):
            errors[name] = str(_("Enter a number, for example 120 or ۱۲۰."))
            continue
        if (
            not math.isfinite(number)
            or number > high
            or number < low
            or (exclusive and number == low)
        ):
            errors[name] = str(_("Out of range."))
            continue
        values[name] = number
    if errors:
        raise StaffingInputError(errors)
    return StaffingQuery(
        calls=values["calls"] or 0.0,
        interval_s=values["interval_s"] or 1800.0,
        aht_s=values["aht_s"] or 1.0,
        service_level=values["service_level"] or 0.0,
        target_s=values["target_s"] or 0.0,
        max_occupancy=values["max_occupancy"] or 1.0,
        shrinkage=values["shrinkage"] or 0.0,
        patience_s=values["patience_s"],
    )


def _measure(query: StaffingQuery, agents: int) -> float | None:
    try:
        if query.patience_s is None:
            metrics = erlang_c_metrics(
                query.calls, query.interval_s, query.aht_s, agents, query.target_s
            )
        else:
            metrics = erlang_a_metrics(
                query.calls,
                query.interval_s,
                query.aht_s,
                agents,
                query.target_s,
                query.patience_s,
            )
    except UnstableQueueError:
        return None
    return metrics.service_level


def service_level_curve(query: StaffingQuery, raw_agents: int) -> list[dict[str, float | int]]:
    """Service level for agent counts around the answer, for the chart."""
    traffic = traffic_intensity(query.calls, query.interval_s, query.aht_s)
    span = max(6, math.ceil(raw_agents * 0.3))
    # Erlang C has no steady state at or below the traffic: start just under it.
    floor = math.floor(traffic) if query.patience_s is None else 1
    low = max(1, raw_agents - span, floor)
    high = max(raw_agents + span, low + 6)
    step = max(1, math.ceil((high - low) / CURVE_POINTS))
    counts = sorted({*range(low, high + 1, step), raw_agents})
    curve: list[dict[str, float | int]] = []
    for agents in counts:
        level = _measure(query, agents)
        curve.append({"agents": agents, "service_level": 0.0 if level is None else level})
    return curve


def calculate(query: StaffingQuery) -> dict[str, object]:
    """Fewest agents for the query, their measures and the service-level curve."""
    target = StaffingTarget(
        service_level=query.service_level,
        target_s=query.target_s,
        max_occupancy=query.max_occupancy,
        shrinkage=query.shrinkage,
        patience_s=query.patience_s,
    )
    result = required_agents(query.calls, query.interval_s, query.aht_s, target)
    return {
        "model": "erlang_c" if query.patience_s is None else "erlang_a",
        **result.as_dict(),
        "curve": service_level_curve(query, result.raw_agents) if query.calls > 0 else [],
    }
