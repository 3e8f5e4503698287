"""What routing decided, on a phone call's interaction row: written when it changes something,
and only then told to the desks."""

from __future__ import annotations

from typing import Any

import pytest

from pasokh.interactions import events
from pasokh.interactions.actions import do_apply_routing_event, do_start_call
from pasokh.interactions.models import Interaction

pytestmark = pytest.mark.django_db


def test_a_call_created_queued_is_not_written_again_when_routing_queues_it(
    tenants: Any, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    told: list[Any] = []
    monkeypatch.setattr(events, "publish", lambda tenant_id, event: told.append(event))
    call = do_start_call(tenant=tenants.home, caller="+989121110042", queue=None)
    assert call.status == Interaction.Status.QUEUED
    home = tenants.home.pk

    with django_assert_num_queries(3):  # the locked read, in the test's SAVEPOINT pair
        do_apply_routing_event(home, {"name": "interaction.queued", "interaction_id": call.pk})
    assert told == []

    agent = tenants.user("agent")
    do_apply_routing_event(
        home, {"name": "offer.accepted", "interaction_id": call.pk, "agent_id": agent.pk}
    )
    call.refresh_from_db()
    assert (call.status, call.agent_id) == (Interaction.Status.ACTIVE, agent.pk)
    assert call.answered_at is not None
    assert [event["routing_event"] for event in told] == ["offer.accepted"]

    do_apply_routing_event(home, {"name": "interaction.queued", "interaction_id": call.pk})
    call.refresh_from_db()
    assert call.status == Interaction.Status.ACTIVE  # a late "queued" does not undo the answer
    assert len(told) == 1

    do_apply_routing_event(home, {"name": "interaction.ended", "interaction_id": call.pk})
    call.refresh_from_db()
    assert call.status == Interaction.Status.WRAP_UP  # the agent's wrap-up follows the call
    assert call.ended_at is not None
    assert [event["routing_event"] for event in told] == ["offer.accepted", "interaction.ended"]
