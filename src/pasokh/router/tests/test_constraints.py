"""The database refuses a double offer and over-capacity even when the engine is bypassed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from pasokh.router.models import AgentPresence, QueueEntry, RoutingOffer
from pasokh.tenancy.models import Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant() -> Tenant:
    return Tenant.objects.create(name="فروشگاه آزمون", slug="constraints")


def offer(tenant: Tenant, number: int, agent_id: str, status: str = "live") -> RoutingOffer:
    now = timezone.now()
    return RoutingOffer.objects.create(
        tenant=tenant,
        offer_id=number,
        interaction_id="77",
        agent_id=agent_id,
        queue_code="sales",
        channel="chat",
        kind="queue",
        offered_at=now,
        expires_at=now + timedelta(seconds=20),
        status=status,
    )


def test_a_second_live_offer_of_one_interaction_is_refused(tenant: Tenant) -> None:
    offer(tenant, 1, "5")
    with pytest.raises(IntegrityError), transaction.atomic():
        offer(tenant, 2, "6")


def test_a_new_offer_is_allowed_once_the_previous_one_is_closed(tenant: Tenant) -> None:
    offer(tenant, 1, "5", status="expired")
    offer(tenant, 2, "6")
    assert RoutingOffer.objects.filter(tenant=tenant, status="live").count() == 1


def test_an_offer_number_is_never_reused(tenant: Tenant) -> None:
    offer(tenant, 1, "5", status="rejected")
    with pytest.raises(IntegrityError), transaction.atomic():
        offer(tenant, 1, "6")


def presence(tenant: Tenant, **loads: int) -> AgentPresence:
    now = timezone.now()
    return AgentPresence.objects.create(
        tenant=tenant,
        agent_id="5",
        state="ready",
        since=now,
        idle_since=now,
        capacity_voice=1,
        capacity_chat=3,
        **loads,
    )


def test_an_agent_loaded_beyond_capacity_is_refused(tenant: Tenant) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        presence(tenant, load_chat=4)


def test_raising_the_load_of_a_full_agent_is_refused(tenant: Tenant) -> None:
    row = presence(tenant, load_voice=1)
    row.load_voice = 2
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_an_agent_has_one_presence_row(tenant: Tenant) -> None:
    presence(tenant)
    with pytest.raises(IntegrityError), transaction.atomic():
        presence(tenant)


def test_an_interaction_has_one_queue_entry_and_a_final_state_only_when_final(
    tenant: Tenant,
) -> None:
    now = timezone.now()
    values = {
        "channel": "chat",
        "queue_code": "sales",
        "priority": 5,
        "arrived_at": now,
        "queued_at": now,
    }
    QueueEntry.objects.create(tenant=tenant, interaction_id="9", order=1, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueEntry.objects.create(tenant=tenant, interaction_id="9", order=2, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueEntry.objects.create(
            tenant=tenant, interaction_id="10", order=3, status="final", **values
        )
