"""The desk offers guided scripts for the conversation an agent holds, with their runs."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client

from pasokh.router.actions import do_set_agent_state
from pasokh.webchat.tests.conftest import Desk, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_desk_lists_scripts_of_a_held_chat_with_the_run_filled_in_it(shop):
    async_to_sync(_scripts)(shop)


def _fill(agent, script_id, interaction_id):
    client = Client()
    client.force_login(agent)
    run = client.post(
        "/api/knowledge/script-runs/open",
        {"script_id": script_id, "interaction_id": int(interaction_id)},
        content_type="application/json",
    ).json()
    return client.post(
        f"/api/knowledge/script-runs/{run['id']}/answers",
        {"question_id": "warranty", "answer": "no"},
        content_type="application/json",
    ).json()


async def _scripts(shop):
    agent = await sync_to_async(shop.user)("agent5")
    colleague = await sync_to_async(shop.user)("agent6")
    await sync_to_async(do_set_agent_state)(agent, "ready")
    await sync_to_async(start_chat)(shop.home)
    desk = Desk(agent)
    [offer] = (await desk.connect())["snapshot"]["offers"]
    iid = offer["interaction_id"]
    assert (await desk.do("accept", offer_id=offer["offer_id"]))["ok"]
    await desk.event("interaction.updated")

    listed = await desk.fetch("scripts", interaction_id=iid)
    assert listed["ok"]
    names = [s["name"] for s in listed["data"]]
    assert "پذیرش دستگاه برای تعمیر" in names, "the demo's published script"
    script = next(s for s in listed["data"] if s["name"] == "پذیرش دستگاه برای تعمیر")
    assert script["run"] is None

    run = await sync_to_async(_fill)(agent, script["id"], iid)
    again = await desk.fetch("scripts", interaction_id=iid)
    filled = next(s for s in again["data"] if s["id"] == script["id"])
    assert filled["run"] == {"id": run["id"], "status": "in_progress"}

    other = Desk(colleague)
    await other.connect()
    refused = await other.fetch("scripts", interaction_id=iid)
    assert not refused["ok"], "a conversation another agent holds"
    for socket in (desk, other):
        await socket.socket.disconnect()
