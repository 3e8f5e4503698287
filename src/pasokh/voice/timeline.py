"""The voice app's contact timeline source: call recordings, playable where they are listed,
for those allowed to hear them (``access.recordings_visible_to``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pasokh.contacts.models import Contact
from pasokh.contacts.timeline import TimelineItem, register_timeline_provider
from pasokh.persian.digits import to_persian_digits
from pasokh.voice.access import recordings_visible_to

PER_CONTACT = 100


def _length(seconds: float | None, language_fa: bool) -> str:
    total = int(seconds or 0)  # whole seconds, as an audio player shows them
    text = f"{total // 60}:{total % 60:02d}"
    return to_persian_digits(text) if language_fa else text


@register_timeline_provider("recordings")
def recording_items(user: Any, contact: Contact) -> list[TimelineItem]:
    language_fa = (get_language() or "").startswith("fa")
    calls = (
        recordings_visible_to(user)
        .filter(interaction__contact=contact)
        .select_related("interaction__agent")
        .order_by("-started_at")[:PER_CONTACT]
    )
    items = []
    for call in calls:
        interaction = call.interaction
        agent = interaction.agent if interaction else None
        items.append(
            TimelineItem(
                at=call.answered_at or call.started_at,
                kind="recording",
                title=_("Call recording (%(length)s)")
                % {"length": _length(call.recording_seconds, language_fa)},
                detail=str(agent) if agent else "",
                url=reverse("voice:recording", args=[call.pk]),
                channel=_("Phone"),
            )
        )
    return items
