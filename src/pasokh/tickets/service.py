"""The SLA watcher that `pasokh run` starts: every minute, warn, mark breaches, escalate."""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async

from pasokh.tickets.actions import do_check_sla

CHECK_EVERY_SECONDS = 60
log = logging.getLogger(__name__)


async def run() -> None:
    check = sync_to_async(do_check_sla, thread_sensitive=True)
    while True:
        try:
            alerts = await check()
            if alerts:
                log.info("SLA check raised %d alerts", alerts)
        except Exception:
            # One bad pass must not stop the watcher; the next pass retries the same tickets.
            log.exception("SLA check failed")
        await asyncio.sleep(CHECK_EVERY_SECONDS)
