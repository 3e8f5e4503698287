"""What must not crash the voice service or leak a call: unknown numbers, malformed SIP,
calls outside business hours, a customer hanging up while the agent's phone rings."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from pasokh.voice import sipstack
from pasokh.voice.tests import scenarios
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.test_call_flow import CALLER, _register_agent, _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]


def _customer(lab: Any, scenario: str, name: str = "customer") -> Sipp:
    return Sipp(
        lab.workdir,
        name,
        scenario,
        lab.ports.take(),
        lab.ports.take(),
        lab.sip,
        extra=("-rtp_echo",),
    ).start()


def _options_answered(lab: Any) -> bool:
    """The service still answers: an OPTIONS request gets 200."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        probe.settimeout(2)
        port = probe.getsockname()[1]
        probe.sendto(
            (
                f"OPTIONS sip:{lab.sip[0]}:{lab.sip[1]} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-probe{port}\r\n"
                f"From: <sip:probe@127.0.0.1:{port}>;tag=probe\r\n"
                f"To: <sip:{lab.sip[0]}:{lab.sip[1]}>\r\n"
                f"Call-ID: probe-{port}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                "Content-Length: 0\r\n\r\n"
            ).encode(),
            lab.sip,
        )
        answer = probe.recv(4000).decode(errors="replace")
    return answer.startswith("SIP/2.0 200")


def test_a_call_to_an_unknown_number_is_refused_and_leaves_no_call(voice_lab: Any) -> None:
    from pasokh.voice.models import Call

    customer = _customer(
        voice_lab, scenarios.customer("+982100000000", CALLER, steps=[], expect="404")
    )
    assert customer.wait(20) == 0, customer.explain()
    assert Call.objects.count() == Call.objects.filter(media_id__startswith="demo-").count()
    assert voice_lab.service.controller.sessions == {}


def test_malformed_sip_is_dropped_and_the_service_keeps_answering(voice_lab: Any) -> None:
    garbage = [
        b"\x00\x01\x02 not sip at all",
        b"INVITE sip:broken SIP/2.0\r\nVia: nonsense\r\n\r\n",
        b"INVITE sip:+98219100@127.0.0.1 SIP/2.0\r\nContent-Length: 99999\r\n\r\nv=0",
        b"SIP/2.0 200 OK\r\nCSeq: banana\r\n\r\n",
        b"REGISTER sip:127.0.0.1 SIP/2.0\r\nAuthorization: Digest ,,,,\r\n\r\n",
        bytes([0x80, 0x08, 0x12, 0x34]) + bytes(range(128, 256)),  # RTP sent to the SIP port
    ]
    unparsed = sipstack.unparsable.count
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        for datagram in garbage:
            sender.sendto(datagram, voice_lab.sip)
    assert _options_answered(voice_lab)  # (after the garbage: one receiving thread, in order)
    assert voice_lab.service.sip_config["_sip_tm"].not_sip.count == 1
    assert sipstack.unparsable.count > unparsed  # logged, throttled (not a traceback each)


def test_outside_business_hours_the_caller_hears_the_closed_message_and_leaves_a_voicemail(
    voice_lab: Any,
) -> None:
    from pasokh.interactions.models import Interaction
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call

    voice_lab.close_today()
    customer = _customer(
        voice_lab,
        scenarios.customer(
            demo_number(voice_lab.tenants.home),
            CALLER,
            steps=[("pause", 9000), ("voice", None), ("pause", 5000)],
        ),
    )
    assert customer.wait(40) == 0, customer.explain()
    call = _wait_for(
        lambda: Call.objects.filter(caller=CALLER, interaction__isnull=False).first(),
        10,
        "the voicemail",
    )
    assert call.state == Call.State.ENDED
    assert call.end_reason == Call.EndReason.CUSTOMER_HANGUP
    assert call.media_stats["at_end"]["customer"] > 100, call.media_stats  # message + echo
    assert call.recording.name.endswith(".wav")
    assert 2.0 < call.recording_seconds < 8.0, call.recording_seconds
    voicemail = Interaction.objects.get(pk=call.interaction_id)
    assert voicemail.queue.code == "support"
    assert voicemail.channel == "voice"
    assert voicemail.subject.endswith(CALLER)


