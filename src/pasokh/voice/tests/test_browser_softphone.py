"""The desk's browser softphone in a real Chromium (fake microphone): it registers over
WebSocket, a sipp customer calls the demo number and presses 2, the softphone rings with the
caller's name, the agent answers, WebRTC media flows through rtpengine to the customer's plain
RTP and back, the agent hangs up; then the softphone places a call itself.

pytest-django's live_server has no WebSockets and the voice service must run beside the
embedded router, so a real ``pasokh run`` (``ScratchServer``) serves a scratch copy of the demo
with voice on; rtpengine and sipp run by PID as in the other voice tests. Screenshots go to
docs/screenshots/softphone-*-<language>.png.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pasokh.conftest import CHROMIUM_ARGS
from pasokh.voice.tests import scenarios
from pasokh.voice.tests.peers import PortPool, Rtpengine, Sipp
from pasokh.webchat.scratch import ALWAYS_OPEN, EMPTY_QUEUES, ScratchServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.voice,
]

SHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
PASSWORD = "pasokh-1405"
CALLER = "+989121110002"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
MEDIA_ARGS = [
    "--use-fake-ui-for-media-stream",  # the microphone is allowed without asking
    "--use-fake-device-for-media-stream",  # a synthetic microphone (a beep)
    "--allow-loopback-in-peer-connection",  # rtpengine listens on 127.0.0.1 only
]

FACTS = """
import json
from pasokh.contacts.actions import do_find_or_create_contact
from pasokh.tenancy.models import Tenant
from pasokh.voice.demo import demo_number
from pasokh.voice.models import SipAccount
tenant = Tenant.objects.get(slug="diginoo")
contact = do_find_or_create_contact(tenant=tenant, kind="phone", value=%r, first_name="سارا")
contact.last_name = "کاظمی"
contact.save(update_fields=["last_name"])
account = SipAccount.objects.get(user__username="agent5", tenant=tenant)
print(json.dumps({"number": demo_number(tenant), "extension": account.username}))
"""

CALLS = """
import json
from pasokh.voice.models import Call
calls = [
    {"caller": c.caller, "state": c.state, "digits": c.digits, "end_reason": c.end_reason,
     "stats": c.media_stats, "agent": c.legs.filter(side="agent").count()}
    for c in Call.objects.order_by("pk")
]
print(json.dumps(calls))
"""


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("softphone")
    ports = PortPool()
    dtmf_port = ports.take()
    with Rtpengine(root, ports, dtmf_port) as rtpengine:
        websocket = f"127.0.0.1:{ports.take()}"
        sip = ("127.0.0.1", ports.take())
        server = ScratchServer(root / "data", setup=ALWAYS_OPEN + EMPTY_QUEUES)
        server.env.update(
            {
                "PASOKH_VOICE_LISTEN": f"{sip[0]}:{sip[1]}",
                "PASOKH_VOICE_RTPENGINE": f"127.0.0.1:{rtpengine.ng_port}",
                "PASOKH_VOICE_DTMF_LISTEN": f"127.0.0.1:{dtmf_port}",
                "PASOKH_VOICE_WEBSOCKET": websocket,
                "PASOKH_LOG_LEVEL": "INFO",
            }
        )
        with server:
            facts = json.loads(server.python(FACTS % CALLER).strip().splitlines()[-1])
            yield {"server": server, "root": root, "ports": ports, "sip": sip, **facts}


@pytest.fixture
def browser() -> Iterator[Any]:
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
        )
        yield chromium
        chromium.close()


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


def shot(page: Any, name: str, language: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"softphone-{name}-{language}.png"))


def media(page: Any) -> dict[str, int]:
    return dict(page.eval_on_selector("[data-softphone]", "panel => panel.softphoneStats()"))


def wait_for_media(page: Any, timeout: float = 15) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    figures = media(page)
    while time.monotonic() < deadline:
        figures = media(page)
        if figures["bytesReceived"] > 4000 and figures["bytesSent"] > 4000:
            return figures
        time.sleep(0.3)
    raise AssertionError(f"no media both ways in the browser: {figures}")


def test_the_softphone_answers_a_customer_and_places_a_call(
    browser: Any, stage: dict[str, Any]
) -> None:
    server, ports = stage["server"], stage["ports"]
    language = "fa"
    page = sign_in(browser, server, "agent5", language)
    page.wait_for_selector("[data-softphone][data-state=ready]", timeout=15000)
    assert page.text_content("[data-testid=softphone-status]") == "آماده برای تماس"
    page.select_option("[data-state-select]", "ready")
    page.wait_for_selector("[data-state-dot][data-state=ready]", state="attached")
    shot(page, "registered", language)

    customer = Sipp(
        stage["root"],
        "customer",
        scenarios.customer_hangs_up_by_server(
            stage["number"], CALLER, steps=[("pause", 2500), ("digit", "2")]
        ),
        ports.take(),
        ports.take(),
        stage["sip"],
        extra=("-rtp_echo",),
    ).start()
    try:
        page.wait_for_selector("[data-softphone][data-state=ringing]", timeout=30000)
        assert page.text_content("[data-testid=softphone-caller]") == "سارا کاظمی"
        assert page.text_content("[data-testid=softphone-status]") == "تماس ورودی"
        page.wait_for_selector("[data-testid=offer]:has-text('سارا کاظمی')")
        shot(page, "ringing", language)

        page.click("[data-testid=softphone-answer]")
        page.wait_for_selector("[data-softphone][data-state=in-call]", timeout=15000)
        figures = wait_for_media(page)
        page.click("[data-testid=softphone-mute]")
        assert page.get_attribute("[data-testid=softphone-mute]", "aria-pressed") == "true"
        assert page.text_content("[data-testid=softphone-status]") == "در تماس · میکروفون خاموش"
        page.click("[data-testid=softphone-keypad-toggle]")
        page.click("[data-testid=softphone-key-5]")  # a digit to the customer (RFC 4733)
        time.sleep(1.2)  # the timer shows a second or so
        shot(page, "in-call", language)
        page.click("[data-testid=softphone-mute]")
        print("browser media on the answered call:", figures)

        page.click("[data-testid=softphone-hangup]")
        page.wait_for_selector("[data-softphone][data-state=ended]", timeout=10000)
        assert customer.wait(20) == 0, customer.explain()  # the service hung up the customer
    finally:
        customer.stop()

    calls = json.loads(server.python(CALLS).strip().splitlines()[-1])
    answered = calls[-1]
    print("the answered call:", answered)
    assert answered["caller"] == CALLER
    assert answered["digits"] == "2"
    assert answered["end_reason"] == "agent_hangup"
    stats = answered["stats"]
    assert stats["at_end"]["agent"] - stats["at_answer"].get("agent", 0) > 50, stats
    assert stats["at_end"]["customer"] - stats["at_answer"]["customer"] > 50, stats

    # The softphone places a call: the tenant's own number answers with its menu.
    page.wait_for_selector("[data-softphone][data-state=ready]", timeout=10000)
    # Typed in Persian digits, as an agent may: the softphone dials ASCII.
    page.fill("[data-testid=softphone-target]", stage["number"].translate(PERSIAN_DIGITS))
    page.click("[data-testid=softphone-call]")
    page.wait_for_selector("[data-softphone][data-state=in-call]", timeout=15000)
    deadline = time.monotonic() + 15
    while media(page)["bytesReceived"] < 4000 and time.monotonic() < deadline:
        time.sleep(0.3)
    placed = media(page)
    print("browser media on the placed call:", placed)
    assert placed["bytesReceived"] > 4000, placed  # the menu's prompt, through rtpengine
    shot(page, "placed-call", language)
    page.click("[data-testid=softphone-hangup]")
    page.wait_for_selector("[data-softphone][data-state=ended]", timeout=10000)
    calls = json.loads(server.python(CALLS).strip().splitlines()[-1])
    assert calls[-1]["end_reason"] == "customer_hangup", calls[-1]
