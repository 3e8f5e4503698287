"""The issue's acceptance test: a customer calls, hears the menu, presses 2, waits with hold
music; an agent's phone rings while the desk shows the offer with the caller's name; the agent
answers and they talk; the agent transfers the call warm to a second agent, whose phone rings
and answers, the customer's media joins the second agent and the first agent's phone gets BYE;
the second agent talks and hangs up. Then: the recording, the interaction, its queue times and
the disposition. And a blind transfer to a queue."""

from __future__ import annotations

import wave
from typing import Any

import pytest

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

# g711a.pcap, what each sipp phone says after answering: 236 packets over 7.05 s.
SPOKEN_PACKETS = 236


def _named_caller(tenant: Any) -> Any:
    from pasokh.contacts.actions import do_find_or_create_contact

    contact = do_find_or_create_contact(
        tenant=tenant, kind="phone", value=CALLER, first_name="مریم"
    )
    contact.last_name = "احمدی"
    contact.save(update_fields=["last_name"])
    return contact


def _offered(desk: Any, kind: str) -> list[str]:
    return [
        event["interaction_id"]
        for _, event in desk.events
        if event.get("name") == "interaction.offered" and event.get("kind") == kind
    ]


def test_a_call_is_answered_then_handed_warm_to_a_second_agent_who_talks_and_hangs_up(
    voice_lab: Any,
) -> None:
    from pasokh.desk import commands as desk_commands
    from pasokh.desk.queues import registry
    from pasokh.desk.snapshot import agent_snapshot
    from pasokh.interactions.actions import do_set_disposition
    from pasokh.interactions.models import DispositionCode, Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.router.runtime_models import RoutingEvent
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    tenant = lab.tenants.home
    first = lab.tenants.user("agent5")  # support queue, extension 205
    second = lab.tenants.user("agent6")  # support queue, extension 206
    contact = _named_caller(tenant)

    phone_a = agent_phone(lab, "205", ring_ms=1500)  # waits for the service's BYE
    # B's phone rings 4 s: time to read B's desk while the consult offer is live.
    phone_b = agent_phone(lab, "206", ring_ms=4000, hang_up_after_ms=8000)
    desk_a = registry.register(tenant.pk, first.pk, "agent")
    desk_b = registry.register(tenant.pk, second.pk, "agent")
    do_set_agent_state(first, "ready")  # the second agent is signed out: the call is A's
    caller = customer(lab, demo_number(tenant), CALLER, [("pause", 2500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.RINGING).first(), 20, "A's phone to ring"
        )
        offers = agent_snapshot(first)["offers"]
        assert [o["customer"] for o in offers] == ["مریم احمدی"], offers
        assert _offered(desk_a, "queue") == [offers[0]["interaction_id"]]
        iid = offers[0]["interaction_id"]
        _wait_for(
            lambda: Call.objects.filter(pk=call.pk, state=Call.State.CONNECTED).exists(),
            20,
            "A to answer",
        )
        _wait_for(lambda: packets(lab, call.media_id).get("agent", 0) > 50, 20, "A to speak")

        do_set_agent_state(second, "ready")
        desk_commands.transfer(first, {"interaction_id": iid, "agent": second.pk, "warm": True})
        consult = _wait_for(lambda: agent_snapshot(second)["offers"], 15, "B's desk offer")
        assert [(o["kind"], o["customer"]) for o in consult] == [("consult", "مریم احمدی")]
        assert _offered(desk_b, "consult") == [iid]
        assert phone_a.sipp.wait(30) == 0, phone_a.sipp.explain()  # A's phone got BYE
        legs = _wait_for(
            lambda: CallLeg.objects.filter(
                call=call, agent=second, state=CallLeg.State.ANSWERED
            ).first(),
            10,
            "B's leg answered",
        )
        assert legs.answered_at is not None
        assert agent_side_endpoint(lab, call.media_id) == phone_b.media_port
        assert caller.wait(40) == 0, caller.explain()  # B hung up: the customer got BYE
        assert phone_b.sipp.wait(20) == 0, phone_b.sipp.explain()
    finally:
        caller.stop()
        phone_a.sipp.stop()
        phone_b.sipp.stop()

    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    assert call.digits == "2"
    assert call.end_reason == Call.EndReason.AGENT_HANGUP
    stats = call.media_stats
    print("media packets received by rtpengine per side:", stats, "recording s:",
          call.recording_seconds)  # fmt: skip
    assert stats["at_digit"]["customer"] > 50, stats  # the menu prompt, echoed back
    # 1.5 s of ringing after the digit: hold music, echoed back
    assert stats["at_answer"]["customer"] - stats["at_digit"]["customer"] > 25, stats
    first_spoke = stats["at_transfer"]["agent"] - stats["at_answer"]["agent"]
    second_spoke = stats["at_end"]["agent"] - stats["at_transfer"]["agent"]
    customer_heard_second = stats["at_end"]["customer"] - stats["at_transfer"]["customer"]
    assert first_spoke > 50, stats
    assert second_spoke > 0.8 * SPOKEN_PACKETS, stats  # all of it: B hangs up after speaking
    assert customer_heard_second > 0.8 * SPOKEN_PACKETS, stats  # B's voice, echoed back

    connected = (call.ended_at - call.answered_at).total_seconds()
    assert call.recording.name.endswith(".wav")
    # Never longer than the talk; shorter by what the controller took to start recording
    # after the answer (under load on 2 shared cores: up to about 1.5 s, measured).
    spans = (call.recording_seconds, connected)
    assert connected - 2.5 < call.recording_seconds <= connected + 0.5, spans
    with wave.open(call.recording.path) as audio:
        assert audio.getnframes() == round(call.recording_seconds * 8000)

    agent_legs = list(call.legs.filter(side=CallLeg.Side.AGENT).order_by("started_at"))
    assert [leg.agent_id for leg in agent_legs] == [first.pk, second.pk]
    assert [leg.state for leg in agent_legs] == [CallLeg.State.ENDED] * 2
    assert agent_legs[0].ended_at <= agent_legs[1].answered_at + _slack()
    assert agent_legs[0].answered_at < agent_legs[1].answered_at

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
    assert interaction.agent_id == second.pk
    assert call.queued_at is not None
    assert 1.0 < (interaction.answered_at - interaction.arrived_at).total_seconds() < 20
    assert interaction.ended_at >= agent_legs[1].answered_at
    wrap_ups = set(
        RoutingEvent.objects.filter(name="wrapup.started", interaction_id=iid).values_list(
            "agent_id", flat=True
        )
    )
    assert wrap_ups == {str(first.pk), str(second.pk)}

    code = DispositionCode.objects.filter(tenant=tenant, is_active=True).first()
    assert code is not None
    do_set_disposition(interaction=interaction, disposition=code)
    assert Interaction.objects.get(pk=interaction.pk).disposition_id == code.pk
    assert lab.service.controller.sessions == {}


def _slack() -> Any:
    from datetime import timedelta

    return timedelta(seconds=1)


def test_a_blind_transfer_to_a_queue_lets_the_agent_go_and_rings_the_next_agent(
    voice_lab: Any,
) -> None:
    from pasokh.desk import commands as desk_commands
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    tenant = lab.tenants.home
    first = lab.tenants.user("agent5")
    second = lab.tenants.user("agent6")
    phone_a = agent_phone(lab, "205", ring_ms=500)
    phone_b = agent_phone(lab, "206", ring_ms=500, hang_up_after_ms=8000)
    do_set_agent_state(first, "ready")
    caller = customer(lab, demo_number(tenant), CALLER, [("pause", 2500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "A to answer"
        )
        _wait_for(lambda: packets(lab, call.media_id).get("agent", 0) > 30, 20, "A to speak")
        iid = str(call.interaction_id)
        desk_commands.transfer(first, {"interaction_id": iid, "queue": "support"})
        assert phone_a.sipp.wait(20) == 0, phone_a.sipp.explain()  # A's phone got BYE
        _wait_for(
            lambda: Call.objects.filter(pk=call.pk, state=Call.State.QUEUED).exists(),
            10,
            "the customer back in the queue",
        )
        on_hold = packets(lab, call.media_id)["customer"]
        _wait_for(  # hold music again, echoed back by the customer
            lambda: packets(lab, call.media_id)["customer"] > on_hold + 50, 15, "hold music"
        )
        do_set_agent_state(second, "ready")
        assert caller.wait(45) == 0, caller.explain()  # B talked, then hung up
        assert phone_b.sipp.wait(20) == 0, phone_b.sipp.explain()
    finally:
        caller.stop()
        phone_a.sipp.stop()
        phone_b.sipp.stop()
    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    legs = list(call.legs.filter(side=CallLeg.Side.AGENT).order_by("started_at"))
    assert [(leg.agent_id, leg.state) for leg in legs] == [
        (first.pk, CallLeg.State.ENDED),
        (second.pk, CallLeg.State.ENDED),
    ]
    assert all(leg.answered_at is not None for leg in legs)
    stats = call.media_stats
    print("blind transfer, packets per side:", stats)
    assert stats["at_end"]["agent"] - stats["at_transfer"]["agent"] > 0.8 * SPOKEN_PACKETS, stats
    assert call.interaction.agent_id == second.pk
    assert lab.service.controller.sessions == {}


def test_when_the_consulted_phone_is_busy_the_first_agent_keeps_talking_to_the_customer(
    voice_lab: Any,
) -> None:
    from pasokh.desk import commands as desk_commands
    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.router.runtime_models import RoutingEvent
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    first = lab.tenants.user("agent5")
    second = lab.tenants.user("agent6")
    phone_a = agent_phone(lab, "205", ring_ms=500)
    phone_b = agent_phone(lab, "206", ring_ms=1000, busy=True)
    do_set_agent_state(first, "ready")
    caller = customer(lab, demo_number(lab.tenants.home), CALLER, [("pause", 2500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "A to answer"
        )
        iid = str(call.interaction_id)
        _wait_for(lambda: packets(lab, call.media_id).get("agent", 0) > 30, 20, "A to speak")
        do_set_agent_state(second, "ready")
        desk_commands.transfer(first, {"interaction_id": iid, "agent": second.pk, "warm": True})
        assert phone_b.sipp.wait(20) == 0, phone_b.sipp.explain()  # rang, said 486
        refused = _wait_for(
            lambda: CallLeg.objects.filter(
                call=call, agent=second, state=CallLeg.State.FAILED
            ).first(),
            10,
            "B's leg to fail",
        )
        assert refused.status_code == 486
        _wait_for(
            lambda: RoutingEvent.objects.filter(
                name="offer.rejected", interaction_id=iid, agent_id=str(second.pk)
            ).exists(),
            10,
            "routing to take the refusal",
        )
        # The first agent still talks to the customer: their voice keeps reaching rtpengine.
        heard = packets(lab, call.media_id)["agent"]
        _wait_for(lambda: packets(lab, call.media_id)["agent"] > heard + 20, 10, "A's voice")
        assert Call.objects.get(pk=call.pk).state == Call.State.CONNECTED
        assert Interaction.objects.get(pk=iid).agent_id == first.pk
        desk_commands.end(first, {"interaction_id": iid})
        assert caller.wait(20) == 0, caller.explain()
        assert phone_a.sipp.wait(20) == 0, phone_a.sipp.explain()
    finally:
        caller.stop()
        phone_a.sipp.stop()
        phone_b.sipp.stop()
    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    assert call.end_reason == Call.EndReason.ROUTING_ENDED
    assert "at_transfer" not in call.media_stats
    assert lab.service.controller.sessions == {}


def test_a_consult_accepted_on_the_desk_is_handed_over_when_the_phone_answers(
    voice_lab: Any,
) -> None:
    from pasokh.desk import commands as desk_commands
    from pasokh.desk.queues import registry
    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, CallLeg

    lab = voice_lab
    tenant = lab.tenants.home
    first = lab.tenants.user("agent5")
    second = lab.tenants.user("agent6")
    phone_a = agent_phone(lab, "205", ring_ms=500)
    # A long ring: the agent clicks Accept on the desk first (routing hands the call over).
    phone_b = agent_phone(lab, "206", ring_ms=8000, hang_up_after_ms=8000)
    desk_b = registry.register(tenant.pk, second.pk, "agent")
    do_set_agent_state(first, "ready")
    caller = customer(lab, demo_number(tenant), CALLER, [("pause", 2500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "A to answer"
        )
        iid = str(call.interaction_id)
        do_set_agent_state(second, "ready")
        desk_commands.transfer(first, {"interaction_id": iid, "agent": second.pk, "warm": True})
        offered = _wait_for(
            lambda: [
                event
                for _, event in desk_b.events
                if event.get("name") == "interaction.offered" and event.get("kind") == "consult"
            ],
            15,
            "B's consult offer",
        )
        desk_commands.accept(second, {"offer_id": offered[0]["offer_id"]})
        _wait_for(lambda: Interaction.objects.filter(pk=iid, agent=second).exists(), 10, "routing")
        assert phone_a.sipp.wait(30) == 0, phone_a.sipp.explain()  # BYE once B's phone answered
        assert caller.wait(40) == 0, caller.explain()  # B talked, then hung up
        assert phone_b.sipp.wait(20) == 0, phone_b.sipp.explain()
    finally:
        caller.stop()
        phone_a.sipp.stop()
        phone_b.sipp.stop()
    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    assert call.end_reason == Call.EndReason.AGENT_HANGUP
    legs = list(call.legs.filter(side=CallLeg.Side.AGENT).order_by("started_at"))
    assert [leg.agent_id for leg in legs] == [first.pk, second.pk]
    assert all(leg.answered_at is not None for leg in legs)
    stats = call.media_stats
    assert stats["at_end"]["agent"] - stats["at_transfer"]["agent"] > 0.8 * SPOKEN_PACKETS, stats
    assert lab.service.controller.sessions == {}
