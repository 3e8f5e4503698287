"""From the desk during a call: mute (the customer stops hearing the agent, the agent still
hears the customer), hold and resume while muted (resume does not unmute), unmute, and digits
from the keypad that reach the customer's phone as RFC 4733 events.

The customer is sipp with ``-rtp_echo``: what it hears comes back to rtpengine, so rtpengine's
count of the customer's packets grows with the agent's voice, and the digits the customer's
phone received come back as events rtpengine decodes and reports from the customer's side
(``source_tag: customer`` on its DTMF log)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.phones import agent_phone, customer, packets
from pasokh.voice.tests.test_call_flow import CALLER, _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

QUIET_S = 1.5  # how long the customer's echo is watched while it should not grow
LEAK = 6  # packets already on their way when rtpengine starts blocking


def _ask(client: Any, interaction_id: str, verb: str, **form: str) -> Any:
    from django.urls import reverse

    return client.post(reverse("voice:call_control", args=[int(interaction_id), verb]), form)


def _growth(lab: Any, media_id: str, seconds: float) -> dict[str, int]:
    before = packets(lab, media_id)
    time.sleep(seconds)
    after = packets(lab, media_id)
    return {side: after[side] - before.get(side, 0) for side in after}


# The voice service in the desk's process (requests handed to its controller), and as a
# process of its own (requests written as rows for it, ``desk_requests.py``).
@pytest.mark.parametrize("lab_fixture", ["voice_lab", "voice_lab_from_log"])
def test_the_agent_mutes_holds_unmutes_and_sends_digits_from_the_desk(
    lab_fixture: str, request: pytest.FixtureRequest
) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.desk import commands as desk_commands
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallRequest

    lab = request.getfixturevalue(lab_fixture)
    reports: list[dict[str, Any]] = []
    report = lab.service._dtmf_report

    def spy(data: bytes) -> None:  # rtpengine's own DTMF reports, passed on unchanged
        reports.append(json.loads(data))
        report(data)

    lab.service._dtmf_report = spy
    agent = lab.tenants.user("agent5")
    desk = Client()
    desk.force_login(agent)
    colleague = Client()
    colleague.force_login(lab.tenants.user("agent6"))
    voice = scenarios.longer_voice(lab.workdir, 3)  # 21 s of speech
    phone = agent_phone(lab, "205", ring_ms=500, voice=voice)
    do_set_agent_state(agent, "ready")
    caller = customer(lab, demo_number(lab.tenants.home), CALLER, [("pause", 2500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "the answer"
        )
        iid, media = str(call.interaction_id), call.media_id
        state_url = reverse("voice:call_state", args=[int(iid)])
        _wait_for(lambda: packets(lab, media)["agent"] > 40, 10, "the agent to speak")
        talking = _growth(lab, media, 1.0)
        assert talking["customer"] > 30, talking  # the agent's voice, echoed

        assert _ask(colleague, iid, "mute").status_code == 409  # not their call
        assert _ask(desk, iid, "mute").json() == {"ok": True, "muted": True}
        _wait_for(lambda: desk.get(state_url).json()["muted"], 5, "mute")
        muted = _growth(lab, media, QUIET_S)
        assert muted["agent"] > 30, muted  # the agent still speaks …
        assert muted["customer"] <= LEAK, muted  # … and the customer hears none of it
        refused = _ask(desk, iid, "digits", digits="1")
        assert refused.status_code == 409
        assert refused.json()["error"]

        assert _ask(desk, iid, "hold").json() == {"ok": True, "on_hold": True}
        _wait_for(lambda: desk.get(state_url).json()["on_hold"], 5, "hold")
        assert desk.get(state_url).json() == {"on_hold": True, "muted": True}
        assert _ask(desk, iid, "resume").json() == {"ok": True, "on_hold": False}
        _wait_for(lambda: not desk.get(state_url).json()["on_hold"], 5, "resume")
        time.sleep(0.3)  # the last of the hold music's echo
        resumed = _growth(lab, media, QUIET_S)
        assert resumed["agent"] > 30, resumed
        assert resumed["customer"] <= LEAK, resumed  # resume did not unmute
        assert desk.get(state_url).json() == {"on_hold": False, "muted": True}

        assert _ask(desk, iid, "unmute").json() == {"ok": True, "muted": False}
        _wait_for(lambda: not desk.get(state_url).json()["muted"], 5, "unmute")
        heard = _growth(lab, media, QUIET_S)
        assert heard["customer"] > 30, heard  # the customer hears the agent again

        assert _ask(desk, iid, "digits", digits="12x").status_code == 409
        assert _ask(desk, iid, "digits", digits="1" * 21).status_code == 409
        sent = _ask(desk, iid, "digits", digits="۴۲#")  # Persian digits from the keypad
        assert sent.json() == {"ok": True, "digits": "42#"}
        _wait_for(
            lambda: (
                [r["event"] for r in reports if r["source_tag"] == "customer"][-3:] == [4, 2, 11]
            ),
            10,
            "the customer's phone to send back the three digits it received",
        )
        desk_commands.end(agent, {"interaction_id": iid})
        assert caller.wait(20) == 0, caller.explain()
        assert phone.sipp.wait(30) == 0, phone.sipp.explain()
    finally:
        caller.stop()
        phone.sipp.stop()
    print("mute, packets in", QUIET_S, "s:", {"talking": talking, "muted": muted})
    print("after resume:", resumed, "unmuted:", heard)
    print("DTMF reports:", [(r["source_tag"], r["event"], r["duration"]) for r in reports])
    from_agent = [r["event"] for r in reports if r["source_tag"] == "agent"]
    assert from_agent[-3:] == [4, 2, 11]  # rtpengine's own record of what it injected
    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    assert {"at_mute", "at_unmute"} <= set(call.media_stats)
    assert lab.service.controller.sessions == {}
    # Across processes every request went by a row, done once, in the order asked.
    rows = list(CallRequest.objects.filter(call=call).order_by("id"))
    if lab_fixture == "voice_lab_from_log":
        assert [(r.verb, r.argument) for r in rows] == [
            ("mute", ""),
            ("hold", ""),
            ("resume", ""),
            ("unmute", ""),
            ("send_digits", "42#"),
        ]
        assert all(r.done_at is not None and r.asked_by_id == agent.pk for r in rows)
        assert rows[1].result == {"on_hold": True, "muted": True}
    else:
        assert rows == []
