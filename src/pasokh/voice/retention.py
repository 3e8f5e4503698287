"""Recordings are kept for the tenant's ``VoicePolicy.retention_days`` (a tenant without a
policy: the model's default), counted from the call's end; older ones are deleted — the WAV
file and the call's reference to it — each with an audit entry (``voice.recording_purged``).

``purge_expired_recordings`` is what ``pasokh voice-purge-recordings`` runs; ``run`` is the
housekeeping loop ``pasokh run`` starts (``config/services.py``): a pass at start, then hourly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connections
from django.db.models import Q
from django.utils import timezone

from pasokh.tenancy.models import Tenant
from pasokh.voice.actions import do_purge_recording
from pasokh.voice.models import Call, VoicePolicy

PURGE_EVERY_SECONDS = 3600
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Expired:
    call_id: int
    tenant: str
    file: str
    ended_at: dt.datetime


def default_retention_days() -> int:
    default = VoicePolicy._meta.get_field("retention_days").default
    return int(default)  # type: ignore[arg-type]


def expired_recordings(now: dt.datetime | None = None) -> list[Expired]:
    """Every recording past its tenant's retention, oldest first."""
    now = now or timezone.now()
    days = dict(VoicePolicy.objects.values_list("tenant_id", "retention_days"))
    found: list[Expired] = []
    for tenant in Tenant.objects.order_by("pk"):
        keep = days.get(tenant.pk, default_retention_days())
        cutoff = now - dt.timedelta(days=keep)
        calls = (
            Call.objects.filter(tenant=tenant)
            .exclude(recording="")
            .filter(Q(ended_at__lt=cutoff) | Q(ended_at__isnull=True, started_at__lt=cutoff))
            .order_by("started_at")
        )
        for call in calls:
            found.append(
                Expired(call.pk, tenant.slug, call.recording.name, call.ended_at or call.started_at)
            )
    return found


def purge_expired_recordings(now: dt.datetime | None = None, *, dry_run: bool = False) -> int:
    """Delete what ``expired_recordings`` finds (unless ``dry_run``); how many."""
    expired = expired_recordings(now)
    if not dry_run:
        for item in expired:
            do_purge_recording(item.call_id, reason="retention")
    return len(expired)


def _purge_pass() -> int:
    """One housekeeping pass in a worker thread; its database connection is closed after it
    (a pass an hour keeps no connection open in between, and none is left to a dead thread)."""
    try:
        return purge_expired_recordings()
    finally:
        connections.close_all()


async def run() -> None:
    while True:
        try:
            purged = await asyncio.to_thread(_purge_pass)
            if purged:
                log.info("voice: %d recordings past their retention deleted", purged)
        except Exception:
            # One bad pass must not stop housekeeping; the next pass finds the same calls.
            log.exception("voice: purging old recordings failed")
        await asyncio.sleep(PURGE_EVERY_SECONDS)