def test_the_menu_repeats_and_then_says_goodbye_when_no_digit_comes(voice_lab: Any) -> None:
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, IvrMenu

    IvrMenu.objects.filter(tenant=voice_lab.tenants.home).update(timeout_s=1, max_attempts=2)
    customer = _customer(
        voice_lab,
        scenarios.customer_hangs_up_by_server(
            demo_number(voice_lab.tenants.home), CALLER, steps=[("digit", "7")]
        ),
    )
    assert customer.wait(60) == 0, customer.explain()
    call = _wait_for(
        lambda: Call.objects.filter(caller=CALLER, state=Call.State.ENDED).first(), 10, "the end"
    )
    assert call.end_reason == Call.EndReason.NO_INPUT
    assert call.digits == "7"  # an invalid choice: the menu was played again


def test_a_customer_hanging_up_while_the_agent_rings_cancels_the_agents_phone(
    voice_lab: Any,
) -> None:
    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    agent = lab.tenants.user("agent5")
    phone_port = lab.ports.take()
    phone = Sipp(
        lab.workdir,
        "agent-phone",
        scenarios.agent_phone(ring_ms=0, answer=False),
        phone_port,
        lab.ports.take(),
    ).start()
    try:
        _register_agent(lab, "205", phone_port)
        do_set_agent_state(agent, "ready")
        customer = _customer(
            lab,
            scenarios.customer(
                demo_number(lab.tenants.home),
                CALLER,
                steps=[("pause", 2500), ("digit", "2"), ("pause", 4000)],
            ),
        )
        assert customer.wait(40) == 0, customer.explain()
        assert phone.wait(15) == 0, phone.explain()  # it got the CANCEL and answered 487
    finally:
        phone.stop()
    call = _wait_for(
        lambda: Call.objects.filter(caller=CALLER, state=Call.State.ENDED).first(), 10, "the end"
    )
    assert call.end_reason == Call.EndReason.CUSTOMER_HANGUP
    leg = call.legs.get(side=CallLeg.Side.AGENT)
    assert leg.agent_id == agent.pk
    assert leg.answered_at is None
    assert leg.ended_at is not None
    interaction = _wait_for(
        lambda: Interaction.objects.filter(
            pk=call.interaction_id, status=Interaction.Status.ABANDONED
        ).first(),
        10,
        "the abandon",
    )
    assert interaction.agent_id is None
    assert lab.service.controller.sessions == {}


def test_a_re_invite_while_waiting_is_answered_and_the_call_goes_on(voice_lab: Any) -> None:
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call

    customer = _customer(
        voice_lab,
        scenarios.customer(
            demo_number(voice_lab.tenants.home),
            CALLER,
            steps=[
                ("pause", 2500),
                ("digit", "2"),
                ("pause", 1500),
                ("reinvite", 2),
                ("pause", 1500),
            ],
        ),
    )
    assert customer.wait(30) == 0, customer.explain()
    call = _wait_for(
        lambda: Call.objects.filter(caller=CALLER, state=Call.State.ENDED).first(), 10, "the end"
    )
    assert call.end_reason == Call.EndReason.CUSTOMER_HANGUP
    assert call.interaction is not None
    assert call.media_stats["at_end"]["customer"] > call.media_stats["at_digit"]["customer"]
    assert voice_lab.service.controller.sessions == {}


def test_the_voice_service_of_pasokh_run_says_so_when_rtpengine_is_missing(
    settings: Any, caplog: Any
) -> None:
    import asyncio

    from pasokh.voice.service import run
    from pasokh.voice.tests.peers import PortPool

    ports = PortPool()
    settings.PASOKH_VOICE_LISTEN = f"127.0.0.1:{ports.take()}"
    settings.PASOKH_VOICE_RTPENGINE = f"127.0.0.1:{ports.take()}"  # nothing listens there
    settings.PASOKH_VOICE_DTMF_LISTEN = f"127.0.0.1:{ports.take()}"
    with caplog.at_level("ERROR", logger="pasokh.voice"):
        asyncio.run(asyncio.wait_for(run(), 10))
    assert "rtpengine does not answer" in caplog.text


