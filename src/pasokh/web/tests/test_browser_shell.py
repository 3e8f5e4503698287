"""A real Chromium signs in as agent, supervisor and admin, in Persian and in English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pasokh.conftest import TenantPair
from pasokh.demo.builder import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_TEXT = {
    ("agent", "fa"): "صف‌های من",
    ("agent", "en"): "My queues",
    ("supervisor", "fa"): "تعامل‌های اخیر",
    ("supervisor", "en"): "Recent interactions",
    ("admin", "fa"): "پیکربندی",
    ("admin", "en"): "Configuration",
}


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("username", ["agent", "supervisor", "admin"])
def test_each_role_signs_in_with_the_right_direction(
    tenants: TenantPair, live_server: Any, chromium: Any, username: str, language: str
) -> None:
    context = chromium.new_context(locale="fa-IR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    assert page.get_attribute("html", "dir") == "rtl"
    if language == "en":
        page.click("[data-testid=switch-language]")
        assert page.get_attribute("html", "dir") == "ltr"
    if username == "agent":
        page.screenshot(path=str(SCREENSHOTS / f"login-{language}.png"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    expected_dir = "rtl" if language == "fa" else "ltr"
    assert page.get_attribute("html", "dir") == expected_dir
    assert page.get_attribute("html", "lang") == language
    if username == "admin":
        page.goto(f"{live_server.url}/admin/")
        assert page.get_attribute("html", "dir") == expected_dir
    assert EXPECTED_TEXT[(username, language)] in page.content()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    loaded = page.evaluate("document.fonts.check('16px Vazirmatn')")
    assert loaded
    page.screenshot(path=str(SCREENSHOTS / f"home-{username}-{language}.png"), full_page=True)
    context.close()


def test_persian_digits_typed_in_the_admin_are_saved_as_numbers(
    tenants: TenantPair, live_server: Any, chromium: Any
) -> None:
    from pasokh.router.models import Queue

    queue = Queue.objects.get(tenant=tenants.home, code="billing")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/admin/router/queue/{queue.pk}/change/")
    priority = page.locator("#id_priority")
    assert priority.get_attribute("inputmode") == "numeric"
    priority.fill("")
    priority.press_sequentially("۹")
    assert priority.input_value() == "9"
    page.locator("#id_wrapup_seconds").fill("۴۵")
    page.screenshot(path=str(SCREENSHOTS / "admin-queue-fa.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    queue.refresh_from_db()
    assert (queue.priority, queue.wrapup_seconds) == (9, 45)
    context.close()
