"""The desk's new call buttons in a real Chromium: Mute (with its "Muted" badge) and the keypad
on a connected call, and Call by the customer's phone number in the customer 360 card.

agent5's desk phone (sipp, digest) answers a customer (sipp, RTP echo) who called the demo
number; the agent mutes from the desk (the keypad is refused meanwhile), unmutes and sends a
digit, then hangs up. In wrap-up the 360 card's Call button is refused with the reason (not
ready); once ready, the contact page's Call button rings a desk phone of the agent's and then
the trunk's far end (a sipp UAS) with the caller ID, and the desk shows the outbound call
connected, with the same call buttons, until the agent sends it on to another number through
the trunk (another sipp UAS), which answers, speaks and hangs up. As in
test_browser_call_buttons, a real ``pasokh run`` serves a scratch copy of the demo with voice
on; rtpengine and sipp run by PID. Screenshots:
docs/screenshots/call-muted-fa.png, call-keypad-fa.png, click-to-call-{refused,ringing,
connected}-fa.png, call-transfer-number-fa.png.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.browser import (
    TRUNK,
    desk_phone,
    echoing_customer,
    ready_agent,
    shot,
    voice_stage,
)
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.test_browser_softphone import (
    CALLS,
    browser,  # noqa: F401  (the Chromium fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.voice]

CALLER = "+989121110004"
CONTACT = """
from pasokh.contacts.models import ContactIdentity
print(ContactIdentity.objects.get(kind="phone", value=%r, tenant__slug="diginoo").contact_id)
"""


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with voice_stage(tmp_path_factory.mktemp("clicktocall"), CALLER) as stage:
        yield stage


def _note(page: Any, text: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        seen = page.text_content("[data-testid=dial-note]") or ""
        if text in seen:
            return
        time.sleep(0.2)
    raise AssertionError(f"the dial note says {seen!r}, not {text!r}")


def test_mute_keypad_and_click_to_call_from_the_desk(
    browser: Any,  # noqa: F811
    stage: dict[str, Any],
) -> None:
    server, ports, root = stage["server"], stage["ports"], stage["root"]
    phone = desk_phone(stage, "agent-phone", ring_ms=1500)
    customer: Sipp | None = None
    far_end: Sipp | None = None
    second: Sipp | None = None
    number: Sipp | None = None
    try:
        page = ready_agent(browser, server)
        customer = echoing_customer(stage, CALLER)
        mute = page.wait_for_selector("[data-testid=call-mute]", timeout=40000)  # answered
        assert mute.text_content() == "بی‌صدا"
        mute.click()
        page.wait_for_selector("[data-testid=call-mute][aria-pressed=true]", timeout=10000)
        assert page.text_content("[data-testid=call-muted]") == "بی‌صدا: مشتری صدای شما را نمی‌شنود"
        assert page.text_content("[data-testid=call-mute]") == "وصل صدا"
        page.click("[data-testid=call-keypad-toggle]")
        page.click("[data-testid=call-keypad] [data-digit='5']")
        page.wait_for_selector("text=برای فرستادن ارقام، تماس را از انتظار درآورید", timeout=5000)
        shot(page, "call-muted")

        page.click("[data-testid=call-mute]")
        page.wait_for_selector("[data-testid=call-mute][aria-pressed=false]", timeout=10000)
        assert page.is_hidden("[data-testid=call-muted]")
        page.click("[data-testid=call-keypad] [data-digit='5']")
        page.wait_for_selector("[data-testid=call-keypad-typed]:has-text('۵')", timeout=5000)
        shot(page, "call-keypad")

        page.select_option("[data-testid=disposition]", "resolved")
        page.click("[data-testid=end-chat]")
        assert customer.wait(20) == 0, customer.explain()
        assert phone.wait(20) == 0, phone.explain()

        # In wrap-up: the customer 360 card's Call button says why it cannot call now.
        page.click("[data-testid=customer-360] [data-testid=dial]")
        _note(page, "آماده")
        shot(page, "click-to-call-refused")

        far_port = ports.take()
        server.python(TRUNK % far_port)
        far_end = Sipp(
            root,
            "far-end",
            scenarios.agent_phone(ring_ms=1500, answer=True),
            far_port,
            ports.take(),
            extra=("-rtp_echo",),
        ).start()
        second = desk_phone(stage, "agent-phone-2", ring_ms=2500)
        page.click("[data-testid=finish-wrapup]")  # ready again, the conversation closes
        page.wait_for_selector("[data-state-dot][data-state=ready]", state="attached")
        # The contact page has the same Call button by each phone number.
        contact = page.context.new_page()
        contact_id = server.python(CONTACT % CALLER).strip().splitlines()[-1]
        contact.goto(f"{server.url}/contacts/{contact_id}/")
        contact.click("[data-testid=dial]")
        _note(contact, "تلفن شما زنگ می‌زند")
        shot(contact, "click-to-call-ringing")
        _note(contact, "وصل شد.", timeout=30)
        page.bring_to_front()
        page.wait_for_selector("[data-testid=call-mute]", timeout=15000)  # the desk has it
        shot(page, "click-to-call-connected")
        page.wait_for_timeout(3000)  # they talk: both phones' voices through rtpengine

        # The agent sends the customer on to another number through the trunk.
        number_port = ports.take()
        server.python(TRUNK % number_port)
        number = Sipp(
            root,
            "number",
            scenarios.agent_phone(ring_ms=1500, answer=True, hang_up_after_ms=3000),
            number_port,
            ports.take(),
        ).start()
        page.fill("[data-testid=call-forward] input", "۰۹۱۲ ۱۱۱ ۰۰۸۸")
        page.click("[data-testid=call-forward] button")
        page.wait_for_selector("[data-testid=call-forward-note]:has-text('مشتری موسیقی')")
        page.wait_for_selector("[data-testid=call-hold][aria-pressed=true]")  # music meanwhile
        shot(page, "call-transfer-number")
        assert second.wait(20) == 0, second.explain()  # the agent's phone got BYE
        page.wait_for_selector("[data-testid=finish-wrapup]", timeout=15000)  # in wrap-up
        assert number.wait(20) == 0, number.explain()  # the number spoke and hung up
        assert far_end.wait(20) == 0, far_end.explain()  # and the customer got BYE
    finally:
        for peer in (customer, far_end, second, phone, number):
            if peer is not None:
                peer.stop()

    calls = json.loads(server.python(CALLS).strip().splitlines()[-1])
    mine = [call for call in calls if call["caller"] == CALLER]
    print("calls with the customer:", mine)
    assert mine[0]["stats"]["at_unmute"]["customer"] >= mine[0]["stats"]["at_mute"]["customer"]
    placed = mine[-1]
    assert placed["end_reason"] == "agent_hangup"  # the number the call went to hung up
    assert placed["stats"]["at_end"]["agent"] > placed["stats"]["at_transfer"]["agent"], placed
    assert placed["stats"]["at_end"]["customer"] > 50, placed
    assert placed["stats"]["at_end"]["agent"] > 50, placed
