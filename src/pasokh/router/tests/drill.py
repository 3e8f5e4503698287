"""The SIGKILL drill's helper process: seed a floor, drive a load, check the outcome.

    python -m pasokh.router.tests.drill seed|drive N|check N

Run by test_sigkill.py in subprocesses against a scratch database (a SQLite file or a scratch
PostgreSQL database) with ``PASOKH_ROUTER_MODE=remote``: ``drive`` plays the agents' desks and
the customers through ``submit`` (command rows + Redis), while the test kills the router.
Each step prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from typing import Any

TENANT_SLUG = "drill"
AGENTS = 8


def seed() -> dict[str, Any]:
    from pasokh.router.tests.floor import build_floor

    floor = build_floor(TENANT_SLUG, agents=AGENTS, offer_timeout_s=3600, wrapup_s=3600)
    return {"tenant": floor.tenant.pk, "agents": floor.agent_ids()}


def drive(count: int) -> dict[str, Any]:
    """Sign the agents in, bring ``count`` chats, and answer every offer until all ended."""
    from pasokh.router.service import submit
    from pasokh.routing import commands as c
    from pasokh.routing import events as e
    from pasokh.routing.model import Channel
    from pasokh.routing.state import RoutingError
    from pasokh.tenancy.models import Tenant

    tenant_id = Tenant.objects.get(slug=TENANT_SLUG).pk
    ringing: dict[str, str] = {}
    ended: set[str] = set()
    refused: Counter[str] = Counter()
    slowest = 0.0

    def send(command: Any) -> None:
        nonlocal slowest
        started = time.monotonic()
        try:
            events = submit(tenant_id, command)
        except RoutingError as error:
            refused[error.code] += 1
            return
        slowest = max(slowest, time.monotonic() - started)
        for event in events:
            if isinstance(event, e.InteractionOffered):
                ringing[event.interaction_id] = event.agent_id
            elif isinstance(event, e.OfferAccepted | e.OfferRevoked | e.OfferExpired):
                ringing.pop(event.interaction_id, None)
            elif isinstance(event, e.InteractionEnded):
                ended.add(event.interaction_id)

    from pasokh.router.models import AgentProfile

    for agent_id in sorted(
        str(p.user_id) for p in AgentProfile.objects.filter(tenant_id=tenant_id)
    ):
        send(c.LogInAgent(agent_id, ready=True))
    for number in range(1, count + 1):
        send(c.EnqueueInteraction(str(number), Channel.CHAT, "chat-sales"))
        if number % 4 == 0:
            _answer(ringing, send, c)
    deadline = time.monotonic() + 600
    while len(ended) < count and time.monotonic() < deadline:
        if not ringing:
            break
        _answer(ringing, send, c)
    return {"ended": len(ended), "refused": dict(refused), "slowest_s": round(slowest, 3)}


def _answer(ringing: dict[str, str], send: Any, c: Any) -> None:
    for interaction_id, agent_id in sorted(ringing.items()):
        send(c.AcceptOffer(interaction_id, agent_id))
        send(c.EndInteraction(interaction_id))
        send(c.EndWrapUp(agent_id, interaction_id))


def check(count: int) -> dict[str, Any]:
    """Every interaction once in one final state; no interaction ever offered twice."""
    from pasokh.router.models import (
        AgentPresence,
        QueueEntry,
        RouterCommand,
        RoutingEvent,
        RoutingOffer,
    )
    from pasokh.tenancy.models import Tenant

    tenant = Tenant.objects.get(slug=TENANT_SLUG)
    entries = QueueEntry.objects.filter(tenant=tenant)
    events = RoutingEvent.objects.filter(tenant=tenant)
    offered = Counter(
        events.filter(name="interaction.offered").values_list("interaction_id", flat=True)
    )
    finals = Counter(
        events.filter(
            name__in=["interaction.ended", "interaction.abandoned", "interaction.cancelled"]
        ).values_list("interaction_id", flat=True)
    )
    offers = Counter(
        RoutingOffer.objects.filter(tenant=tenant).values_list("interaction_id", flat=True)
    )
    loads = AgentPresence.objects.filter(tenant=tenant).values_list(
        "load_voice", "load_chat", "load_email", "load_messaging"
    )
    return {
        "entries": entries.count(),
        "final_completed": entries.filter(status="final", final_state="completed").count(),
        "offered_twice": sorted(i for i, n in offered.items() if n > 1),
        "offer_rows_twice": sorted(i for i, n in offers.items() if n > 1),
        "never_offered": sorted(set(map(str, range(1, count + 1))) - set(offered)),
        "final_events_not_one": sorted(
            i for i in map(str, range(1, count + 1)) if finals.get(i, 0) != 1
        ),
        "live_offers": RoutingOffer.objects.filter(tenant=tenant, status="live").count(),
        "busy_agents": sum(1 for row in loads if any(row)),
        "pending_commands": RouterCommand.objects.filter(status="pending").count(),
        "events": events.count(),
    }


def main(argv: list[str]) -> int:
    from pasokh.cli.django_setup import setup_django

    setup_django()
    step, *rest = argv
    count = int(rest[0]) if rest else 0
    result = {"seed": seed, "drive": lambda: drive(count), "check": lambda: check(count)}[step]()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
