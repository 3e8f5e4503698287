"""Builders shared by the planning tests: a small runnable scenario and a history."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pasokh.interactions.actions import do_import_interaction
from pasokh.interactions.models import Interaction
from pasokh.router.models import Queue
from pasokh.tenancy.models import Tenant

TEHRAN = ZoneInfo("Asia/Tehran")


def small_scenario(**overrides: Any) -> dict[str, Any]:
    """One queue, one group: a short, fast what-if (Erlang C-like, 2 hours)."""
    scenario: dict[str, Any] = {
        "name": "test",
        "duration_s": 7200,
        "queues": [
            {
                "name": "sales",
                "expression": "sales >= 1",
                "arrivals": {"interval_s": 3600, "calls": [60]},
                "handle_time": {"mean_s": 180},
                "patience": {"mean_s": 300},
            }
        ],
        "agents": [{"name": "team", "count": 4, "skills": {"sales": 5}}],
    }
    scenario.update(overrides)
    return scenario


def import_history(tenant: Tenant, queue: Queue, first_day: date, days: int, seed: int = 7) -> int:
    """Calls every open hour (08–20, Friday closed), more at 10–12 and 16–18, 3 min each."""
    rng = random.Random(seed)
    count = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() == 4:
            continue
        for hour in range(8, 20):
            calls = 6 if hour in (10, 11, 16, 17) else 3
            for _ in range(calls):
                arrived = datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=TEHRAN)
                answered = arrived + timedelta(seconds=rng.randrange(5, 40))
                do_import_interaction(
                    tenant=tenant,
                    contact=None,
                    channel="voice",
                    queue=queue,
                    arrived_at=arrived,
                    answered_at=answered,
                    ended_at=answered + timedelta(seconds=rng.randrange(120, 240)),
                    status=Interaction.Status.ENDED,
                )
                count += 1
    return count
