"""The supervisor's live view (first version): queues and agents, read from routing's rows."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db.models import Q
from django.utils import timezone

from pasokh.interactions.models import Interaction
from pasokh.router.models import Queue
from pasokh.router.runtime_models import AgentPresence, EntryStatus, QueueEntry
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Role, User


def _start_of_today(tenant_tz: str) -> datetime:
    import zoneinfo

    zone = zoneinfo.ZoneInfo(tenant_tz)
    today = timezone.now().astimezone(zone).date()
    return datetime.combine(today, time.min, tzinfo=zone)


def service_level(queue: Queue, arrivals: Any) -> float | None:
    """Share of today's answered or abandoned contacts answered within the threshold."""
    handled = arrivals.filter(queue=queue).filter(
        Q(answered_at__isnull=False) | Q(status=Interaction.Status.ABANDONED)
    )
    total = 0
    within = 0
    for arrived, answered in handled.values_list("arrived_at", "answered_at"):
        total += 1
        if answered is not None and (answered - arrived).total_seconds() <= (
            queue.service_level_seconds
        ):
            within += 1
    return None if total == 0 else round(100.0 * within / total, 1)


LIVE_CHANNELS = ("voice", "chat", "email", "messaging")


def _work(presence: AgentPresence) -> list[dict[str, Any]]:
    """What the agent holds on each channel they take (capacity above 0): a supervisor sees
    calls as well as chats."""
    return [
        {
            "channel": channel,
            "load": getattr(presence, f"load_{channel}"),
            "capacity": getattr(presence, f"capacity_{channel}"),
        }
        for channel in LIVE_CHANNELS
        if getattr(presence, f"capacity_{channel}")
    ]


def live_snapshot(user: User) -> dict[str, Any]:
    now = timezone.now()
    tenant = user.tenant
    waiting = visible_to(user, QueueEntry).filter(
        status__in=(EntryStatus.WAITING, EntryStatus.OFFERED)
    )
    arrivals = visible_to(user, Interaction).filter(
        arrived_at__gte=_start_of_today(tenant.time_zone if tenant else "Asia/Tehran")
    )
    queues = []
    for queue in visible_to(user, Queue):
        lines = [e for e in waiting if e.queue_code == queue.code]
        longest = max(((now - e.arrived_at).total_seconds() for e in lines), default=0.0)
        queues.append(
            {
                "code": queue.code,
                "name": queue.name,
                "waiting": len(lines),
                "longest_wait_s": round(longest),
                "service_level": service_level(queue, arrivals),
                "target": queue.service_level_percent,
            }
        )
    names = {
        str(u.pk): f"{u.first_name} {u.last_name}".strip() or u.username
        for u in visible_to(user, User).filter(role=Role.AGENT)
    }
    agents = [
        {
            "id": p.agent_id,
            "name": names.get(p.agent_id, p.agent_id),
            "state": p.state,
            "reason": p.reason,
            "since": p.since.isoformat(),
            "chats": p.load_chat,
            "chat_capacity": p.capacity_chat,
            "work": _work(p),
        }
        for p in visible_to(user, AgentPresence).order_by("agent_id")
        if p.agent_id in names
    ]
    agents.sort(key=lambda a: a["name"])
    return {"at": now.isoformat(), "queues": queues, "agents": agents}