def test_a_waiting_caller_who_presses_1_keeps_their_place_as_a_callback(voice_lab: Any) -> None:
    from pasokh.router.models import QueueEntry
    from pasokh.router.runtime_models import EntryStatus
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call

    customer = _customer(
        voice_lab,
        scenarios.customer_hangs_up_by_server(
            demo_number(voice_lab.tenants.home),
            CALLER,
            steps=[("pause", 2500), ("digit", "2"), ("pause", 2000), ("digit", "1")],
        ),
    )
    assert customer.wait(40) == 0, customer.explain()  # the service said goodbye and hung up
    call = _wait_for(
        lambda: Call.objects.filter(caller=CALLER, state=Call.State.ENDED).first(), 10, "the end"
    )
    assert call.end_reason == Call.EndReason.CALLBACK
    assert call.digits == "2"
    entry = QueueEntry.objects.get(interaction_id=str(call.interaction_id))
    assert entry.status != EntryStatus.FINAL  # still waiting, with its arrival time
    assert entry.channel == "callback"
    assert entry.arrived_at <= call.queued_at
    assert voice_lab.service.controller.sessions == {}


def test_when_the_callback_reaches_an_agent_their_phone_rings_then_the_customer_is_dialled(
    voice_lab: Any,
) -> None:
    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_end_interaction, do_set_agent_state
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg, PhoneNumber

    lab = voice_lab
    number = demo_number(lab.tenants.home)
    first = _customer(
        lab,
        scenarios.customer_hangs_up_by_server(
            number, CALLER, steps=[("pause", 2500), ("digit", "2"), ("pause", 2000), ("digit", "1")]
        ),
    )
    assert first.wait(40) == 0, first.explain()
    asked = _wait_for(
        lambda: Call.objects.filter(end_reason=Call.EndReason.CALLBACK).first(), 10, "callback"
    )

    customer_port = lab.ports.take()
    trunk = PhoneNumber.objects.get(number=number).trunk
    trunk.host, trunk.port = "127.0.0.1", customer_port
    trunk.save(update_fields=["host", "port"])
    customer_phone = Sipp(
        lab.workdir,
        "customer-phone",
        scenarios.agent_phone(ring_ms=500, answer=True),
        customer_port,
        lab.ports.take(),
        extra=("-rtp_echo",),
    ).start()
    agent = lab.tenants.user("agent5")
    phone_port = lab.ports.take()
    agent_phone = Sipp(
        lab.workdir,
        "agent-phone",
        scenarios.agent_phone(ring_ms=500, answer=True),
        phone_port,
        lab.ports.take(),
    ).start()
    try:
        _register_agent(lab, "205", phone_port)
        do_set_agent_state(agent, "ready")
        callback = _wait_for(
            lambda: Call.objects.filter(
                interaction_id=asked.interaction_id, state=Call.State.CONNECTED
            ).first(),
            20,
            "the customer to answer the callback",
        )
        time.sleep(3)  # they talk
        do_end_interaction(agent, asked.interaction_id)  # the agent ends it from the desk
        assert customer_phone.wait(15) == 0, customer_phone.explain()
        assert agent_phone.wait(15) == 0, agent_phone.explain()
    finally:
        customer_phone.stop()
        agent_phone.stop()
    callback = _wait_for(
        lambda: Call.objects.filter(pk=callback.pk, state=Call.State.ENDED).first(), 10, "end"
    )
    assert callback.end_reason == Call.EndReason.ROUTING_ENDED
    sides = {leg.side: leg for leg in callback.legs.all()}
    assert sides[CallLeg.Side.AGENT].agent_id == agent.pk
    assert sides[CallLeg.Side.AGENT].answered_at <= sides[CallLeg.Side.CUSTOMER].answered_at
    stats = callback.media_stats["at_end"]
    assert stats["customer"] > 50, callback.media_stats
    assert stats["agent"] > 50, callback.media_stats
    interaction = Interaction.objects.get(pk=asked.interaction_id)
    assert interaction.agent_id == agent.pk
    assert lab.service.controller.sessions == {}
