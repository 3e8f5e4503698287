"""A chat from the widget to the desk and back, over the real consumers and the router."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from pasokh.interactions.models import Interaction, Message
from pasokh.router.actions import do_set_agent_state
from pasokh.webchat.tests.conftest import Customer, Desk, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_customer_chat_is_offered_accepted_answered_and_rated(shop):
    async_to_sync(_whole_chat)(shop)


async def _whole_chat(shop):
    agent = await sync_to_async(shop.user)("agent5")
    await sync_to_async(do_set_agent_state)(agent, "ready")
    response = await sync_to_async(start_chat)(shop.home)
    assert response.status_code == 200, response.content
    token = response.json()["token"]

    desk = Desk(agent)
    registered = await desk.connect()
    [offer] = registered["snapshot"]["offers"]
    assert offer["customer"] == "نرگس"
    assert (await desk.do("accept", offer_id=offer["offer_id"]))["ok"]
    updated = await desk.event("interaction.updated")
    assert updated["status"] == "active"
    iid = offer["interaction_id"]

    customer = Customer(token)
    hello = await customer.connect()
    assert hello["conversation"]["status"] == "active"
    assert hello["conversation"]["agent"] == agent.first_name

    await customer.send(type="message", body="گوشی‌ام روشن نمی‌شود", client_id="a")
    assert (await customer.frame("sent"))["client_id"] == "a"
    arrived = await desk.event("message.created", sender="customer")
    assert arrived["message"]["body"] == "گوشی‌ام روشن نمی‌شود"

    assert (await desk.do("send", interaction_id=iid, body="سلام، در خدمتم"))["ok"]
    reply = await customer.frame("message", sender="agent")
    assert reply["message"]["body"] == "سلام، در خدمتم"
    assert reply["message"]["author"] == agent.first_name

    await customer.send(type="seen", up_to=reply["message"]["id"], state="read")
    delivery = await desk.event("message.delivery")
    assert reply["message"]["id"] in delivery["ids"]
    assert delivery["state"] == "read"

    await customer.send(type="typing")
    typing = await desk.event("typing")
    assert typing["side"] == "customer"

    assert (await desk.do("note", interaction_id=iid, body="مشتری گارانتی دارد"))["ok"]
    assert (await desk.do("disposition", interaction_id=iid, code="resolved"))["ok"]
    assert (await desk.do("end", interaction_id=iid))["ok"]
    status = await customer.frame("status", status="wrap_up")
    assert status["agent"] == agent.first_name

    await customer.send(type="csat", score=5, comment="عالی بود")
    await customer.frame("rated")
    assert not [f for f in customer.frames if "مشتری گارانتی" in str(f)], "notes stay private"

    interaction = await sync_to_async(Interaction.objects.select_related("disposition").get)(pk=iid)
    assert interaction.agent_id == agent.pk
    assert interaction.answered_at is not None
    assert interaction.status == Interaction.Status.WRAP_UP
    assert interaction.disposition.code == "resolved"
    assert (interaction.csat, interaction.csat_comment) == (5, "عالی بود")
    bodies = await sync_to_async(list)(
        Message.objects.filter(interaction=interaction).values_list("sender", "body")
    )
    assert bodies == [
        ("system", "joined"),
        ("customer", "گوشی‌ام روشن نمی‌شود"),
        ("agent", "سلام، در خدمتم"),
    ]
    assert (await desk.do("wrapup_done", interaction_id=iid))["ok"]
    await desk.event("wrapup.ended")
    await customer.socket.disconnect()
    await desk.socket.disconnect()
