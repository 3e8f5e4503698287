"""Batches: several queued commands in one transaction, each refused command refused alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError
from django.utils import timezone

from pasokh.router import service, store
from pasokh.router.models import AgentPresence, QueueEntry, RouterState, RoutingEvent, RoutingOffer
from pasokh.router.tests.floor import Floor, build_floor
from pasokh.routing import commands as c
from pasokh.routing.model import Channel
from pasokh.routing.state import RoutingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor() -> Floor:
    service.reset_engines()
    return build_floor()


def agent_id(floor: Floor, index: int) -> str:
    return str(floor.agents[index].pk)


def tables(tenant_id: int) -> dict[str, Any]:
    """Everything the router wrote, without row ids and version stamps."""
    return {
        "entries": sorted(
            QueueEntry.objects.filter(tenant_id=tenant_id).values_list(
                "interaction_id", "status", "agent_id", "queue_code", "order", "final_state"
            )
        ),
        "offers": sorted(
            RoutingOffer.objects.filter(tenant_id=tenant_id).values_list(
                "offer_id", "interaction_id", "agent_id", "status"
            )
        ),
        "presence": sorted(
            AgentPresence.objects.filter(tenant_id=tenant_id).values_list(
                "agent_id", "state", "load_chat", "missed_offers"
            )
        ),
        "events": list(
            RoutingEvent.objects.filter(tenant_id=tenant_id)
            .order_by("id")
            .values_list("name", "interaction_id")
        ),
        "state": list(
            RouterState.objects.filter(tenant_id=tenant_id).values_list(
                "next_order", "next_offer_id", "queue_stats"
            )
        ),
    }


def names(events: list[Any]) -> list[str]:
    return [event.name for event in events]


def a_morning(floor: Floor) -> list[Any]:
    """Agents sign in, chats arrive, one is accepted and ended, one refused command between."""
    first, second = agent_id(floor, 0), agent_id(floor, 1)
    return [
        c.LogInAgent(first, ready=True),
        c.LogInAgent(second, ready=True),
        c.EnqueueInteraction("901", Channel.CHAT, "chat-sales"),
        c.EnqueueInteraction("902", Channel.CHAT, "chat-sales"),
        c.EndInteraction("nobody"),  # refused: not in routing
        c.EnqueueInteraction("903", Channel.CHAT, "chat-sales"),
        c.AcceptOffer("901", first),
        c.EndInteraction("901"),
        c.AbandonInteraction("903"),
    ]


def test_a_batch_writes_what_the_same_commands_one_by_one_write(floor: Floor) -> None:
    commands = a_morning(floor)
    moment = timezone.now()
    one_by_one: list[Any] = []
    for command in commands:
        try:
            one_by_one.append(names(service.process(floor.tenant.pk, command, now=moment)))
        except RoutingError as refusal:
            one_by_one.append(refusal.code)
    expected = tables(floor.tenant.pk)

    other = build_floor("batch")  # the same floor, a second tenant
    other_commands = a_morning(other)
    outcomes = service.process_batch(other.tenant.pk, [(cmd, moment) for cmd in other_commands])
    got = tables(other.tenant.pk)
    in_memory = service.engine_for(other.tenant.pk).snapshot()

    assert [o.code if isinstance(o, RoutingError) else names(o) for o in outcomes] == one_by_one
    assert "unknown_interaction" in one_by_one
    renamed = {agent_id(floor, i): agent_id(other, i) for i in range(len(floor.agents))}
    expected["presence"] = sorted((renamed[a], *rest) for a, *rest in expected["presence"])
    expected["entries"] = sorted(
        (i, s, renamed.get(a, a), q, o, f) for i, s, a, q, o, f in expected["entries"]
    )
    expected["offers"] = sorted((n, i, renamed[a], s) for n, i, a, s in expected["offers"])
    expected["state"] = [
        (order, offer, {q: [renamed.get(k, k), *rest] for q, (k, *rest) in stats.items()})
        for order, offer, stats in expected["state"]
    ]
    assert got == expected
    service.reset_engines()  # and the tables rebuild the engine the batch left in memory
    assert service.engine_for(other.tenant.pk).snapshot() == in_memory


def test_a_refused_command_in_a_batch_leaves_the_others_standing(floor: Floor) -> None:
    first = agent_id(floor, 0)
    outcomes = service.process_batch(
        floor.tenant.pk,
        [
            (c.LogInAgent(first, ready=True), None),
            (c.AcceptOffer("404", first), None),
            (c.EnqueueInteraction("911", Channel.CHAT, "chat-sales"), None),
        ],
    )
    assert isinstance(outcomes[1], RoutingError)
    assert outcomes[1].code == "unknown_interaction"
    assert [event.name for event in outcomes[2]] == ["interaction.queued", "interaction.offered"]
    assert RoutingOffer.objects.get(interaction_id="911").agent_id == first
    assert not RoutingEvent.objects.filter(interaction_id="404").exists()


def test_an_offer_opened_and_closed_in_one_batch_is_written_closed(floor: Floor) -> None:
    first = agent_id(floor, 0)
    moment = timezone.now()
    service.process_batch(
        floor.tenant.pk,
        [
            (c.LogInAgent(first, ready=True), moment),
            (c.EnqueueInteraction("921", Channel.CHAT, "chat-sales"), moment),
            (c.RejectOffer("921", first, "busy"), moment + timedelta(seconds=1)),
        ],
    )
    offers = list(RoutingOffer.objects.filter(interaction_id="921").values_list("status"))
    assert ("rejected",) in offers
    assert RoutingOffer.objects.filter(interaction_id="921", status="live").count() <= 1


def test_a_batch_that_cannot_be_written_is_answered_command_by_command(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = agent_id(floor, 0)
    real = store.persist_steps
    calls = {"n": 0}

    def fails_once(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise IntegrityError("the batch broke a constraint")
        real(*args)

    monkeypatch.setattr(store, "persist_steps", fails_once)
    outcomes = service.process_batch(
        floor.tenant.pk,
        [
            (c.LogInAgent(first, ready=True), None),
            (c.EnqueueInteraction("931", Channel.CHAT, "chat-sales"), None),
        ],
    )
    assert all(isinstance(outcome, list) for outcome in outcomes)
    assert QueueEntry.objects.get(interaction_id="931").status == "offered"
    service.reset_engines()
    assert service.engine_for(floor.tenant.pk).agent_summary(first).state == "ready"
