"""Barge, whisper and a three-way call clicked through in a real Chromium: agent5's desk phone
(sipp) answers a sipp customer; the supervisor's live view joins the call (their sipp phone
rings and answers), turns it into a whisper and leaves; then the agent adds a number from the
desk (the trunk's far end, a sipp UAS), all three talk, and the agent ends the three-way call.

A real ``pasokh run`` (``ScratchServer``) with voice on, rtpengine and sipp by PID, as in
test_browser_recording_listen; each side's media is a socket of the test sending its own tone
(``test_barge.Media``). Screenshots: docs/screenshots/live-calls-barge-fa.png,
call-three-way-fa.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.browser import TRUNK, ready_agent, register, shot, voice_stage
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.test_barge import HEARD, NOT_HEARD, Media, agent_phone, supervisor_phone
from pasokh.voice.tests.test_browser_softphone import (
    PASSWORD,
    browser,  # noqa: F401  (the Chromium fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.voice]

CALLER = "+989121110005"
TONES = {"customer": 500.0, "agent": 800.0, "supervisor": 1300.0, "third": 1700.0}
SUPERVISOR = """
from pasokh.tenancy.models import User
from pasokh.voice.actions import do_set_sip_password
do_set_sip_password(user=User.objects.get(username="supervisor"), username="300", password=%r)
"""


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with voice_stage(
        tmp_path_factory.mktemp("barge"), CALLER, setup=SUPERVISOR % PASSWORD
    ) as stage:
        yield stage


def _heard(media: Media, name: str) -> dict[str, float]:
    time.sleep(1.5)
    now = time.monotonic()
    return media.tones(name, now - 1.0, now)


def test_a_supervisor_barges_in_and_whispers_then_the_agent_makes_a_three_way_call(
    browser: Any,  # noqa: F811
    stage: dict[str, Any],
) -> None:
    server, ports, root = stage["server"], stage["ports"], stage["root"]
    media = Media(TONES)
    media.start()
    phone_port, boss_port, far_port = ports.take(), ports.take(), ports.take()
    server.python(TRUNK % far_port)
    phone = Sipp(root, "agent-phone", agent_phone(media.port("agent"), 4), phone_port, ports.take())
    boss = Sipp(
        root,
        "supervisor-phone",
        supervisor_phone(media.port("supervisor")),
        boss_port,
        ports.take(),
    )
    far = Sipp(root, "far-end", supervisor_phone(media.port("third")), far_port, ports.take())
    scenario = scenarios.customer_hangs_up_by_server(stage["number"], CALLER, steps=[])
    customer = Sipp(
        root,
        "customer",
        scenario.replace("[media_port]", str(media.port("customer"))),
        ports.take(),
        ports.take(),
        stage["sip"],
    )
    figures: dict[str, object] = {}
    try:
        for sipp in (phone, boss, far):
            sipp.start()
        register(stage, stage["extension"], phone_port)
        register(stage, "300", boss_port)
        page = ready_agent(browser, server)
        customer.start()
        deadline = time.monotonic() + 15
        while media.peer["customer"] is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        media.digit = "2"
        page.wait_for_selector("[data-testid=call-conference]", timeout=40000)

        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="fa")
        context.add_cookies([{"name": "pasokh_language", "value": "fa", "url": server.url}])
        live = context.new_page()
        live.goto(server.url + "/login/")
        live.fill("#id_username", "supervisor")
        live.fill("#id_password", PASSWORD)
        live.click(".login-card button[type=submit]")
        live.wait_for_load_state("networkidle")
        live.goto(server.url + "/desk/live/")
        join = live.wait_for_selector("[data-testid=join-barge]", timeout=15000)
        assert join.text_content() == "ورود به تماس"
        assert live.text_content("[data-testid=join-whisper]") == "نجوا با کارشناس"
        join.click()
        live.wait_for_selector("text=شما در تماس هستید", timeout=15000)
        figures["barge: customer"] = heard = _heard(media, "customer")
        assert heard["supervisor"] > HEARD
        assert heard["agent"] > HEARD
        shot(live, "live-calls-barge")
        live.click("[data-testid=join-whisper]")
        live.wait_for_selector("text=در حال نجوا هستید", timeout=15000)
        figures["whisper: customer"] = heard = _heard(media, "customer")
        assert heard["supervisor"] < NOT_HEARD
        figures["whisper: agent"] = heard = _heard(media, "agent")
        assert heard["supervisor"] > HEARD
        live.click("[data-testid=join-stop]")
        assert boss.wait(15) == 0, boss.explain()  # Leave the call: BYE
        live.wait_for_selector("[data-testid=join-stop]", state="detached", timeout=10000)

        page.fill("[data-testid=call-conference] input[name=number]", "۰۹۱۲ ۱۱۱ ۰۰۸۸")
        page.click("[data-testid=call-conference-add]")
        page.wait_for_selector("text=تماس سه‌نفره: هر سه نفر", timeout=20000)
        figures["three-way: customer"] = heard = _heard(media, "customer")
        assert heard["third"] > HEARD
        assert heard["agent"] > HEARD
        assert heard["supervisor"] < NOT_HEARD
        shot(page, "call-three-way")
        page.click("[data-testid=call-conference-end]")
        assert far.wait(15) == 0, far.explain()  # the number got BYE
        page.wait_for_selector("text=نفر سوم دیگر در تماس نیست.", timeout=10000)
        figures["two-way again: customer"] = heard = _heard(media, "customer")
        assert heard["agent"] > HEARD
        assert heard["third"] < NOT_HEARD
        page.click("[data-testid=end-chat]")
        assert customer.wait(20) == 0, customer.explain()
        assert phone.wait(20) == 0, phone.explain()
    finally:
        media.stop()
        for sipp in (customer, phone, boss, far):
            sipp.stop()
    print("barge, whisper, three-way in the browser:", figures)
