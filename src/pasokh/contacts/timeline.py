"""One chronological view per contact, assembled from every app that knows the contact.

Apps do not import each other to build the timeline: each registers a provider in its
AppConfig.ready()::

    from pasokh.contacts.timeline import TimelineItem, register_timeline_provider

    @register_timeline_provider("tickets")
    def ticket_items(user, contact):
        return [TimelineItem(at=t.created_at, kind="ticket", title=..., url=...)
                for t in visible_to(user, Ticket).filter(contact=contact)]

A provider reads through the access chokepoints with the viewing user, so the timeline
never shows what that user could not open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pasokh.contacts.models import Contact


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str  # interaction, note, ticket, order, survey …
    title: str
    detail: str = ""
    url: str = ""
    channel: str = ""  # for interactions: the channel's display name, shown as a badge


Provider = Callable[[Any, Contact], Iterable[TimelineItem]]
_providers: dict[str, Provider] = {}

DEFAULT_LIMIT = 200


def register_timeline_provider(name: str) -> Callable[[Provider], Provider]:
    """Add (or replace, by name) a source of timeline items."""

    def register(provider: Provider) -> Provider:
        _providers[name] = provider
        return provider

    return register


def provider_names() -> list[str]:
    return sorted(_providers)


def contact_timeline(
    user: Any, contact: Contact, *, limit: int = DEFAULT_LIMIT, kinds: set[str] | None = None
) -> list[TimelineItem]:
    """Every provider's items for ``contact``, newest first."""
    items: list[TimelineItem] = []
    for provider in _providers.values():
        items.extend(provider(user, contact))
    if kinds:
        items = [item for item in items if item.kind in kinds]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]
