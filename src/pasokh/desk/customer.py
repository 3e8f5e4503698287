"""The customer 360 panel, canned answers and guided scripts, read for the conversation an
agent holds.

Tickets, orders and canned answers come from their own apps when they are installed; the desk
shows nothing for an app that is not there.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from pasokh.interactions.models import Interaction
from pasokh.interactions.serialize import agent_display_name
from pasokh.persian.normalize import search_key
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import User

HISTORY_LIMIT = 30


def customer_360(user: User, interaction: Interaction) -> dict[str, Any]:
    contact = interaction.contact
    if contact is None:
        return {"contact": None, "history": [], "tickets": [], "orders": []}
    history = (
        visible_to(user, Interaction)
        .filter(contact=contact)
        .exclude(pk=interaction.pk)
        .select_related("queue", "agent", "disposition")
        .order_by("-arrived_at")[:HISTORY_LIMIT]
    )
    return {
        "contact": {
            "id": contact.pk,
            "name": f"{contact.first_name} {contact.last_name}".strip(),
            "company": contact.company,
            "language": contact.language,
            "tags": list(contact.tags),
            "identities": [
                {"kind": i.kind, "value": i.value} for i in contact.identities.order_by("kind")
            ],
        },
        "history": [
            {
                "id": h.pk,
                "channel": h.channel,
                "channel_name": str(h.get_channel_display()),
                "status": str(h.get_status_display()),
                "queue": h.queue.name if h.queue else "",
                "subject": h.subject,
                "agent": agent_display_name(h.agent) if h.agent_id else "",
                "disposition": h.disposition.name if h.disposition else "",
                "csat": h.csat,
                "at": h.arrived_at.isoformat(),
            }
            for h in history
        ],
        "tickets": _tickets(user, contact),
        "orders": _orders(user, contact),
    }


def _tickets(user: User, contact: Any) -> list[dict[str, Any]]:
    if not apps.is_installed("pasokh.tickets"):
        return []
    from pasokh.tickets.models import Ticket

    rows = (
        visible_to(user, Ticket)
        .filter(contact=contact)
        .exclude(status__in=("resolved", "closed"))
        .order_by("-created_at")[:10]
    )
    return [
        {"reference": t.reference, "subject": t.subject, "status": str(t.get_status_display())}
        for t in rows
    ]


def _orders(user: User, contact: Any) -> list[dict[str, Any]]:
    if not apps.is_installed("pasokh.orders"):
        return []
    from pasokh.orders.models import Order

    rows = visible_to(user, Order).filter(contact=contact).order_by("-id")[:10]
    return [{"number": o.number, "status": str(o.get_status_display())} for o in rows]


def guided_scripts(user: User, interaction: Interaction) -> list[dict[str, Any]]:
    """The published scripts for this conversation, its queue's first, with their runs."""
    if not apps.is_installed("pasokh.knowledge"):
        return []
    from pasokh.knowledge.runs import scripts_for_interaction

    return scripts_for_interaction(user, interaction)


def canned_answers(user: User, interaction: Interaction, query: str) -> list[dict[str, Any]]:
    """Answers whose shortcut starts with the query, or whose title/text hold its words
    (Persian-normalized), filled for this conversation."""
    if not apps.is_installed("pasokh.knowledge"):
        return []
    from pasokh.knowledge import placeholders
    from pasokh.knowledge.models import CannedAnswer

    answers = list(visible_to(user, CannedAnswer).filter(is_active=True)[:500])
    wanted = search_key(query.lstrip("/"))
    words = wanted.split()
    matches = []
    for answer in answers:
        shortcut = search_key(answer.shortcut.lstrip("/"))
        text = search_key(f"{answer.title} {answer.body}")
        if not words or shortcut.startswith(wanted) or all(w in text for w in words):
            matches.append(answer)
    objects: dict[str, Any] = {"agent": user, "tenant": user.tenant}
    if interaction.contact is not None:
        objects["contact"] = interaction.contact
    return [
        {
            "id": a.pk,
            "shortcut": a.shortcut,
            "title": a.title,
            "text": placeholders.render(a.body, objects),
        }
        for a in matches[:20]
    ]
