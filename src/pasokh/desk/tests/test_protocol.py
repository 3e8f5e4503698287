"""The desk's real-time protocol: register, events, ack, resume, reload; offers that time out.

Uses the real consumers over Channels' communicator and the router service inline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from pasokh.desk.queues import RING_SIZE, ClientQueue, registry
from pasokh.desk.snapshot import agent_snapshot, apply_event, fetcher
from pasokh.router.actions import do_set_agent_state
from pasokh.router.service import tick
from pasokh.webchat.tests.conftest import Customer, Desk, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_ring_that_overflowed_or_was_acknowledged_cannot_replay_older_events():
    queue = ClientQueue("q", tenant_id=1, user_id=1, kind="agent")
    for number in range(RING_SIZE + 5):
        queue.push({"name": "e", "n": number})
    assert queue.since(3) is None  # pushed out of the ring: the client must reload
    assert [e["n"] for _, e in queue.since(RING_SIZE + 3)] == [RING_SIZE + 3, RING_SIZE + 4]
    queue.ack(RING_SIZE + 5)
    assert queue.since(RING_SIZE + 5) == []
    assert queue.since(RING_SIZE + 3) is None  # acknowledged, so forgotten


def test_an_unanswered_offer_times_out_and_goes_to_the_next_agent(shop):
    async_to_sync(_offer_times_out)(shop)


async def _offer_times_out(shop):
    first = await sync_to_async(shop.user)("agent5")
    second = await sync_to_async(shop.user)("agent6")
    for agent in (first, second):
        await sync_to_async(do_set_agent_state)(agent, "ready")
    desks = {first.pk: Desk(first), second.pk: Desk(second)}
    for desk in desks.values():
        await desk.connect()
    started = await sync_to_async(start_chat)(shop.home)
    iid = str(started.json()["conversation"])
    offered = None
    for user_id, desk in desks.items():
        try:
            offered = await desk.event("interaction.offered", timeout=1, interaction_id=iid)
            ringing, other = desk, desks[next(u for u in desks if u != user_id)]
            break
        except TimeoutError:
            continue
    assert offered is not None
    expired_at = datetime.fromisoformat(offered["expires_at"]) + timedelta(seconds=1)
    await sync_to_async(tick)(shop.home.pk, now=expired_at)
    expired = await ringing.event("offer.expired")
    assert expired["offer_id"] == offered["offer_id"]
    again = await other.event("interaction.offered", interaction_id=iid)
    assert again["offer_id"] != offered["offer_id"]
    for desk in desks.values():
        await desk.socket.disconnect()


def test_desks_and_widgets_resume_after_a_reconnect_without_losing_anything(shop):
    async_to_sync(_reconnects)(shop)


async def _reconnects(shop):
    agent = await sync_to_async(shop.user)("agent5")
    await sync_to_async(do_set_agent_state)(agent, "ready")
    token = (await sync_to_async(start_chat)(shop.home)).json()["token"]
    desk = Desk(agent)
    registered = await desk.connect()
    stale = registered["snapshot"]
    queue_id = registered["queue_id"]
    [offer] = stale["offers"]
    iid = offer["interaction_id"]
    assert (await desk.do("accept", offer_id=offer["offer_id"]))["ok"]
    await desk.event("interaction.updated")
    last_applied = desk.events[-1][0]
    await desk.socket.disconnect()

    # While the desk is away: the customer connects, writes twice, then loses the line too.
    customer = Customer(token)
    await customer.connect()
    seen = 0
    for text in ("اول", "دوم"):
        await customer.send(type="message", body=text, client_id=text)
        seen = (await customer.frame("sent"))["message"]["id"]
    await customer.socket.disconnect()

    # The desk resumes its queue and gets exactly what it missed, in order.
    back = Desk(agent)
    connected, _ = await back.socket.connect()
    assert connected
    await back.socket.send_json_to(
        {"op": "resume", "queue_id": queue_id, "last_event_id": last_applied}
    )
    await back.frame(lambda f: f.get("op") == "resumed")
    missed = [
        (await back.event("message.created", sender="customer"))["message"]["body"]
        for _ in range(2)
    ]
    assert missed == ["اول", "دوم"]

    # The agent answers while the customer is away; the widget replays it on reconnect.
    assert (await back.do("send", interaction_id=iid, body="در خدمتم"))["ok"]
    returning = Customer(token, after=seen)
    hello = await returning.connect()
    assert [m["body"] for m in hello["messages"] if m["sender"] == "agent"] == ["در خدمتم"]

    # A queue the server no longer has: the desk is told to reload, then registers afresh.
    registry.drop(queue_id)
    gone = Desk(agent)
    await gone.socket.connect()
    await gone.socket.send_json_to({"op": "resume", "queue_id": queue_id, "last_event_id": 1})
    assert (await gone.frame(lambda f: "op" in f))["op"] == "reload"

    # Zulip's check: the stale snapshot with every event applied equals a fresh snapshot.
    events = [*desk.events, *back.events]
    assert [e for e, _ in events] == sorted(e for e, _ in events)  # ids only increase
    applied = await sync_to_async(_replay)(agent, stale, [event for _, event in events])
    fresh = await sync_to_async(agent_snapshot)(agent)
    assert _comparable(applied) == _comparable(fresh)
    for socket in (back, gone):
        await socket.socket.disconnect()
    await returning.socket.disconnect()


def _replay(agent, snapshot, events):
    fetch = fetcher(agent)
    for event in events:
        snapshot = apply_event(snapshot, event, fetch)
    return snapshot


def _comparable(snapshot):
    return {key: value for key, value in snapshot.items() if key != "reference"}
