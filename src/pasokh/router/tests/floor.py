"""A small contact-center floor for the router service's tests and the SIGKILL drill.

One tenant ("Shahr Shop"), a chat queue and a voice queue open around the clock, and agents who
serve both. Users are created without a password hash (fast); nobody signs in to the web here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pasokh.router.actions import (
    do_create_agent_profile,
    do_create_queue,
    do_create_routing_profile,
    do_create_skill,
)
from pasokh.router.models import Queue
from pasokh.tenancy.models import Role, Tenant, User


@dataclass(frozen=True)
class Floor:
    tenant: Tenant
    agents: list[User]
    chat: Queue
    voice: Queue

    def agent_ids(self) -> list[str]:
        return [str(user.pk) for user in self.agents]


def build_floor(
    slug: str = "shahr", agents: int = 3, offer_timeout_s: int = 20, wrapup_s: int = 30
) -> Floor:
    tenant = Tenant.objects.create(name="فروشگاه شهر", slug=slug)
    fa = do_create_skill(tenant=tenant, code="fa", name="فارسی", kind="language")
    sales = do_create_skill(tenant=tenant, code="sales", name="فروش", kind="domain")
    chat = do_create_queue(
        tenant=tenant,
        code="chat-sales",
        name="گفتگوی فروش",
        channels=["chat"],
        target_expression="fa >= 3 and sales >= 1",
        route_outside_hours=True,
        offer_timeout_seconds=offer_timeout_s,
        wrapup_seconds=wrapup_s,
        sticky_seconds=0,
    )
    voice = do_create_queue(
        tenant=tenant,
        code="voice-sales",
        name="تماس فروش",
        channels=["voice"],
        target_expression="fa >= 3",
        route_outside_hours=True,
        offer_timeout_seconds=offer_timeout_s,
        wrapup_seconds=wrapup_s,
        sticky_seconds=0,
    )
    profile = do_create_routing_profile(tenant=tenant, name="فروش", queues=[(voice, 2), (chat, 1)])
    users = []
    for number in range(1, agents + 1):
        user = User.objects.create(
            username=f"{slug}-agent{number}", tenant=tenant, role=Role.AGENT, password="!"
        )
        do_create_agent_profile(
            user=user, routing_profile=profile, skills={fa: 8, sales: 4 + number % 3}
        )
        users.append(user)
    return Floor(tenant, users, chat, voice)
