"""The scale-out router process (``pasokh router``): one active router per tenant shard.

The active router of a shard holds a lease: a PostgreSQL advisory lock taken with
``pg_try_advisory_lock`` on a connection of its own. PostgreSQL releases it the moment that
connection dies (the process was killed, the host vanished), and a standby, which retries every
``STANDBY_POLL_S``, becomes active well within 5 s. On SQLite (a single host) the lease is an
exclusive ``flock`` on a file beside the database, released by the kernel the same way.

An active router rebuilds every engine from the database (the tables are the truth), applies
the pending command rows of its shard in order, then waits on Redis for wake-ups (or polls the
table without Redis) and ticks each tenant at its engine's next deadline.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone

from pasokh.router import remote, service
from pasokh.router.models import Queue
from pasokh.routing.commands import Tick

log = logging.getLogger("pasokh.router")

LEASE_CLASS = 0x7061736F  # "paso": the advisory-lock namespace of the router leases
STANDBY_POLL_S = 0.5
MAX_SLEEP_S = 1.0
TENANT_REFRESH_S = 30.0


class Lease:
    """The shard's lease; ``alive()`` is checked between commands by the active router."""

    def __init__(self, shard: int) -> None:
        self.shard = shard
        self.pg: Any = None
        self.file: Any = None

    def try_acquire(self) -> bool:
        if connection.vendor == "postgresql":
            return self._try_postgres()
        return self._try_file()

    def _try_postgres(self) -> bool:
        import psycopg

        if self.pg is None:
            params = connection.settings_dict
            self.pg = psycopg.connect(
                dbname=params["NAME"],
                user=params.get("USER") or None,
                password=params.get("PASSWORD") or None,
                host=params.get("HOST") or None,
                port=params.get("PORT") or None,
                autocommit=True,
                application_name=f"pasokh-router-lease-{self.shard}",
            )
        row = self.pg.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", (LEASE_CLASS, self.shard)
        ).fetchone()
        return bool(row and row[0])

    def _try_file(self) -> bool:
        path = Path(f"{connection.settings_dict['NAME']}.router-{self.shard}.lock")
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.file = handle
        return True

    def alive(self) -> bool:
        if self.pg is None:
            return self.file is not None
        try:
            self.pg.execute("SELECT 1").fetchone()
        except Exception:
            return False
        return True


def shard_tenants(shard: int) -> set[int]:
    ids = Queue.objects.values_list("tenant_id", flat=True).distinct()
    return {tenant_id for tenant_id in ids if remote.shard_of(tenant_id) == shard}


def run_router(shard: int, say: Callable[[str], None] = print) -> int:
    lease = Lease(shard)
    if not lease.try_acquire():
        say(f"router shard {shard}: standby")
        while not lease.try_acquire():
            time.sleep(STANDBY_POLL_S)
    say(f"router shard {shard}: active")
    service.reset_engines()
    tenants = shard_tenants(shard)
    for tenant_id in sorted(tenants):
        service.process(tenant_id, service.ReloadConfig())
        service.process(tenant_id, Tick())
    client = remote.redis_client()
    refreshed = time.monotonic()
    while True:
        while remote.process_pending(shard):
            pass
        tenants |= set(service.known_tenants())
        _tick_due(tenants)
        if not lease.alive():
            say(f"router shard {shard}: lease lost, stopping")
            return 1
        if time.monotonic() - refreshed > TENANT_REFRESH_S:
            close_old_connections()
            tenants |= shard_tenants(shard)
            refreshed = time.monotonic()
        sleep = _seconds_to_sleep(tenants)
        if client is not None:
            if client.blpop([remote.wake_key(shard)], timeout=max(sleep, 0.01)):
                client.delete(remote.wake_key(shard))  # the table says what is pending
        else:
            time.sleep(min(sleep, 0.05))


def _seconds_to_sleep(tenants: set[int]) -> float:
    now = timezone.now()
    sleep = MAX_SLEEP_S
    for tenant_id in tenants:
        due = service.next_deadline(tenant_id)
        if due is not None:
            sleep = min(sleep, max((due - now).total_seconds(), 0.0))
    return sleep


def _tick_due(tenants: set[int]) -> None:
    now = timezone.now()
    for tenant_id in sorted(tenants):
        due = service.next_deadline(tenant_id)
        if due is not None and due <= now:
            service.process(tenant_id, Tick())
