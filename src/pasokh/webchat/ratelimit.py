"""A token bucket per client in the cache, for the widget's public endpoints.

Each bucket holds ``burst`` tokens and refills at ``rate`` per second. The read-modify-write is
not atomic across processes; a few extra requests can slip through a race, which is fine for
keeping a flood off the endpoints (it is not an accounting tool).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    rate: float  # tokens per second
    burst: int


LIMITS = {
    "config": Limit(rate=1.0, burst=30),
    "start": Limit(rate=0.05, burst=5),  # a new conversation every 20 s after a burst of 5
    "offline": Limit(rate=0.02, burst=3),
    "upload": Limit(rate=0.2, burst=5),
    "message": Limit(rate=2.0, burst=10),
}


def enforced() -> bool:
    """``PASOKH_WEBCHAT_RATE_LIMITS=off`` lifts the limits: only for load tests (the chat
    benchmark opens hundreds of conversations from one address)."""
    return os.environ.get("PASOKH_WEBCHAT_RATE_LIMITS", "on") != "off"


def allow(scope: str, client: str, *, now: float | None = None) -> bool:
    if not enforced():
        return True
    limit = LIMITS[scope]
    moment = time.monotonic() if now is None else now
    key = f"webchat.rl.{scope}.{client}"
    tokens, last = cache.get(key, (float(limit.burst), moment))
    tokens = min(float(limit.burst), tokens + (moment - last) * limit.rate)
    if tokens < 1.0:
        cache.set(key, (tokens, moment), timeout=3600)
        return False
    cache.set(key, (tokens - 1.0, moment), timeout=3600)
    return True


def allow_all(scope: str, *clients: str) -> bool:
    """Every bucket must allow it (e.g. per IP and per tenant key); each bucket is charged."""
    verdicts = [allow(scope, client) for client in clients]
    return all(verdicts)
