"""A supervisor plans in Persian in a real Chromium: calculator, forecast, a what-if run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from pasokh.conftest import TenantPair
from pasokh.demo.builder import DEMO_PASSWORD
from pasokh.planning import forecasting
from pasokh.planning.models import SimulationRun
from pasokh.planning.tests.helpers import import_history
from pasokh.router.models import Queue

SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


def sign_in(page: Any, url: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_a_supervisor_plans_staffing_forecast_and_a_what_if_in_persian(
    tenants: TenantPair, live_server: Any, chromium: Any
) -> None:
    week = forecasting.week_choices(timezone.localdate())[2]
    sales = Queue.objects.get(tenant=tenants.home, code="sales")
    import_history(tenants.home, sales, week - timedelta(weeks=5), days=42)
    context = chromium.new_context(locale="fa-IR", viewport={"width": 1360, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in m.location.get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url)

    # 1. The staffing calculator, typed in Persian digits.
    page.click("[data-testid=nav-planning]")
    assert page.get_attribute("html", "dir") == "rtl"
    page.wait_for_selector("#staffing-form[data-ready]")
    page.fill("[data-testid=calls]", "")
    page.type("[data-testid=calls]", "۱۲۰")
    page.fill("[data-testid=aht]", "")
    page.type("[data-testid=aht]", "۲۴۰")
    page.fill("[data-testid=patience]", "")
    page.type("[data-testid=patience]", "۱۸۰")
    expect(page.locator("[data-testid=raw-agents]")).to_have_text("۱۹")
    scheduled = page.text_content("[data-testid=scheduled-agents]")
    assert scheduled == "۲۸"
    assert page.is_visible(".erlang-a-only")
    assert page.evaluate("Chart.getChart('sl-chart').data.datasets[0].data.length") > 5
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    page.screenshot(path=str(SCREENSHOTS / "planning-staffing-fa.png"), full_page=True)

    # 2. Forecast against actual for the last full week.
    page.goto(f"{live_server.url}/planning/forecast/?queue={sales.pk}&interval=60&week={week}")
    page.wait_for_selector("[data-testid=staffing-plan]")
    assert page.evaluate("Chart.getChart('forecast-chart').data.datasets.length") == 2
    mape = page.text_content("[data-testid=mape]")
    assert mape
    assert "٪" in mape
    page.screenshot(path=str(SCREENSHOTS / "planning-forecast-fa.png"), full_page=True)

    # 3. A small what-if run, in the background, until its charts are drawn.
    page.goto(f"{live_server.url}/planning/simulations/")
    page.fill("[data-testid=run-name]", "فردا با دو کارشناس بیشتر")
    page.fill("[data-testid=duration]", "۲")
    page.fill("[data-testid=replications]", "۴")
    page.fill("input[name=g-0-count]", "۴")
    page.screenshot(path=str(SCREENSHOTS / "planning-whatif-form-fa.png"), full_page=True)
    page.click("[data-testid=start-simulation]")
    page.wait_for_url("**/planning/simulations/*/")
    page.wait_for_selector("#result-charts[data-drawn=true]", timeout=60_000)
    # "Done" is shared with other apps' catalogues; whichever wording wins is the page's.
    with translation.override("fa"):
        done = str(SimulationRun.Status.DONE.label)
    assert page.text_content("[data-testid=run-status] .badge") == done
    rows = page.locator("[data-testid=result-table] tbody tr")
    assert rows.count() == 4
    assert "فروش" in rows.first.text_content()
    page.screenshot(path=str(SCREENSHOTS / "planning-simulation-fa.png"), full_page=True)

    assert errors == []
    context.close()
