"""The voice service as a process of its own (``pasokh voice``) hears routing from the router's
event log, not the in-process bus: an offer made by a command it did not submit (an agent
turning ready on a desk served by another process) still rings the agent's phone."""

from __future__ import annotations

import time
from typing import Any

import pytest

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


def test_a_waiting_caller_reaches_an_agent_who_turns_ready_elsewhere(
    voice_lab_from_log: Any,
) -> None:
    from pasokh.desk import commands as desk_commands
    from pasokh.interactions.models import Interaction
    from pasokh.router import bus
    from pasokh.router.actions import do_set_agent_state
    from pasokh.router.runtime_models import EntryStatus, QueueEntry
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call

    lab = voice_lab_from_log
    controller = lab.service.controller
    # Nothing reaches the controller by the bus: it is not subscribed.
    assert controller.on_routing_event not in bus._subscribers
    agent = lab.tenants.user("agent5")
    phone = agent_phone(lab, "205", ring_ms=300)
    caller = customer(lab, demo_number(lab.tenants.home), CALLER, [("pause", 1500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.QUEUED).first(), 20, "the queue"
        )
        entry = _wait_for(
            lambda: QueueEntry.objects.filter(
                interaction_id=str(call.interaction_id), status=EntryStatus.WAITING
            ).first(),
            10,
            "the queue entry",
        )
        time.sleep(1.0)  # no agent is ready: the caller waits (with music)
        assert Call.objects.get(pk=call.pk).state == Call.State.QUEUED
        # The agent turns ready: the offer is made by this command, which the voice service
        # did not submit and whose events it hears only through the log.
        do_set_agent_state(agent, "ready")
        connected = _wait_for(
            lambda: Call.objects.filter(pk=call.pk, state=Call.State.CONNECTED).first(),
            20,
            "the agent's answer",
        )
        assert connected.interaction_id == int(entry.interaction_id)
        _wait_for(lambda: min(packets(lab, call.media_id).values()) > 50, 15, "audio both ways")
        # The desk's hang-up (another process's command too): both phones get BYE.
        desk_commands.end(agent, {"interaction_id": str(call.interaction_id)})
        assert caller.wait(20) == 0, caller.explain()
        assert phone.sipp.wait(20) == 0, phone.sipp.explain()
    finally:
        caller.stop()
        phone.sipp.stop()
    ended = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    assert ended.end_reason == Call.EndReason.ROUTING_ENDED
    interaction = Interaction.objects.get(pk=call.interaction_id)
    assert interaction.agent_id == agent.pk
    assert interaction.status in (Interaction.Status.WRAP_UP, Interaction.Status.ENDED)
    assert controller.sessions == {}
    # The reactor's liveness probe beat all along (watchdog.py) and saw no stall.
    assert time.monotonic() - lab.service.watch.last_beat < 3
    assert lab.service.watch.stalls == 0
    routing_log = controller._routing_log
    assert routing_log is not None
    assert routing_log.cursors[lab.tenants.home.pk] > 0


@pytest.mark.django_db
def test_the_log_is_read_once_in_order_per_tenant_from_the_services_start(tenants: Any) -> None:
    from datetime import UTC, datetime

    from django.utils import timezone

    from pasokh.router.runtime_models import RoutingEvent
    from pasokh.router.serialize import event_to_dict
    from pasokh.routing.events import InteractionOffered, OfferExpired
    from pasokh.voice.models import PhoneNumber
    from pasokh.voice.routing_log import RoutingLog

    home, other = tenants.home, tenants.other
    # Both demo businesses answer the phone: the log reads both tenants' events.
    assert {home.pk, other.pk} <= set(PhoneNumber.objects.values_list("tenant_id", flat=True))
    expires = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)

    def logged(tenant: Any, event: Any) -> RoutingEvent:
        return RoutingEvent.objects.create(
            tenant=tenant,
            name=event.name,
            interaction_id=event.interaction_id,
            agent_id=event.agent_id,
            payload=event_to_dict(event),
            at=timezone.now(),
        )

    def offered(interaction_id: str) -> InteractionOffered:
        return InteractionOffered(interaction_id, "7", "support", 1, expires)

    logged(home, offered("1"))  # before the service started: history, not delivered
    heard: list[tuple[int, str, str]] = []
    routing_log = RoutingLog(
        lambda tenant_id, event: heard.append((tenant_id, event.name, event.interaction_id)),
        wanted=lambda name, interaction_id: interaction_id != "99",
    )
    routing_log.begin()
    logged(home, offered("2"))
    logged(other, offered("3"))
    logged(home, OfferExpired("2", "7", 1))
    logged(home, offered("99"))  # not wanted: read past, not decoded
    broken = logged(home, offered("4"))
    RoutingEvent.objects.filter(pk=broken.pk).update(payload={"name": "no.such.event"})
    logged(home, offered("5"))
    assert routing_log.poll() is False
    assert heard == [
        (home.pk, "interaction.offered", "2"),
        (home.pk, "offer.expired", "2"),
        (home.pk, "interaction.offered", "5"),
        (other.pk, "interaction.offered", "3"),
    ]
    assert routing_log.poll() is False
    assert len(heard) == 4  # nothing twice
    logged(other, offered("6"))
    routing_log.poll()
    assert heard[-1] == (other.pk, "interaction.offered", "6")
