"""The desk offers a conversation only the queues that take its channel, and refuses the rest."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from pasokh.interactions.models import Interaction
from pasokh.router.actions import do_create_queue, do_reload_routing_config, do_set_agent_state
from pasokh.webchat.tests.conftest import Desk, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_chat_cannot_be_transferred_to_a_queue_that_takes_only_calls(shop):
    async_to_sync(_transfer_to_a_phone_queue)(shop)


def _phone_only_queue(tenant):
    queue = do_create_queue(
        tenant=tenant,
        code="phone-only",
        name="فقط تلفن",
        channels=["voice"],
        target_expression="fa >= 1",
    )
    do_reload_routing_config(tenant)
    return queue


async def _transfer_to_a_phone_queue(shop):
    await sync_to_async(_phone_only_queue)(shop.home)
    agent = await sync_to_async(shop.user)("agent5")
    await sync_to_async(do_set_agent_state)(agent, "ready")
    await sync_to_async(start_chat)(shop.home)
    desk = Desk(agent)
    registered = await desk.connect()
    queues = {q["code"]: q["channels"] for q in registered["snapshot"]["reference"]["queues"]}
    assert queues["phone-only"] == ["voice"], "listed with its channels, for calls"
    assert "chat" in queues["support"]

    [offer] = registered["snapshot"]["offers"]
    assert (await desk.do("accept", offer_id=offer["offer_id"]))["ok"]
    await desk.event("interaction.updated")
    refused = await desk.do(
        "transfer", interaction_id=offer["interaction_id"], queue="phone-only", note=""
    )
    assert not refused["ok"]
    assert refused["error"] in {
        "That queue does not take this kind of conversation.",
        "این صف چنین گفتگویی را نمی‌پذیرد.",
    }
    chat = await sync_to_async(Interaction.objects.get)(pk=offer["interaction_id"])
    assert (chat.status, chat.agent_id) == (Interaction.Status.ACTIVE, agent.pk), "still held"
