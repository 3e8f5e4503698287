"""The router service: round trips persisted, rebuilds equal, publishing after commit."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from pasokh.router import bus, service
from pasokh.router.actions import (
    do_accept_offer,
    do_end_interaction,
    do_end_wrap_up,
    do_enqueue_interaction,
    do_reject_offer,
    do_reload_routing_config,
    do_set_agent_state,
    do_transfer_to_queue,
)
from pasokh.router.models import (
    AgentPresence,
    QueueEntry,
    RouterState,
    RoutingEvent,
    RoutingOffer,
)
from pasokh.router.serialize import event_from_dict
from pasokh.router.tests.floor import Floor, build_floor
from pasokh.routing import commands as c
from pasokh.routing.state import RoutingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor() -> Floor:
    service.reset_engines()
    return build_floor()


def chat(floor: Floor, number: int, channel: str = "chat") -> Any:
    return SimpleNamespace(
        pk=number, tenant_id=floor.tenant.pk, channel=channel, arrived_at=timezone.now()
    )


def names(events: list[Any]) -> list[str]:
    return [event.name for event in events]


def test_a_chat_goes_from_queue_to_offer_to_agent_to_wrap_up_and_every_step_is_persisted(
    floor: Floor,
) -> None:
    agent = floor.agents[0]
    do_set_agent_state(agent, "ready")
    events = do_enqueue_interaction(chat(floor, 501), "chat-sales", attributes={"tier": "gold"})
    assert names(events) == ["interaction.queued", "interaction.offered"]
    entry = QueueEntry.objects.get(interaction_id="501")
    assert (entry.status, entry.agent_id, entry.attributes) == ("offered", "", {"tier": "gold"})
    offer = RoutingOffer.objects.get(interaction_id="501")
    assert (offer.status, offer.agent_id) == ("live", str(agent.pk))
    assert AgentPresence.objects.get(agent_id=str(agent.pk)).load_chat == 1

    assert names(do_accept_offer(agent, offer.offer_id)) == [
        "offer.accepted",
        "interaction.assigned",
    ]
    entry.refresh_from_db()
    offer.refresh_from_db()
    assert (entry.status, entry.agent_id, offer.status) == ("assigned", str(agent.pk), "accepted")

    events = do_end_interaction(agent, 501)
    assert "wrapup.started" in names(events)
    presence = AgentPresence.objects.get(agent_id=str(agent.pk))
    assert (presence.state, presence.load_chat, list(presence.wrap_ups)) == ("wrap_up", 0, ["501"])
    entry.refresh_from_db()
    assert (entry.status, entry.final_state) == ("final", "completed")

    do_end_wrap_up(agent, 501)
    presence.refresh_from_db()
    assert (presence.state, presence.wrap_ups) == ("ready", {})
    logged = list(RoutingEvent.objects.filter(interaction_id="501").values_list("name", flat=True))
    assert logged == [
        "interaction.queued",
        "interaction.offered",
        "offer.accepted",
        "interaction.assigned",
        "interaction.ended",
        "wrapup.started",
        "wrapup.ended",
    ]


def test_the_event_log_payload_converts_back_to_the_same_typed_event(floor: Floor) -> None:
    do_set_agent_state(floor.agents[0], "ready")
    events = do_enqueue_interaction(chat(floor, 502), "chat-sales")
    stored = RoutingEvent.objects.filter(interaction_id="502").order_by("id")
    assert [event_from_dict(row.payload) for row in stored] == events


def test_a_rebuilt_engine_equals_the_engine_before_the_restart(floor: Floor) -> None:
    first, second, third = floor.agents
    do_set_agent_state(first, "ready")
    do_set_agent_state(second, "ready")
    do_set_agent_state(third, "not_ready", "lunch")
    for number in range(601, 609):
        do_enqueue_interaction(chat(floor, number), "chat-sales", priority=number % 3)
    do_enqueue_interaction(chat(floor, 609, "voice"), "voice-sales")
    offer = RoutingOffer.objects.filter(agent_id=str(first.pk), status="live").first()
    assert offer is not None
    do_accept_offer(first, offer.offer_id)
    do_end_interaction(first, offer.interaction_id)
    rejected = RoutingOffer.objects.filter(agent_id=str(second.pk), status="live").first()
    assert rejected is not None
    do_reject_offer(second, rejected.offer_id)
    before = service.engine_for(floor.tenant.pk).snapshot()

    service.reset_engines()  # the process died; a new one starts from the tables
    after = service.engine_for(floor.tenant.pk).snapshot()

    assert after == before
    assert len(after.interactions) == 8


def test_a_rebuilt_engine_answers_the_next_command_as_the_old_one_would_have(floor: Floor) -> None:
    agent = floor.agents[0]
    do_set_agent_state(agent, "ready")
    do_enqueue_interaction(chat(floor, 701), "chat-sales")
    service.reset_engines()
    offer = RoutingOffer.objects.get(interaction_id="701")
    assert names(do_accept_offer(agent, offer.offer_id)) == [
        "offer.accepted",
        "interaction.assigned",
    ]
    assert names(do_transfer_to_queue(agent, 701, "chat-sales"))[0] == "interaction.transferred"
    entry = QueueEntry.objects.get(interaction_id="701")
    assert entry.queue_code == "chat-sales"
    assert entry.status in ("waiting", "offered")


def test_a_refused_command_raises_routing_error_and_writes_nothing(floor: Floor) -> None:
    version = RouterState.objects.filter(tenant=floor.tenant).values_list("version", flat=True)
    before = (RoutingEvent.objects.count(), list(version))
    with pytest.raises(RoutingError) as refused:
        service.submit(floor.tenant.pk, c.EndInteraction("nobody"))
    assert refused.value.code == "unknown_interaction"
    assert (RoutingEvent.objects.count(), list(version)) == before


def test_offer_timeouts_are_driven_by_the_service_tick(floor: Floor) -> None:
    agent = floor.agents[0]
    do_set_agent_state(agent, "ready")
    do_enqueue_interaction(chat(floor, 801), "chat-sales")
    events = service.tick(floor.tenant.pk, now=timezone.now() + timedelta(seconds=25))
    assert "offer.expired" in names(events)
    assert RoutingOffer.objects.get(interaction_id="801", offer_id=1).status == "expired"


def test_events_are_published_to_subscribers_only_after_commit(
    floor: Floor, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[tuple[int, str]] = []

    def listener(tenant_id: int, event: Any) -> None:
        heard.append((tenant_id, event.name))

    bus.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            do_set_agent_state(floor.agents[0], "ready")
        assert heard == []
        for callback in callbacks:
            callback()
    finally:
        bus.unsubscribe(listener)
    assert (floor.tenant.pk, "agent.state_changed") in heard


def test_channel_messages_go_to_the_tenant_group_and_each_named_agent(floor: Floor) -> None:
    do_set_agent_state(floor.agents[0], "ready")
    events = do_enqueue_interaction(chat(floor, 901), "chat-sales")
    groups = [group for group, _ in bus.messages(floor.tenant.pk, events)]
    tenant_group = f"routing.t{floor.tenant.pk}"
    assert groups == [tenant_group, tenant_group, f"{tenant_group}.a{floor.agents[0].pk}"]
    message = bus.messages(floor.tenant.pk, events)[0][1]
    assert message["type"] == "routing.event"
    assert message["event"]["name"] == "interaction.queued"


def test_a_config_reload_brings_a_changed_queue_to_the_running_engine(floor: Floor) -> None:
    do_set_agent_state(floor.agents[0], "ready")  # the engine is running with the old config
    floor.chat.target_expression = "fa >= 9"
    floor.chat.save()
    events = do_reload_routing_config(floor.tenant)
    assert "queue.defined" in names(events)
    definition = next(
        q.definition
        for q in service.engine_for(floor.tenant.pk).snapshot().queues
        if q.definition.queue_id == "chat-sales"
    )
    assert definition.target == "fa >= 9"


def test_a_rolled_back_caller_transaction_leaves_no_trace_in_the_engine(floor: Floor) -> None:
    from django.db import transaction

    class AbortedError(Exception):
        pass

    def sign_in_then_fail() -> None:
        with transaction.atomic():
            do_set_agent_state(floor.agents[0], "ready")
            raise AbortedError

    with pytest.raises(AbortedError):
        sign_in_then_fail()
    summary = service.engine_for(floor.tenant.pk).agent_summary(str(floor.agents[0].pk))
    assert summary.state == "offline"
