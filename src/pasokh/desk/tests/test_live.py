"""The supervisors' live view counts each agent's work on every channel they take: a call
shows as a call, not as a chat."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_live_view_shows_an_agents_calls_beside_their_chats(tenants: Any) -> None:
    from pasokh.desk.live import live_snapshot
    from pasokh.router.actions import do_set_agent_state
    from pasokh.router.models import AgentPresence

    agent = tenants.user("agent5")
    do_set_agent_state(agent, "ready")
    # What the router writes while the agent is on a call and holds two chats.
    AgentPresence.objects.filter(agent_id=str(agent.pk)).update(load_voice=1, load_chat=2)

    rows = {row["id"]: row for row in live_snapshot(tenants.user("supervisor"))["agents"]}
    work = {w["channel"]: (w["load"], w["capacity"]) for w in rows[str(agent.pk)]["work"]}
    assert work == {"voice": (1, 1), "chat": (2, 3), "email": (0, 5), "messaging": (0, 5)}
    assert str(tenants.user("b_agent").pk) not in rows  # another tenant's agent is not shown
