"""The desk's call buttons in a real Chromium: agent5's desk phone (sipp, registered with the
demo password) rings while the desk shows the offer with the caller's name; once the phone
answers, the desk shows the call with Hold; the agent holds (the customer hears music),
resumes, chooses a disposition and hangs up from the desk; both phones get BYE.

As in test_browser_softphone, a real ``pasokh run`` (``ScratchServer``) serves a scratch copy of
the demo with voice on, and rtpengine and sipp run by PID. The agent's phone is a desk phone, not
the browser softphone: no WebRTC here. Screenshot: docs/screenshots/call-on-hold-fa.png.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.browser import echoing_customer, ready_agent, register, shot, voice_stage
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.test_browser_softphone import (
    CALLS,
    browser,  # noqa: F401  (the Chromium fixture)
)
from pasokh.webchat.scratch import ScratchServer

pytestmark = [pytest.mark.browser, pytest.mark.voice]

CALLER = "+989121110003"
STATE = """
import json
from pasokh.voice.models import Call
print(json.dumps(list(Call.objects.filter(caller=%r).values_list("state", flat=True))))
"""


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with voice_stage(tmp_path_factory.mktemp("callbuttons"), CALLER) as stage:
        yield stage


def _states(server: ScratchServer) -> list[str]:
    return list(json.loads(server.python(STATE % CALLER).strip().splitlines()[-1]))


def _wait_for_state(server: ScratchServer, state: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _states(server)[-1:] == [state]:
            return
        time.sleep(0.3)
    raise AssertionError(f"the call is not {state}: {_states(server)}")


def test_the_agent_holds_resumes_and_hangs_up_from_the_desk_buttons(
    browser: Any,  # noqa: F811
    stage: dict[str, Any],
) -> None:
    server, ports, root = stage["server"], stage["ports"], stage["root"]
    phone_port = ports.take()
    phone = Sipp(
        root,
        "agent-phone",
        scenarios.agent_phone(ring_ms=2000, answer=True),
        phone_port,
        ports.take(),
    ).start()
    customer: Sipp | None = None
    try:
        register(stage, stage["extension"], phone_port, "register")
        page = ready_agent(browser, server)
        customer = echoing_customer(stage, CALLER)
        page.wait_for_selector("[data-testid=offer]:has-text('سارا کاظمی')", timeout=30000)
        hold = page.wait_for_selector("[data-testid=call-hold]", timeout=20000)  # answered
        assert hold.text_content() == "نگه‌داشتن"
        assert page.text_content("[data-testid=end-chat]") == "قطع تماس"

        hold.click()
        page.wait_for_selector("[data-testid=call-hold][aria-pressed=true]", timeout=10000)
        _wait_for_state(server, "on_hold")
        assert page.text_content("[data-testid=call-hold]") == "ادامهٔ تماس"
        assert page.is_visible("text=در انتظار: مشتری موسیقی می‌شنود")
        shot(page, "call-on-hold")

        page.click("[data-testid=call-hold]")
        page.wait_for_selector("[data-testid=call-hold][aria-pressed=false]", timeout=10000)
        _wait_for_state(server, "connected")

        page.select_option("[data-testid=disposition]", "resolved")
        page.click("[data-testid=end-chat]")
        assert customer.wait(20) == 0, customer.explain()  # the customer got BYE
        assert phone.wait(20) == 0, phone.explain()  # and so did the agent's phone
    finally:
        if customer is not None:
            customer.stop()
        phone.stop()

    calls = json.loads(server.python(CALLS).strip().splitlines()[-1])
    ended = [call for call in calls if call["caller"] == CALLER][-1]
    print("the call held from the desk:", ended)
    assert ended["end_reason"] == "routing_ended"
    stats = ended["stats"]
    assert stats["at_resume"]["customer"] > stats["at_hold"]["customer"], stats
