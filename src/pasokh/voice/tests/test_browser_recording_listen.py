"""Recording on demand and listen-in in a real Chromium: agent5's desk phone (sipp) answers a
sipp customer; the desk shows Record (the tenant records on demand), the agent clicks it and
the REC badge shows; the supervisor's live view lists the call, Listen rings the supervisor's
SIP phone (sipp; its media port is the test's socket), which then receives the mixed audio;
Stop listening gives it BYE; the agent hangs up and the recording is stored.

A real ``pasokh run`` (``ScratchServer``) with voice on, rtpengine and sipp by PID, as in
test_browser_call_buttons. Screenshots: docs/screenshots/call-recording-fa.png,
live-calls-listen-fa.png.
"""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.browser import echoing_customer, ready_agent, register, shot, voice_stage
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.test_browser_softphone import (
    CALLS,
    PASSWORD,
    browser,  # noqa: F401  (the Chromium fixture)
)
from pasokh.voice.tests.test_listen_in import listening_phone

pytestmark = [pytest.mark.browser, pytest.mark.voice]

CALLER = "+989121110004"
SUPERVISOR = """
from pasokh.tenancy.models import Tenant, User
from pasokh.voice.actions import do_configure_voice_policy, do_set_sip_password
tenant = Tenant.objects.get(slug="diginoo")
do_configure_voice_policy(tenant=tenant, recording="on_demand", retention_days=180)
do_set_sip_password(user=User.objects.get(username="supervisor"), username="300", password=%r)
"""

RECORDED = """
import json
from pasokh.voice.models import Call
call = Call.objects.filter(caller=%r).exclude(recording="").latest("pk")
print(json.dumps({"contact": call.interaction.contact_id, "seconds": call.recording_seconds}))
"""


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with voice_stage(
        tmp_path_factory.mktemp("recordlisten"),
        CALLER,
        setup=SUPERVISOR % PASSWORD,
        recordings=True,
    ) as stage:
        yield stage


def talkative_phone() -> str:
    """The agent's phone of the other tests, speaking its piece (4.7 s) twice, so there is
    voice to hear while the test clicks through the desk and the live view; it takes the
    service's BYE only after that (``TALKS_S`` after its answer)."""
    play = scenarios._play(f"{scenarios.PCAPS}/g711a.pcap")
    return scenarios.agent_phone(ring_ms=1000, answer=True).replace(
        play, play + scenarios._pause(4800) + play
    )


TALKS_S = 5.5


def _received(sock: socket.socket, seconds: float) -> int:
    count = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([sock], [], [], 0.05)[0]:
            sock.recv(2048)
            count += 1
    return count


def test_the_agent_records_on_demand_and_the_supervisor_listens_in(
    browser: Any,  # noqa: F811
    stage: dict[str, Any],
) -> None:
    server, ports, root = stage["server"], stage["ports"], stage["root"]
    ears = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ears.bind(("127.0.0.1", 0))
    phone_port, boss_port = ports.take(), ports.take()
    phone = Sipp(
        root,
        "agent-phone",
        talkative_phone(),
        phone_port,
        ports.take(),
    ).start()
    boss_phone = Sipp(
        root, "supervisor-phone", listening_phone(ears.getsockname()[1]), boss_port, ports.take()
    ).start()
    customer: Sipp | None = None
    try:
        register(stage, stage["extension"], phone_port)
        register(stage, "300", boss_port)
        page = ready_agent(browser, server)
        customer = echoing_customer(stage, CALLER)
        record = page.wait_for_selector("[data-testid=call-record]", timeout=40000)
        answered = time.monotonic()
        assert record.text_content() == "ضبط کن"
        assert not page.is_visible("[data-testid=call-rec]")  # not recorded yet
        record.click()
        page.wait_for_selector("[data-testid=call-rec]", state="visible", timeout=10000)
        assert page.text_content("[data-testid=call-record]") == "توقف ضبط"
        shot(page, "call-recording")

        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="fa")
        context.add_cookies([{"name": "pasokh_language", "value": "fa", "url": server.url}])
        live = context.new_page()
        live.goto(server.url + "/login/")
        live.fill("#id_username", "supervisor")
        live.fill("#id_password", PASSWORD)
        live.click(".login-card button[type=submit]")
        live.wait_for_load_state("networkidle")
        live.goto(server.url + "/desk/live/")
        listen = live.wait_for_selector("[data-testid=listen-in]", timeout=15000)
        assert listen.text_content() == "گوش دادن"
        assert live.is_visible("text=سارا کاظمی")
        listen.click()
        heard = 0
        deadline = time.monotonic() + 15
        while heard < 40 and time.monotonic() < deadline:
            heard += _received(ears, 0.5)
        assert heard >= 40, heard  # the supervisor's phone gets the mixed audio
        live.wait_for_selector("[data-testid=listen-in][aria-pressed=true]", timeout=10000)
        live.wait_for_selector("text=تلفن شما به تماس گوش می‌دهد", timeout=10000)
        assert live.text_content("[data-testid=listen-in]") == "توقف گوش دادن"
        shot(live, "live-calls-listen")
        live.click("[data-testid=listen-in]")
        assert boss_phone.wait(15) == 0, boss_phone.explain()  # Stop listening: BYE

        time.sleep(max(0.0, TALKS_S - (time.monotonic() - answered)))
        page.click("[data-testid=end-chat]")
        assert customer.wait(20) == 0, customer.explain()
        assert phone.wait(20) == 0, phone.explain()
    finally:
        ears.close()
        if customer is not None:
            customer.stop()
        phone.stop()
        boss_phone.stop()

    calls = json.loads(server.python(CALLS).strip().splitlines()[-1])
    ended = [call for call in calls if call["caller"] == CALLER][-1]
    print("recorded on demand and listened in:", ended, "packets heard", heard)
    assert ended["stats"]["recording"]["spans"] == 1
    listened = [key for key in ended["stats"] if key.startswith("listen-")]
    assert len(listened) == 1
    assert ended["stats"][listened[0]]["customer"] > 0
    assert ended["stats"][listened[0]]["agent"] > 0

    # The supervisor plays the recording from the customer's timeline: the browser reads it.
    recorded = json.loads(server.python(RECORDED % CALLER).strip().splitlines()[-1])
    live.goto(f"{server.url}/contacts/{recorded['contact']}/")
    player = live.wait_for_selector("[data-testid=recording]", state="attached", timeout=10000)
    duration = player.evaluate(
        """audio => new Promise((done, failed) => {
          audio.addEventListener("loadedmetadata", () => done(audio.duration));
          audio.addEventListener("error", () => failed(new Error("the WAV did not load")));
          audio.preload = "auto";
          audio.load();
        })"""
    )
    print("the timeline's player:", duration, "s; stored:", recorded["seconds"], "s")
    assert abs(duration - recorded["seconds"]) < 0.05
    player.scroll_into_view_if_needed()
    shot(live, "timeline-recording")
