"""The in-memory holdings answer who holds a chat exactly as the committed rows do."""

from __future__ import annotations

import pytest
from django.db import transaction

from pasokh.desk import commands
from pasokh.desk.commands import DeskError
from pasokh.interactions import holdings
from pasokh.interactions.actions import do_apply_routing_event
from pasokh.interactions.models import Interaction, Message
from pasokh.webchat.tests.conftest import start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def _accepted(tenant_id: int, iid: str, agent_id: int) -> None:
    do_apply_routing_event(
        tenant_id, {"name": "offer.accepted", "interaction_id": iid, "agent_id": str(agent_id)}
    )


def test_a_chat_is_held_in_memory_by_its_agent_only_and_only_while_it_is_live(shop):
    agent, colleague, stranger = (shop.user(n) for n in ("agent5", "agent6", "b_agent"))
    iid = str(start_chat(shop.home).json()["conversation"])
    queued = holdings.lookup(iid)
    assert queued is not None
    assert (queued.status, queued.agent_id) == ("queued", None)
    with pytest.raises(DeskError):
        commands.held_chat(agent, iid)

    _accepted(shop.home.pk, iid, agent.pk)
    assert holdings.lookup(iid).agent_id == agent.pk
    commands.send(agent, {"interaction_id": iid, "body": "سلام"})
    for other in (colleague, stranger):  # another agent of the tenant, another tenant's agent
        with pytest.raises(DeskError):
            commands.send(other, {"interaction_id": iid, "body": "نه"})
    assert Message.objects.filter(interaction_id=iid, sender="agent").count() == 1

    _accepted(shop.home.pk, iid, colleague.pk)  # transferred
    with pytest.raises(DeskError):
        commands.send(agent, {"interaction_id": iid, "body": "دیر"})
    commands.send(colleague, {"interaction_id": iid, "body": "در خدمتم"})

    do_apply_routing_event(shop.home.pk, {"name": "interaction.ended", "interaction_id": iid})
    assert holdings.lookup(iid).status == "wrap_up"
    with pytest.raises(DeskError):
        commands.send(colleague, {"interaction_id": iid, "body": "پایان یافته"})
    commands.held_chat(colleague, iid)  # still held for notes and the disposition

    do_apply_routing_event(shop.home.pk, {"name": "wrapup.ended", "interaction_id": iid})
    assert holdings.lookup(iid) is None  # ended: the row answers again
    with pytest.raises(DeskError):
        commands.held_chat(colleague, iid)


def test_a_save_that_rolled_back_leaves_the_holding_as_committed(shop):
    agent = shop.user("agent5")
    iid = str(start_chat(shop.home).json()["conversation"])
    _accepted(shop.home.pk, iid, agent.pk)

    def end_then_fail() -> None:
        with transaction.atomic():
            row = Interaction.objects.get(pk=iid)
            row.status = Interaction.Status.ENDED
            row.save(update_fields=["status"])
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        end_then_fail()
    assert holdings.lookup(iid).status == "active"
    row = Interaction.objects.get(pk=iid)
    row.csat = 5
    row.save(update_fields=["csat"])  # not who holds it: no change
    assert holdings.lookup(iid).status == "active"
    row.status = Interaction.Status.ABANDONED
    row.save()  # any other committed save (the admin's) is followed too
    assert holdings.lookup(iid) is None


def test_a_late_commit_hook_of_an_earlier_save_never_replaces_a_later_one():
    later = holdings.Holding(9_000_001, 1, 7, "wrap_up", sequence=20)
    earlier = holdings.Holding(9_000_001, 1, 7, "active", sequence=10)
    holdings._apply(later)
    holdings._apply(earlier)
    assert holdings.lookup(9_000_001) == later
    holdings._apply(holdings.Holding(9_000_001, 1, 7, "ended", sequence=30))
    holdings._apply(earlier)
    assert holdings.lookup(9_000_001) is None
