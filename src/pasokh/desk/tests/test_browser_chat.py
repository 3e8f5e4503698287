"""The whole chat story in a real browser, in Persian and in English.

A customer on a shop's website (a page on another origin that embeds the one script tag)
chats with technical support; an agent with the right skills accepts, sees the history,
answers with a canned answer and transfers (warm) to a colleague, who notes, sets a
disposition and ends; the customer rates the chat. pytest-django's live_server has no
WebSockets, so a real `pasokh run` (uvicorn, the embedded router) serves a scratch copy of the
demo. Screenshots of each step go to docs/screenshots/chat-*-<language>.png.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pasokh.webchat.scratch import ALWAYS_OPEN, EMPTY_QUEUES, ScratchServer, free_port

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
PASSWORD = "pasokh-1405"
XSS = (
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload="window.__xss=1">',
    "javascript:window.__xss=1",
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
)

CUSTOMERS = """
import json
from pasokh.contacts.models import ContactIdentity
from pasokh.interactions.models import Interaction
from pasokh.tenancy.models import Tenant
tenant = Tenant.objects.get(slug="diginoo")
known = []
for identity in ContactIdentity.objects.filter(tenant=tenant, kind="phone").order_by("pk"):
    contact = identity.contact
    owner = ContactIdentity.objects.filter(tenant=tenant, kind="phone", value=identity.value)
    if owner.first().pk != identity.pk:
        continue  # a duplicate number: the chat would link to the first owner
    if contact.first_name and Interaction.objects.filter(contact=contact).count() >= 2:
        known.append([identity.value, f"{contact.first_name} {contact.last_name}".strip()])
    if len(known) == 2:
        break
