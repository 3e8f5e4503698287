"""Forecast against actual: a clear message on short history, a full report on long history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pasokh.conftest import TenantPair
from pasokh.interactions.models import Interaction
from pasokh.planning import forecasting
from pasokh.planning.tests.helpers import import_history
from pasokh.router.models import Queue

pytestmark = pytest.mark.django_db


def last_full_week() -> str:
    return forecasting.week_choices(timezone.localdate())[2].isoformat()


def sales(tenants: TenantPair) -> Queue:
    return Queue.objects.get(tenant=tenants.home, code="sales")


def first_week_after_the_history_begins(tenants: TenantPair) -> str:
    """The week after the one of the queue's first interaction: one to seven days of history
    before it, whatever today's date (the demo spreads its history over the last month)."""
    first = Interaction.objects.filter(queue=sales(tenants)).earliest("arrived_at").arrived_at
    week = forecasting.jalali_week_start(timezone.localtime(first).date()) + timedelta(weeks=1)
    assert week in forecasting.week_choices(timezone.localdate())
    return week.isoformat()


def test_the_demo_history_is_too_short_and_the_page_says_so(
    tenants: TenantPair, client: Client
) -> None:
    week = first_week_after_the_history_begins(tenants)
    client.force_login(tenants.user("supervisor"))
    response = client.get(
        "/planning/forecast/", {"queue": sales(tenants).pk, "interval": 60, "week": week}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="forecast-message"' in html
    assert 'data-testid="staffing-plan"' not in html
    api = client.get(
        "/api/planning/forecast", {"queue": sales(tenants).pk, "interval": 60, "week": week}
    ).json()
    assert api["message"]
    assert api["forecast"] == []


def test_weeks_of_history_give_forecast_actual_error_and_staffing(
    tenants: TenantPair, client: Client
) -> None:
    week = forecasting.week_choices(timezone.localdate())[2]
    import_history(tenants.home, sales(tenants), week - timedelta(weeks=5), days=42)
    client.force_login(tenants.user("supervisor"))
    body = client.get(
        "/api/planning/forecast", {"queue": sales(tenants).pk, "interval": 60, "week": week}
    ).json()
    assert body["message"] == ""
    assert body["history_days"] >= 35
    assert body["slots"][0] <= "08:00"
    assert body["slots"][-1] >= "19:00"
    friday = 6  # Saturday starts the week
    saturday_ten = body["slots"].index("10:00")
    # The history has 6 calls at 10:00 and 3 at 08:00 each open day, none on Friday.
    assert body["forecast"][0][saturday_ten] > 5
    assert max(body["forecast"][friday]) < 0.05
    assert body["actual"][0][saturday_ten] == 6
    assert body["mape"] is not None
    assert body["mape"] < 0.5
    assert body["scheduled_agents"][0][saturday_ten] >= 1
    assert max(body["scheduled_agents"][friday]) == 0

    page = client.get(
        "/planning/forecast/", {"queue": sales(tenants).pk, "interval": 60, "week": week}
    ).content.decode()
    assert 'id="forecast-data"' in page
    assert 'data-testid="staffing-plan"' in page
    assert "heat-5" in page


@pytest.mark.parametrize("interval", [15, 30])
def test_shorter_intervals_split_the_day_finer(
    tenants: TenantPair, client: Client, interval: int
) -> None:
    week = forecasting.week_choices(timezone.localdate())[2]
    import_history(tenants.home, sales(tenants), week - timedelta(weeks=3), days=21)
    client.force_login(tenants.user("supervisor"))
    body = client.get(
        "/api/planning/forecast",
        {"queue": sales(tenants).pk, "interval": interval, "week": week},
    ).json()
    assert len(body["slots"]) >= 12 * 60 // interval
    assert body["mape"] is not None


def test_an_unknown_interval_is_refused(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("supervisor"))
    response = client.get(
        "/api/planning/forecast",
        {"queue": sales(tenants).pk, "interval": 45, "week": last_full_week()},
    )
    assert response.status_code == 400
