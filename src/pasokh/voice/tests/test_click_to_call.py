"""Click-to-call from the desk: the agent's own phone rings first, and once it answers the
customer is dialled through the tenant's trunk with the tenant's caller ID.

The trunk's far end is a sipp UAS (a real SIP peer, RTP echo) on the trunk's host and port;
the agent's phone is sipp registered with digest auth. Checked: the INVITE order (nothing
reaches the trunk while the agent's phone rings), From and P-Asserted-Identity carrying the
caller ID, media both ways (rtpengine's packet counts), the outbound interaction on the
customer's timeline (contact by E.164 number, the agent's, busy on voice, then wrap-up), and
the failures: not a number, no registered phone, not ready, the customer busy (486) or not
answering (480), each with its message and nothing left behind."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.phones import agent_phone, packets
from pasokh.voice.tests.test_call_flow import _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

TYPED = "۰۹۱۲ ۱۱۱ ۰۰۴۲"  # as an agent may type or copy it: Persian digits, local form
CALLED = "+989121110042"


def _far_end(lab: Any, scenario: str) -> Sipp:
    """The trunk's far end: the demo trunk now points at a sipp UAS on a port of the lab's."""
    from pasokh.voice.models import SipTrunk

    port = lab.ports.take()
    SipTrunk.objects.filter(tenant=lab.tenants.home).update(host="127.0.0.1", port=port)
    return Sipp(
        lab.workdir, "far-end", scenario, port, lab.ports.take(), extra=("-rtp_echo",)
    ).start()


def _received_invite(workdir: Path) -> str:
    """The INVITE the far end received, from sipp's own message trace (-trace_msg)."""
    for trace in workdir.glob("far-end_*_messages.log"):
        text = trace.read_text(errors="replace")
        match = re.search(r"INVITE sip:.*?\r?\n\r?\n", text, re.S)
        if match:
            return match.group(0)
    return ""


def _progress(desk: Any, interaction_id: int) -> dict[str, Any]:
    from django.urls import reverse

    return desk.get(reverse("voice:dial_progress", args=[interaction_id])).json()


def _dial(desk: Any, number: str) -> Any:
    from django.urls import reverse

    return desk.post(reverse("voice:dial"), {"number": number})


