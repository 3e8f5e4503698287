"""A contact's filled guided scripts on their timeline (the contacts app's registry)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from pasokh.contacts.timeline import TimelineItem, register_timeline_provider
from pasokh.knowledge.models import ScriptRun
from pasokh.knowledge.runs import answered_lines
from pasokh.tenancy.access import visible_to

LIMIT = 100


@register_timeline_provider("scripts")
def script_items(user: Any, contact: Any) -> Iterable[TimelineItem]:
    runs = (
        visible_to(user, ScriptRun)
        .filter(Q(contact=contact) | Q(interaction__contact=contact))
        .select_related("version__script")
        .order_by("-started_at")[:LIMIT]
    )
    items = []
    for run in runs:
        lines = [f"{question} — {answer}" for question, answer in answered_lines(run)]
        if run.status != ScriptRun.Status.COMPLETED:
            lines.append(str(ScriptRun.Status.IN_PROGRESS.label))
        items.append(
            TimelineItem(
                at=run.completed_at or run.started_at,
                kind="script",
                title=_("Guided script: %(name)s") % {"name": run.version.script.name},
                detail="\n".join(lines),
                url=reverse("knowledge:script_run", args=[run.version.script_id])
                + f"?run={run.pk}",
            )
        )
    return items
