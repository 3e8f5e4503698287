"""A customer calls, the menu answers, they press 2, wait with hold music, an agent's phone
rings while the desk shows the offer, the agent answers and they talk; then they hang up."""

from __future__ import annotations

import time
import wave
from typing import Any

import pytest

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.peers import Sipp

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    # sippy 2.5.0 probes IPv6 with a socket it never closes (SipTransactionManager.__init__)
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

CALLER = "+989121110001"


def _wait_for(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _register_agent(lab: Any, username: str, phone_port: int) -> None:
    registration = Sipp(
        lab.workdir,
        f"register-{username}",
        scenarios.register(username, "pasokh-1405", phone_port),
        lab.ports.take(),
        lab.ports.take(),
        lab.sip,
    ).start()
    assert registration.wait(15) == 0, registration.explain()


def test_a_call_goes_through_the_menu_and_the_queue_to_an_agents_phone(voice_lab: Any) -> None:
    from pasokh.contacts.actions import do_find_or_create_contact
    from pasokh.desk.queues import registry
    from pasokh.desk.snapshot import agent_snapshot
    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    tenant = lab.tenants.home
    agent = lab.tenants.user("agent5")  # support queue, phone extension 205
    contact = do_find_or_create_contact(
        tenant=tenant, kind="phone", value=CALLER, first_name="مریم"
    )
    contact.last_name = "احمدی"
    contact.save(update_fields=["last_name"])

    phone_port = lab.ports.take()
    phone = Sipp(
        lab.workdir,
        "agent-phone",
        scenarios.agent_phone(ring_ms=1500, answer=True),
        phone_port,
        lab.ports.take(),
    ).start()
    try:
        _register_agent(lab, "205", phone_port)
    except BaseException:
        phone.stop()
        raise
    do_set_agent_state(agent, "ready")
    desk = registry.register(tenant.pk, agent.pk, "agent")  # the agent's open desk

    customer = Sipp(
        lab.workdir,
        "customer",
        scenarios.customer(
            demo_number(tenant),
            CALLER,
            steps=[
                ("pause", 2500),
                ("digit", "2"),
                ("pause", 6000),
                ("voice", None),
                ("pause", 4000),
            ],
        ),
        lab.ports.take(),
        lab.ports.take(),
        lab.sip,
        extra=("-rtp_echo",),
    ).start()
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.RINGING).first(), 15, "the agent's ring"
        )
        snapshot = agent_snapshot(agent)
        offers = snapshot["offers"]
        assert [o["customer"] for o in offers] == ["مریم احمدی"], snapshot
        pushed = [event for _, event in desk.events if event.get("name") == "interaction.offered"]
        assert [e["interaction_id"] for e in pushed] == [offers[0]["interaction_id"]]
        assert customer.wait(40) == 0, customer.explain()
        assert phone.wait(10) == 0, phone.explain()
    finally:
        customer.stop()
        phone.stop()

    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 10, "the end"
    )
    assert call.digits == "2"
    assert call.end_reason == Call.EndReason.CUSTOMER_HANGUP
    assert call.caller == CALLER
    stats = call.media_stats
    print(
        "media packets received by rtpengine per side:",
        stats,
        "recording s:",
        call.recording_seconds,
    )
    assert stats["at_digit"]["customer"] > 50, stats  # the prompt, echoed back by the customer
    assert stats["at_end"]["agent"] > 100, stats  # the agent spoke
    assert stats["at_end"]["customer"] - stats["at_answer"]["customer"] > 100, stats
    connected = (call.ended_at - call.answered_at).total_seconds()
    assert call.recording.name.endswith(".wav")
    assert abs(call.recording_seconds - connected) < 1.5, (call.recording_seconds, connected)
    with wave.open(call.recording.path) as audio:
        assert audio.getframerate() == 8000
        assert audio.getnframes() == round(call.recording_seconds * 8000)
    legs = {leg.side: leg for leg in call.legs.all()}
    assert legs[CallLeg.Side.AGENT].agent_id == agent.pk
    assert legs[CallLeg.Side.AGENT].state == CallLeg.State.ENDED
    interaction = _wait_for(
        lambda: Interaction.objects.filter(
            pk=call.interaction_id,
            status__in=(Interaction.Status.WRAP_UP, Interaction.Status.ENDED),
        ).first(),
        10,
        "wrap-up",
    )
    assert interaction.channel == "voice"
    assert interaction.contact_id == contact.pk
    assert interaction.agent_id == agent.pk
    assert interaction.answered_at is not None
    assert interaction.ended_at is not None
    assert call.queued_at is not None
    assert call.answered_at is not None
    assert 1.0 < (interaction.answered_at - interaction.arrived_at).total_seconds() < 15