def test_the_agents_phone_rings_first_then_the_customer_is_called_with_the_caller_id(
    voice_lab: Any,
) -> None:
    from django.test import Client

    from pasokh.desk import commands as desk_commands
    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.router.runtime_models import AgentPresence
    from pasokh.voice.models import Call, CallLeg, VoicePolicy

    lab = voice_lab
    caller_id = VoicePolicy.objects.get(tenant=lab.tenants.home).caller_id
    assert caller_id
    agent = lab.tenants.user("agent5")
    desk = Client()
    desk.force_login(agent)
    far_end = _far_end(lab, scenarios.agent_phone(ring_ms=800, answer=True))
    phone = agent_phone(lab, "205", ring_ms=1500)
    do_set_agent_state(agent, "ready")
    try:
        placed = _dial(desk, TYPED)
        assert placed.status_code == 200, placed.content
        iid = placed.json()["interaction_id"]
        _wait_for(
            lambda: CallLeg.objects.filter(
                call__interaction_id=iid, side=CallLeg.Side.AGENT, state=CallLeg.State.RINGING
            ).exists(),
            10,
            "the agent's phone to ring",
        )
        assert _progress(desk, iid)["state"] == "ringing"
        assert _received_invite(lab.workdir) == ""  # the trunk hears nothing yet
        call = _wait_for(
            lambda: Call.objects.filter(interaction_id=iid, state=Call.State.CONNECTED).first(),
            20,
            "the customer to answer",
        )
        assert _progress(desk, iid) == {
            "state": "connected",
            "message": "وصل شد.",
            "ended": False,
        }
        presence = AgentPresence.objects.get(tenant=lab.tenants.home, agent_id=str(agent.pk))
        assert presence.load_voice == 1  # busy on voice
        media = call.media_id
        _wait_for(
            lambda: min(packets(lab, media).values()) > 100,
            20,
            f"media both ways (at the answer: {packets(lab, media)})",
        )
        connected = packets(lab, call.media_id)
        desk_commands.end(agent, {"interaction_id": str(iid)})  # hang up from the desk
        assert far_end.wait(20) == 0, far_end.explain()
        assert phone.sipp.wait(20) == 0, phone.sipp.explain()
    finally:
        far_end.stop()
        phone.sipp.stop()
    invite = _received_invite(lab.workdir)
    print("click-to-call: packets while connected", connected, "\n" + invite)
    assert f"INVITE sip:{CALLED}@127.0.0.1" in invite
    assert re.search(rf"^From: .*<sip:{re.escape(caller_id)}@", invite, re.M), invite
    assert re.search(
        rf"^P-Asserted-Identity: <sip:{re.escape(caller_id)}@127\.0\.0\.1>", invite, re.M
    ), invite
    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    assert call.end_reason == Call.EndReason.ROUTING_ENDED
    assert call.caller == CALLED
    legs = {leg.side: leg for leg in call.legs.all()}
    assert legs[CallLeg.Side.AGENT].agent_id == agent.pk
    assert legs[CallLeg.Side.AGENT].answered_at < legs[CallLeg.Side.CUSTOMER].answered_at
    interaction = Interaction.objects.select_related("contact").get(pk=iid)
    assert interaction.direction == Interaction.Direction.OUTBOUND
    assert interaction.channel == "voice"
    assert interaction.agent_id == agent.pk
    assert interaction.status in (Interaction.Status.WRAP_UP, Interaction.Status.ENDED)
    assert interaction.contact is not None
    assert interaction.contact.identities.filter(kind="phone", value=CALLED).exists()
    presence = AgentPresence.objects.get(tenant=lab.tenants.home, agent_id=str(agent.pk))
    assert presence.state == "wrap_up", presence.state
    assert _progress(desk, iid)["message"] == "تماس پایان یافت."
    assert lab.service.controller.sessions == {}
    assert lab.service.controller.by_interaction == {}


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        ("486 Busy Here", "خط مشتری اشغال است."),
        ("480 Temporarily Unavailable", "مشتری پاسخ نداد."),
    ],
)
def test_a_customer_who_does_not_take_the_call_ends_it_with_the_reason(
    voice_lab: Any, refusal: str, message: str
) -> None:
    from django.test import Client

    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    agent = lab.tenants.user("agent5")
    desk = Client()
    desk.force_login(agent)
    far_end = _far_end(lab, scenarios.busy_phone(ring_ms=500, refusal=refusal))
    phone = agent_phone(lab, "205", ring_ms=300)
    do_set_agent_state(agent, "ready")
    try:
        placed = _dial(desk, CALLED)
        assert placed.status_code == 200, placed.content
        iid = placed.json()["interaction_id"]
        progress = _wait_for(
            lambda: (p := _progress(desk, iid))["ended"] and p, 20, "the call to end"
        )
        assert far_end.wait(15) == 0, far_end.explain()
        assert phone.sipp.wait(15) == 0, phone.sipp.explain()  # the agent's phone got BYE
    finally:
        far_end.stop()
        phone.sipp.stop()
    assert progress["message"] == message
    call = Call.objects.get(interaction_id=iid)
    assert call.end_reason == Call.EndReason.NOT_REACHED
    refused = call.legs.get(side=CallLeg.Side.CUSTOMER)
    assert refused.status_code == int(refusal[:3])
    assert refused.state == CallLeg.State.FAILED
    # Routing's end reaches the row through the outcome recorder's thread: a moment later.
    finished = (Interaction.Status.WRAP_UP, Interaction.Status.ENDED)
    _wait_for(
        lambda: Interaction.objects.filter(pk=iid, status__in=finished).exists(),
        10,
        "the interaction to end",
    )
    controller = lab.service.controller
    _wait_for(lambda: not controller.sessions, 10, "the call's session to go")
    assert controller.by_interaction == {}


def test_click_to_call_is_refused_with_a_reason_and_leaves_nothing_behind(voice_lab: Any) -> None:
    from django.test import Client

    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.models import Call

    lab = voice_lab
    agent = lab.tenants.user("agent5")
    desk = Client()
    desk.force_login(agent)
    before = (Interaction.objects.count(), Call.objects.count())

    def refused(number: str) -> str:
        response = _dial(desk, number)
        assert response.status_code == 409, response.content
        return str(response.json()["error"])

    assert "شماره‌ای نیست" in refused("12ab")  # the desk speaks Persian
    assert "ثبت نشده" in refused(CALLED)  # no phone signed in yet
    phone = agent_phone(lab, "205", ring_ms=300)
    try:
        do_set_agent_state(agent, "not_ready")
        assert "آماده" in refused(CALLED)
        supervisor = Client()
        supervisor.force_login(lab.tenants.user("supervisor"))
        assert supervisor.post("/voice/dial/", {"number": CALLED}).status_code == 409
    finally:
        phone.sipp.stop()
    assert (Interaction.objects.count(), Call.objects.count()) == before
    assert lab.service.controller.by_interaction == {}
    other = Interaction.objects.filter(tenant=lab.tenants.home, channel="voice").first()
    assert desk.get(f"/voice/dial/{other.pk}/").status_code == 409  # not their outbound call
