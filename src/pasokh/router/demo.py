"""The demo floor as of the last opening hour: agents at work, customers waiting and talking.

Runs through the router service's own path (``service.process``), so the demo's queue entries,
offers, presence and event log are exactly what routing would have written.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from pasokh.router import service
from pasokh.router.models import Queue
from pasokh.routing import commands as c
from pasokh.routing import events as e
from pasokh.routing.model import AgentState, Channel
from pasokh.routing.state import RoutingError
from pasokh.tenancy.calendars import business_calendar
from pasokh.tenancy.models import Tenant, User

ARRIVALS = (("sales", "chat"), ("support", "voice"), ("sales", "voice"), ("support", "chat"))


def last_open_moment(tenant: Tenant) -> datetime:
    """A moment within the last two weeks when the business was open (10 minutes into it)."""
    calendar = business_calendar(tenant)
    moment = timezone.now().replace(minute=0, second=0, microsecond=0)
    for _ in range(14 * 24):
        if calendar.is_open(moment) and calendar.is_open(moment - timedelta(minutes=10)):
            return moment
        moment -= timedelta(hours=1)
    return timezone.now()


def build_routing_demo(tenant: Tenant, rng: random.Random, agents: list[User]) -> None:
    from pasokh.interactions.actions import do_import_interaction  # demo data only

    queues = {q.code: q for q in Queue.objects.filter(tenant=tenant)}
    now = last_open_moment(tenant) - timedelta(minutes=10)
    tenant_id = tenant.pk
    for index, agent in enumerate(agents[:5]):
        now += timedelta(seconds=rng.randint(5, 40))
        agent_id = str(agent.pk)
        service.process(tenant_id, c.LogInAgent(agent_id, ready=index < 4), now=now)
        if index == 4:
            command = c.SetAgentState(agent_id, AgentState.NOT_READY, "break")
            service.process(tenant_id, command, now=now)
    offers: list[e.InteractionOffered] = []
    for queue_code, channel in ARRIVALS:
        queue = queues.get(queue_code)
        if queue is None or channel not in queue.channels:
            continue
        now += timedelta(seconds=rng.randint(10, 90))
        interaction = do_import_interaction(
            tenant=tenant,
            contact=None,
            channel=channel,
            queue=queue,
            arrived_at=now,
            status="queued",
        )
        events = service.process(
            tenant_id,
            c.EnqueueInteraction(str(interaction.pk), Channel(channel), queue_code),
            now=now,
        )
        offers += [event for event in events if isinstance(event, e.InteractionOffered)]
    for offer in offers[:2]:
        now += timedelta(seconds=rng.randint(2, 8))
        try:
            service.process(tenant_id, c.AcceptOffer(offer.interaction_id, offer.agent_id), now=now)
        except RoutingError:
            continue  # the offer was withdrawn meanwhile; the demo floor simply differs
