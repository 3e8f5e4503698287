"""Who hears what: routing and conversation events appended to the right client queues.

Recipients are computed here, from the event itself: a routing event names its agents
(``agent_id``, ``from_agent_id``, ``to_agent_id``) and goes to the tenant's supervisors too; a
conversation event names its ``agent_ids``. Private notes go to agents only, never to the
customer's socket (that one listens elsewhere, see ``pasokh.webchat.listeners``).
"""

from __future__ import annotations

from typing import Any

from pasokh.desk.queues import registry
from pasokh.interactions import events as conversation_events
from pasokh.router import bus
from pasokh.router.serialize import event_to_dict

AGENT_FIELDS = ("agent_id", "from_agent_id", "to_agent_id")


def _user_ids(values: Any) -> set[int]:
    ids = set()
    for value in values:
        try:
            ids.add(int(str(value)))
        except (TypeError, ValueError):
            continue
    return ids


def on_routing_event(tenant_id: int, event: Any) -> None:
    data = event_to_dict(event)
    users = _user_ids(data.get(name) for name in AGENT_FIELDS if data.get(name))
    registry.publish(tenant_id, {"source": "routing", **data}, users=users, supervisors=True)


def on_conversation_event(tenant_id: int, event: dict[str, Any]) -> None:
    if event["name"] == "typing" and event.get("side") != "customer":
        return  # an agent's own typing goes to the customer only
    users = _user_ids(event.get("agent_ids", ()))
    if users:
        registry.publish(
            tenant_id, {"source": "conversation", **event}, users=users, supervisors=False
        )


def connect() -> None:
    bus.subscribe(on_routing_event)
    conversation_events.subscribe(on_conversation_event)
