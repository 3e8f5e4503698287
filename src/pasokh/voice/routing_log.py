"""Routing events committed by any process, read from the router's event log, for a voice
service that runs as a process of its own (``pasokh voice``, scale-out).

Inside ``pasokh run`` the controller hears routing on the in-process bus (``router.bus``): the
embedded router and the desks are in the same process. A voice process of its own would hear
only the events of the commands it submits itself, and miss an offer made when an agent turned
ready on a desk served by another process, leaving the caller waiting while the agent is free.
There the controller reads the router's append-only log (``RoutingEvent``) instead of the bus,
for every event, its own commands' included, so that each reaches it once and in order.

Order: the router writes a tenant's events in the transaction that holds the tenant's state row
(``router.store.lock_state``), so one tenant's rows commit in the order of their ids and a
cursor per tenant misses none; rows of different tenants can commit out of id order, so a
tenant's cursor never moves for another tenant's rows. The tenants read are the ones with an
active phone number, looked up again every ``TENANTS_EVERY_S``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection
from django.db.models import Max

from pasokh.router.runtime_models import RoutingEvent
from pasokh.router.serialize import event_from_dict
from pasokh.routing.events import Event
from pasokh.voice.models import PhoneNumber

log = logging.getLogger("pasokh.voice.routing_log")

POLL_S = 0.05  # how long an event can wait in the log before the voice service sees it
TENANTS_EVERY_S = 10.0
BATCH = 500  # rows read per tenant and pass at most; the rest come in the next pass

Deliver = Callable[[int, Event], None]
Wanted = Callable[[str, str], bool]


class RoutingLog:
    """A thread reading new ``RoutingEvent`` rows and handing them to ``deliver`` in order."""

    def __init__(
        self,
        deliver: Deliver,
        wanted: Wanted | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        self.deliver = deliver
        self.wanted = wanted  # (name, interaction id) → worth decoding; None: every event
        self.then = then  # run after each pass on the same thread (the desk's requests)
        self.cursors: dict[int, int] = {}
        self._start_id = 0
        self._tenants: list[int] = []
        self._tenants_at = -TENANTS_EVERY_S
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def begin(self) -> None:
        """From now on: events already in the log when the service starts are history."""
        self._start_id = RoutingEvent.objects.aggregate(last=Max("id"))["last"] or 0

    def start(self) -> None:
        self.begin()
        self._thread = threading.Thread(target=self._run, name="voice-routing", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                behind = self.poll()
            except Exception:
                log.exception("voice: reading the routing log failed; retrying")
                close_old_connections()
                behind = False
            if not behind:
                self._stopping.wait(POLL_S)
        connection.close()

    def poll(self) -> bool:
        """One pass over the tenants: the events committed since the last, delivered. True
        when a tenant had more rows than one pass reads."""
        now = time.monotonic()
        if now - self._tenants_at >= TENANTS_EVERY_S:
            self._tenants = sorted(
                set(PhoneNumber.objects.filter(is_active=True).values_list("tenant_id", flat=True))
            )
            self._tenants_at = now
        behind = False
        for tenant_id in self._tenants:
            behind |= self._poll_tenant(tenant_id) == BATCH
        if self.then is not None:
            self.then()
        return behind

    def _poll_tenant(self, tenant_id: int) -> int:
        """The rows read (delivered or not wanted)."""
        cursor = self.cursors.get(tenant_id, self._start_id)
        rows = list(
            RoutingEvent.objects.filter(tenant_id=tenant_id, id__gt=cursor)
            .order_by("id")
            .values_list("id", "name", "interaction_id", "payload")[:BATCH]
        )
        for row_id, name, interaction_id, payload in rows:
            self.cursors[tenant_id] = row_id
            if self.wanted is not None and not self.wanted(name, interaction_id):
                continue
            event = _decode(row_id, payload)
            if event is not None:
                self.deliver(tenant_id, event)
        return len(rows)


def _decode(row_id: int, payload: Any) -> Event | None:
    try:
        return event_from_dict(payload)
    except (KeyError, TypeError, ValueError):
        log.warning("voice: routing event %d could not be read; skipped", row_id)
        return None
