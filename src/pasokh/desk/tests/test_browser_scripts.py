"""A guided script in a real browser, from the editor to a live chat and back.

The supervisor writes a warranty script with a branch for the support queue and publishes
it; a customer starts a chat from the shop's website; the agent accepts, opens the script
beside the conversation, answers so that the "yes" branch is taken, and the answers are saved
with the interaction. Reloading the desk shows the filled script again, and the customer's
timeline lists it. Like the chat story, this needs WebSockets, so a scratch `pasokh run`
serves a copy of the demo (pytest-django's live_server has none). Screenshots go to
docs/screenshots/script-desk-*-<language>.png.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pasokh.desk.tests.test_browser_chat import PASSWORD, set_state, stage
from pasokh.webchat.scratch import ScratchServer

pytestmark = pytest.mark.browser

__all__ = ["stage"]  # the scratch server and the shop's website, shared with the chat story

SHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"

RUNS = """
import json
from pasokh.knowledge.models import ScriptRun
runs = ScriptRun.objects.filter(version__script__name={name!r}).select_related("interaction")
print(json.dumps([
    {{"answers": r.answers, "status": r.status, "version": r.version.number,
      "agent": r.agent.username, "contact": r.contact_id,
      "interaction_contact": r.interaction.contact_id if r.interaction else None,
      "interaction_status": r.interaction.status if r.interaction else None,
      "definition": r.version.definition, "queue": r.version.script.queue.code}}
    for r in runs
]))
"""

SUPPORT_QUEUE = """
from pasokh.router.models import Queue
print(Queue.objects.get(tenant__slug="diginoo", code="support").pk)
"""

WORDS = {
    "fa": {
        "name": "گارانتی گوشی در گفتگو",
        "warranty": "آیا دستگاه گارانتی دارد؟",
        "serial": "شماره سریال دستگاه را بپرسید.",
        "paid": "تعمیر با هزینه را پیشنهاد دهید.",
        "first": "سلام، صفحه گوشی‌ام شکسته است.",
        "serial_answer": "R58N۱۲۳۴۵",
        "yes": "بله",
        "done": "تکمیل شده",
        "title": "اسکریپت راهنما: گارانتی گوشی در گفتگو",
    },
    "en": {
        "name": "Phone warranty in chat",
        "warranty": "Is the device under warranty?",
        "serial": "Ask for the serial number.",
        "paid": "Offer a paid repair.",
        "first": "Hello, my phone's screen is broken.",
        "serial_answer": "R58N67890",
        "yes": "Yes",
        "done": "Filled",
        "title": "Guided script: Phone warranty in chat",
    },
}


def shot(page: Any, name: str, language: str, *, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"script-desk-{name}-{language}.png"), full_page=full)


def sign_in(browser: Any, server: ScratchServer, username: str, language: str) -> Any:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale=language)
    context.add_cookies([{"name": "pasokh_language", "value": language, "url": server.url}])
    page = context.new_page()
    page.goto(server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-card button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def open_desk(page: Any) -> None:
    page.click("[data-testid=nav-desk]")
    page.wait_for_selector("[data-state-select] option[value=ready]", state="attached")


def write_script(page: Any, words: dict[str, str], queue_pk: str, language: str) -> None:
    page.click("[data-testid=nav-casework]")
    page.click("[data-testid=nav-scripts]")
    page.click("[data-testid=new-script]")
    page.fill("[data-testid=script-name]", words["name"])
    page.select_option("[data-testid=script-queue]", queue_pk)
    for _ in range(3):
        page.click("[data-testid=add-question]")
    card = page.locator(".question-card")
    card.nth(0).locator("[data-field=text]").fill(words["warranty"])
    card.nth(1).locator("[data-field=text]").fill(words["serial"])
    card.nth(1).locator("[data-field=type]").select_option("text")
    card.nth(2).locator("[data-field=text]").fill(words["paid"])
    card.nth(2).locator("[data-field=type]").select_option("info")
    card.nth(1).locator("[data-field=next]").select_option("")
    card.nth(0).locator("select[data-branch=yes]").select_option("q2")
    card.nth(0).locator("select[data-branch=no]").select_option("q3")
    shot(page, "1-editor", language, full=True)
    page.click("[data-testid=publish-script]")
    page.wait_for_url("**/knowledge/scripts/")
    assert words["name"] in page.inner_text("[data-testid=script-table]")
    shot(page, "2-published", language, full=True)


@pytest.mark.parametrize(("language", "agent_name"), [("fa", "agent5"), ("en", "agent7")])
def test_an_agent_fills_a_new_script_inside_a_chat_and_finds_it_again(
    chromium: Any, stage: dict[str, Any], language: str, agent_name: str
) -> None:
    server, site = stage["server"], stage["site"]
    words = WORDS[language]
    phone, name = stage["customers"][0 if language == "fa" else 1]
    queue_pk = server.python(SUPPORT_QUEUE).strip().splitlines()[-1]

    supervisor = sign_in(chromium, server, "supervisor", language)
    write_script(supervisor, words, queue_pk, language)
    supervisor.context.close()

    agent = sign_in(chromium, server, agent_name, language)
    open_desk(agent)
    set_state(agent, "ready")
    customer_context = chromium.new_context(viewport={"width": 1000, "height": 760})
    customer = customer_context.new_page()
    customer.goto(f"{site.url}/{language}.html")
    customer.click(".psk-launcher")
    customer.fill(".psk-form input[name=name]", name)
    customer.fill(".psk-form input[name=contact]", phone)
    customer.select_option(".psk-form select[name=topic]", "support")
    customer.click(".psk-form .psk-primary")
    customer.wait_for_selector(".psk-compose")
    customer.fill(".psk-compose", words["first"])
    customer.press(".psk-compose", "Enter")

    offer = agent.wait_for_selector(f"[data-testid=offer]:has-text('{name}')")
    offer.query_selector("[data-testid=accept-offer]").click()
    agent.wait_for_selector(f".msg.from-customer >> text={words['first']}")
    scripts = agent.locator("[data-testid=scripts]")
    first_item = scripts.locator("[data-testid=script-item]").first
    first_item.wait_for()
    assert words["name"] in first_item.inner_text(), "the support queue's own script first"
    assert first_item.locator(".script-badge.queue").count() == 1
    shot(agent, "3-scripts", language)

    first_item.click()
    scripts.locator("[data-question=q1] button[data-answer=yes]").click()
    scripts.locator("[data-question=q2] textarea").fill(words["serial_answer"])
    shot(agent, "4-asking", language)
    scripts.locator("[data-question=q2] button[type=submit]").click()
    scripts.locator(".runner-done").wait_for()
    assert scripts.locator("[data-script-runner]").get_attribute("data-state") == "completed"
    path = scripts.locator("[data-testid=runner-path] li").all_inner_texts()
    assert len(path) == 2, "q1 and q2: the yes branch; q3 (paid repair) is not on it"
    assert words["warranty"] in path[0]
    assert words["yes"] in path[0]
    assert words["serial_answer"] in path[1]
    assert words["paid"] not in scripts.inner_text()
    shot(agent, "5-filled", language)

    [run] = json.loads(server.python(RUNS.format(name=words["name"])).strip().splitlines()[-1])
    assert run["answers"] == {"q1": "yes", "q2": words["serial_answer"]}
    assert run["status"] == "completed"
    assert (run["agent"], run["version"], run["queue"]) == (agent_name, 1, "support")
    assert run["contact"] is not None
    assert run["contact"] == run["interaction_contact"]
    assert run["interaction_status"] == "active", "saved with the chat that is going on"
    assert run["definition"]["questions"][0]["branches"] == {"yes": "q2", "no": "q3"}

    # Reopening the chat (a reload of the desk) shows the script as filled, answers and all.
    agent.reload()
    agent.wait_for_selector(f"[data-testid=chat-tab]:has-text('{name}')")
    item = scripts.locator("[data-testid=script-item]").first
    item.locator(".script-badge.done").wait_for()
    assert words["done"] in item.inner_text()
    item.click()
    scripts.locator(".runner-done").wait_for()
    again = scripts.locator("[data-testid=runner-path] li").all_inner_texts()
    assert again == path
    shot(agent, "6-reopened", language)

    agent.select_option("[data-testid=disposition]", "resolved")
    agent.wait_for_timeout(300)
    agent.click("[data-testid=end-chat]")
    agent.click("[data-testid=finish-wrapup]")
    agent.wait_for_selector(f"[data-testid=chat-tab]:has-text('{name}')", state="detached")
    set_state(agent, "not_ready:break")

    # The customer's timeline keeps the answers along the branch that was taken.
    agent.click("[data-testid=nav-contacts]")
    agent.goto(f"{server.url}/contacts/{run['contact']}/")
    entry = agent.locator(".timeline-item.kind-script").first
    assert words["title"] in entry.inner_text()
    assert words["serial_answer"] in entry.inner_text()
    entry.scroll_into_view_if_needed()
    shot(agent, "7-timeline", language)
    agent.context.close()
    customer_context.close()
