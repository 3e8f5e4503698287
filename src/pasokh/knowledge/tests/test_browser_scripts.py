"""In Chromium: a supervisor writes the warranty script, an agent fills it for an interaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pasokh.conftest import TenantPair
from pasokh.demo.builder import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(chromium: Any, live_server: Any, username: str) -> Any:
    context = chromium.new_context(locale="fa-IR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    return page


def card(page: Any, index: int) -> Any:
    return page.locator(".question-card").nth(index)


def test_a_supervisor_writes_a_script_and_an_agent_fills_it(
    tenants: TenantPair, live_server: Any, chromium: Any
) -> None:
    from pasokh.interactions.models import Interaction
    from pasokh.knowledge.models import Script, ScriptRun

    editor = signed_in(chromium, live_server, "supervisor")
    editor.goto(f"{live_server.url}/knowledge/scripts/new/")
    editor.fill("[data-testid=script-name]", "گارانتی گوشی")
    editor.fill("input[name=description]", "وقتی مشتری از خرابی گوشی خبر می‌دهد")
    for _ in range(3):
        editor.click("[data-testid=add-question]")
    card(editor, 0).locator("[data-field=text]").fill("آیا دستگاه گارانتی دارد؟")
    card(editor, 1).locator("[data-field=text]").fill("شماره سریال دستگاه را بپرسید.")
    card(editor, 1).locator("[data-field=type]").select_option("text")
    card(editor, 2).locator("[data-field=text]").fill("تعمیر با هزینه را پیشنهاد دهید.")
    card(editor, 2).locator("[data-field=type]").select_option("info")
    card(editor, 1).locator("[data-field=next]").select_option("")
    card(editor, 0).locator("select[data-branch=yes]").select_option("q2")
    card(editor, 0).locator("select[data-branch=no]").select_option("q3")
    editor.screenshot(path=str(SCREENSHOTS / "script-editor-fa.png"), full_page=True)
    editor.click("[data-testid=publish-script]")
    editor.wait_for_url(f"{live_server.url}/knowledge/scripts/")
    script = Script.objects.get(tenant=tenants.home, name="گارانتی گوشی")
    definition = script.current_version.definition
    assert definition["questions"][0]["branches"] == {"yes": "q2", "no": "q3"}
    assert definition["questions"][1]["next"] is None
    editor.screenshot(path=str(SCREENSHOTS / "scripts-fa.png"), full_page=True)
    editor.context.close()

    interaction = Interaction.objects.filter(tenant=tenants.home, contact__isnull=False).first()
    # The agent fills the script in an interaction they hold (another agent's is refused).
    Interaction.objects.filter(pk=interaction.pk).update(agent=tenants.user("agent"))
    runner = signed_in(chromium, live_server, "agent")
    runner.goto(
        f"{live_server.url}/knowledge/scripts/{script.pk}/run/?interaction={interaction.pk}"
    )
    runner.wait_for_selector("[data-question=q1]")
    runner.click("[data-question=q1] button[data-answer=yes]")
    runner.wait_for_selector("[data-question=q2]")
    runner.fill("[data-question=q2] textarea", "R58N۱۲۳۴۵")
    runner.screenshot(path=str(SCREENSHOTS / "script-runner-asking-fa.png"), full_page=True)
    runner.click("[data-question=q2] button[type=submit]")
    runner.wait_for_selector(".runner-done")
    assert runner.get_attribute("[data-script-runner]", "data-state") == "completed"
    runner.screenshot(path=str(SCREENSHOTS / "script-runner-fa.png"), full_page=True)
    runner.context.close()

    run = ScriptRun.objects.get(version=script.current_version)
    assert run.interaction == interaction
    assert run.contact == interaction.contact
    assert run.answers == {"q1": "yes", "q2": "R58N۱۲۳۴۵"}
    assert run.status == ScriptRun.Status.COMPLETED


PAGES = [
    ("tickets", "/tickets/", "ticket-table"),
    ("orders", "/orders/", "order-table"),
    ("catalog", "/orders/products/", "product-table"),
    ("canned-answers", "/knowledge/canned/", "canned-table"),
    ("knowledge-base", "/knowledge/articles/", "article-table"),
]


def test_the_casework_pages_render_in_persian_with_jalali_dates(
    tenants: TenantPair, live_server: Any, chromium: Any
) -> None:
    from pasokh.orders.models import Order
    from pasokh.tickets.models import Ticket

    page = signed_in(chromium, live_server, "agent")
    for name, path, testid in PAGES:
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.locator(f"[data-testid={testid}] tbody tr").count() > 0
        page.screenshot(path=str(SCREENSHOTS / f"{name}-fa.png"), full_page=True)
    assert "تومان" in page.goto(live_server.url + "/orders/").text()
    ticket = Ticket.objects.filter(tenant=tenants.home, status="open").first()
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    assert "۱۴۰" in page.inner_text("[data-testid=sla-box]")  # a Jalali year
    page.screenshot(path=str(SCREENSHOTS / "ticket-fa.png"), full_page=True)
    order = Order.objects.filter(tenant=tenants.home).first()
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "order-fa.png"), full_page=True)
    page.click("[data-testid=switch-language]")
    page.goto(live_server.url + "/tickets/")
    assert page.get_attribute("html", "dir") == "ltr"
    page.screenshot(path=str(SCREENSHOTS / "tickets-en.png"), full_page=True)
    page.context.close()