print(json.dumps({"key": tenant.public_key, "customers": known}))
"""


class Site:
    """The shop's website: a static page on its own origin with the widget's script tag."""

    def __init__(self, root: Path, port: int, server_url: str, key: str) -> None:
        self.url = f"http://127.0.0.1:{port}"
        for language in ("fa", "en"):
            direction = "rtl" if language == "fa" else "ltr"
            (root / f"{language}.html").write_text(
                f'<!doctype html><html lang="{language}" dir="{direction}"><head>'
                '<meta charset="utf-8"><title>DigiNoo</title></head><body>'
                '<h1>DigiNoo</h1><p id="shop">Online electronics</p>'
                f'<script src="{server_url}/webchat/widget.js" data-key="{key}" async></script>'
                "</body></html>",
                encoding="utf-8",
            )
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
        handler.log_message = lambda *args: None  # type: ignore[assignment]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("chat-story")
    (root / "site").mkdir()
    site_port = free_port()
    site_origin = f"http://127.0.0.1:{site_port}"
    allow = (
        "\nfrom pasokh.webchat.models import ChatWidget\n"
        "for widget in ChatWidget.objects.all():\n"
        f"    widget.allowed_origins = widget.allowed_origins + [{site_origin!r}]\n"
        "    widget.save()\n"
    )
    server = ScratchServer(root / "data", setup=ALWAYS_OPEN + EMPTY_QUEUES + allow)
    with server:
        facts = json.loads(server.python(CUSTOMERS).strip().splitlines()[-1])
        site = Site(root / "site", site_port, server.url, facts["key"])
        yield {"server": server, "site": site, **facts}
        site.httpd.shutdown()
        site.httpd.server_close()


def sign_in(browser: Any, server: ScratchServer, username: str, language: str) -> Any:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale=language)
    context.add_cookies([{"name": "pasokh_language", "value": language, "url": server.url}])
    page = context.new_page()
    page.goto(server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-card button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(server.url + "/desk/")
    page.wait_for_selector("[data-state-select] option[value=ready]", state="attached")
    return page


def set_state(page: Any, value: str) -> None:
    # (no wait_for_function: the page's CSP forbids evaluating strings, as it should)
    page.wait_for_selector("[data-state-select] option >> nth=2", state="attached")
    page.select_option("[data-state-select]", value)
    page.wait_for_selector(f"[data-state-dot][data-state={value.split(':')[0]}]", state="attached")


def shot(page: Any, name: str, language: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"chat-{name}-{language}.png"))


@pytest.mark.parametrize(
    ("language", "first", "second", "second_name", "topic_label"),
    [
        ("fa", "agent5", "agent6", "مینا جعفری", "پشتیبانی فنی"),
        ("en", "agent7", "agent8", "الهام نوری", "Technical support"),
    ],
)
def test_the_whole_chat_story_runs_in_the_browser(
    chromium: Any,
    stage: dict[str, Any],
    language: str,
    first: str,
    second: str,
    second_name: str,
    topic_label: str,
) -> None:
    server, site = stage["server"], stage["site"]
    # A returning customer: the phone number links the chat to their CRM contact.
    phone, name = stage["customers"][0 if language == "fa" else 1]

    agent = sign_in(chromium, server, first, language)
    set_state(agent, "ready")

    customer_context = chromium.new_context(viewport={"width": 1000, "height": 760})
    customer = customer_context.new_page()
    customer.goto(f"{site.url}/{language}.html")
    customer.click(".psk-launcher")
    customer.wait_for_selector(".psk-form input[name=name]")
    customer.fill(".psk-form input[name=name]", name)
    customer.fill(".psk-form input[name=contact]", phone)
    customer.select_option(".psk-form select[name=topic]", label=topic_label)
    shot(customer, "1-prechat", language)
    customer.click(".psk-form .psk-primary")
    customer.wait_for_selector(".psk-compose")
    first_words = "سلام، گوشی‌ام روشن نمی‌شود." if language == "fa" else "Hi, my phone won't turn on."
    customer.fill(".psk-compose", first_words)
    customer.press(".psk-compose", "Enter")
    customer.wait_for_selector(".psk-from-customer .psk-delivery[data-state=sent]")
    shot(customer, "2-waiting", language)

    # Other demo contacts may be waiting too; this customer's offer is the one named so.
    offer = agent.wait_for_selector(f"[data-testid=offer]:has-text('{name}')")
    shot(agent, "3-offer", language)
    offer.query_selector("[data-testid=accept-offer]").click()
    agent.wait_for_selector(f".msg.from-customer >> text={first_words}")
    agent.wait_for_selector("[data-testid=customer-360] .side-identity")
    assert agent.locator(".history-item").count() >= 1, "the customer's earlier interactions"
    shot(agent, "4-conversation", language)

    agent.fill("[data-testid=compose]", "/salam")
    agent.dispatch_event("[data-testid=compose]", "input")
    agent.wait_for_selector("[data-testid=canned-item]")
    shot(agent, "5-canned", language)
    agent.click("[data-testid=canned-item] >> nth=0")
    canned_text = agent.input_value("[data-testid=compose]")
    assert name.split()[0] in canned_text, "the placeholder {{ contact.first_name }} was filled"
    agent.press("[data-testid=compose]", "Enter")
    customer.wait_for_selector(f".psk-from-agent >> text={canned_text[:20]}")
    customer.wait_for_selector(".psk-from-customer .psk-delivery[data-state=read]")
    shot(customer, "6-answered", language)

    colleague = sign_in(chromium, server, second, language)
    set_state(colleague, "ready")
    agent.select_option("[data-testid=transfer-target]", label=second_name)
    note = {"fa": "گارانتی دارد؛ لطفاً پیگیری کنید", "en": "Under warranty, please follow up"}[
        language
    ]
    agent.fill("[data-testid=transfer-note]", note)
    agent.click("[data-testid=transfer]")
    transfer = colleague.wait_for_selector(f"[data-testid=offer]:has-text('{note}')")
    shot(colleague, "7-transfer-offer", language)
    transfer.query_selector("[data-testid=accept-offer]").click()
    colleague.wait_for_selector(".msg.from-agent")
    agent.wait_for_selector(f"[data-testid=chat-tab]:has-text('{name}')", state="detached")

    own_note = {"fa": "مشتری دستگاه را فردا می‌آورد", "en": "Customer brings it tomorrow"}[language]
    colleague.fill("[data-testid=note-input]", own_note)
    colleague.click("[data-testid=add-note]")
    colleague.wait_for_selector(f".note >> text={own_note}")
    colleague.select_option("[data-testid=disposition]", "resolved")
    colleague.wait_for_timeout(300)
    shot(colleague, "8-note-disposition", language)
    colleague.click("[data-testid=end-chat]")
    colleague.wait_for_selector("[data-testid=finish-wrapup]")
    shot(colleague, "9-wrap-up", language)

    customer.wait_for_selector(".psk-star")
    customer.click(".psk-star[data-score='5']")
    comment = {"fa": "ممنون، عالی بود", "en": "Great help, thanks"}[language]
    customer.fill(".psk-csat textarea", comment)
    shot(customer, "10-rating", language)
    customer.click(".psk-csat .psk-primary")
    customer.wait_for_selector(".psk-done")
    shot(customer, "11-rated", language)
    colleague.click("[data-testid=finish-wrapup]")
    colleague.wait_for_selector(f"[data-testid=chat-tab]:has-text('{name}')", state="detached")

    for page in (agent, colleague):
        set_state(page, "not_ready:break")
        page.context.close()
    customer_context.close()


def test_script_in_names_and_messages_stays_text_in_the_widget_and_the_desk(
    chromium: Any, stage: dict[str, Any]
) -> None:
    server, site = stage["server"], stage["site"]
    agent = sign_in(chromium, server, "agent5", "en")
    set_state(agent, "ready")
    customer_context = chromium.new_context()
    customer = customer_context.new_page()
    customer.goto(f"{site.url}/en.html")
    customer.click(".psk-launcher")
    customer.fill(".psk-form input[name=name]", XSS[0])
    customer.fill(".psk-form input[name=contact]", "xss@example.ir")
    customer.select_option(".psk-form select[name=topic]", "support")
    customer.click(".psk-form .psk-primary")
    customer.wait_for_selector(".psk-compose")
    for payload in XSS:
        customer.fill(".psk-compose", payload)
        customer.press(".psk-compose", "Enter")
    offer = agent.wait_for_selector("[data-testid=offer]:has-text('onerror')")
    offer.query_selector("[data-testid=accept-offer]").click()
    agent.wait_for_selector(f".msg.from-customer >> text={XSS[-1]}")
    for payload in XSS:
        agent.fill("[data-testid=compose]", payload)
        agent.press("[data-testid=compose]", "Enter")
    customer.wait_for_selector(f".psk-from-agent >> text={XSS[-1]}")
    agent.wait_for_timeout(500)
    for page in (agent, customer):
        assert page.evaluate("() => window.__xss") is None
        assert page.locator("img[src=x], svg, iframe").count() == 0
    texts = agent.locator(".msg.from-customer .msg-text").all_inner_texts()
    # Every payload arrives as its own inert text; the order of this burst is not checked here.
    assert sorted(texts) == sorted(XSS)
    assert agent.locator(".desk-tab .tab-name").first.inner_text() == XSS[0]
    agent.click("[data-testid=end-chat]")
    agent.wait_for_selector("[data-testid=finish-wrapup]")
    agent.click("[data-testid=finish-wrapup]")
    set_state(agent, "not_ready:break")
    agent.context.close()
    customer_context.close()
