"""A connected call sent from the desk to an external number through the tenant's trunk.

A customer (sipp, RTP echo) reaches agent5's desk phone through the menu. The agent transfers
the call to a number whose far end (sipp on the trunk's address) is busy: the customer hears
hold music meanwhile, then the call is the agent's again. Then to a number that answers: the
agent's phone gets BYE, routing sends the agent to wrap-up, rtpengine's agent side now points
at the far end's port, the far end speaks and hangs up, and the customer gets BYE."""

from __future__ import annotations

from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.phones import agent_phone, agent_side_endpoint, customer, packets
from pasokh.voice.tests.test_call_flow import CALLER, _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

NUMBER = "۰۹۱۲ ۱۱۱ ۰۰۷۷"  # typed in Persian digits
CALLED = "+989121110077"


def _far_end(lab: Any, name: str, scenario: str) -> Sipp:
    """The number's phone behind the trunk: a sipp UAS on the trunk's address. It does not
    echo (the customer does): two echoing ends would bounce every packet between them."""
    from pasokh.voice.models import SipTrunk

    port = lab.ports.take()
    SipTrunk.objects.filter(tenant=lab.tenants.home).update(host="127.0.0.1", port=port)
    return Sipp(lab.workdir, name, scenario, port, lab.ports.take()).start()


def test_the_agent_sends_the_call_to_a_number_busy_first_then_answering(voice_lab: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    agent = lab.tenants.user("agent5")
    desk = Client()
    desk.force_login(agent)
    colleague = Client()
    colleague.force_login(lab.tenants.user("agent6"))
    phone = agent_phone(lab, "205", ring_ms=500)
    do_set_agent_state(agent, "ready")
    caller = customer(lab, demo_number(lab.tenants.home), CALLER, [("pause", 2500), ("digit", "2")])
    busy = answering = None
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "the answer"
        )
        iid = int(call.interaction_id)
        state_url = reverse("voice:call_state", args=[iid])
        forward = reverse("voice:call_control", args=[iid, "forward"])
        assert colleague.post(forward, {"number": CALLED}).status_code == 409  # not theirs
        assert desk.post(forward, {"number": "12ab"}).status_code == 409

        busy = _far_end(lab, "busy-number", scenarios.busy_phone(ring_ms=1000))
        sent = desk.post(forward, {"number": NUMBER}).json()
        assert sent == {"ok": True, "transfer": "ringing", "number": CALLED}
        _wait_for(
            lambda: Call.objects.filter(pk=call.pk, state=Call.State.ON_HOLD).exists(),
            10,
            "hold music while the number rings",
        )
        refused = _wait_for(
            lambda: (s := desk.get(state_url).json()).get("transfer") == "failed" and s,
            20,
            "the busy number",
        )
        assert refused["on_hold"] is False
        assert refused["transfer_message"] == "خط این شماره اشغال است؛ تماس دوباره با شماست."
        assert busy.wait(10) == 0, busy.explain()
        assert Interaction.objects.get(pk=iid).status == Interaction.Status.ACTIVE  # still theirs

        answering = _far_end(
            lab,
            "answering-number",
            scenarios.agent_phone(ring_ms=1000, answer=True, hang_up_after_ms=5000),
        )
        assert desk.post(forward, {"number": CALLED}).json()["transfer"] == "ringing"
        assert phone.sipp.wait(20) == 0, phone.sipp.explain()  # the agent's phone got BYE
        _wait_for(
            lambda: agent_side_endpoint(lab, call.media_id) == answering.media_port,
            10,
            "rtpengine to send the customer to the number",
        )
        assert desk.get(state_url).status_code == 409  # no longer the agent's call
        handed = packets(lab, call.media_id)
        _wait_for(
            lambda: packets(lab, call.media_id)["agent"] > handed["agent"] + 100,
            15,
            "the number's voice",
        )
        assert caller.wait(30) == 0, caller.explain()  # the number hung up: the customer too
        assert answering.wait(15) == 0, answering.explain()
    finally:
        for peer in (caller, phone.sipp, busy, answering):
            if peer is not None:
                peer.stop()
    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    print("transfer to a number, packets per side:", call.media_stats)
    assert call.end_reason == Call.EndReason.AGENT_HANGUP  # the other side of the call hung up
    legs = list(call.legs.filter(side=CallLeg.Side.AGENT).order_by("pk"))
    assert [leg.agent_id for leg in legs] == [agent.pk, None, None]
    assert [leg.status_code for leg in legs[1:]] == [486, 200]
    interaction = Interaction.objects.get(pk=iid)
    assert interaction.agent_id == agent.pk
    assert interaction.status in (Interaction.Status.WRAP_UP, Interaction.Status.ENDED)
    stats = call.media_stats
    # The number's voice (236 packets) reached the customer, whose echo came back; no more.
    assert 100 < stats["at_end"]["customer"] - stats["at_transfer"]["customer"] < 400, stats
    assert 100 < stats["at_end"]["agent"] - stats["at_transfer"]["agent"] < 400, stats
    assert lab.service.controller.sessions == {}
