"""Per-client event queues: what lets a desk resume after a reconnect without losing anything.

A client registers and gets a queue id; every event meant for it is appended to its queue with
the next id, whether or not a socket is connected. On reconnect the client says the last id it
applied and gets the rest. The queue is a bounded ring in memory: if it overflowed, or the
process restarted, or the queue expired, the client is told to reload — it then registers again
and gets a fresh snapshot built from the database rows (offers, messages), so what must not be
lost never lived only here.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RING_SIZE = 2000  # events kept per client beyond its last ack
IDLE_EXPIRY_S = 10 * 60  # a queue with no socket for this long is dropped

Wake = Callable[[], None]


@dataclass
class ClientQueue:
    queue_id: str
    tenant_id: int
    user_id: int
    kind: str  # "agent" or "supervisor"
    events: deque[tuple[int, dict[str, Any]]] = field(default_factory=lambda: deque())
    next_id: int = 1
    dropped_up_to: int = 0  # ids at or below this were pushed out of the ring unacknowledged
    wake: Wake | None = None
    detached_at: float | None = None

    @property
    def last_event_id(self) -> int:
        return self.next_id - 1

    def push(self, event: dict[str, Any]) -> int:
        event_id = self.next_id
        self.next_id += 1
        self.events.append((event_id, event))
        if len(self.events) > RING_SIZE:
            dropped, _ = self.events.popleft()
            self.dropped_up_to = dropped
        return event_id

    def since(self, last_event_id: int) -> list[tuple[int, dict[str, Any]]] | None:
        """Events after ``last_event_id``; None if some of them are gone (reload)."""
        if last_event_id < self.dropped_up_to or last_event_id > self.last_event_id:
            return None
        return [(i, e) for i, e in self.events if i > last_event_id]

    def ack(self, last_event_id: int) -> None:
        """The client applied everything up to here: those events need not be kept."""
        last_event_id = min(last_event_id, self.last_event_id)
        while self.events and self.events[0][0] <= last_event_id:
            self.events.popleft()
        self.dropped_up_to = max(self.dropped_up_to, last_event_id)


class QueueRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, ClientQueue] = {}
        # The same queues by who they belong to, so publishing touches only its recipients'
        # queues (not every queue of the process): (tenant, user) → agents' queues, tenant →
        # supervisors' queues.
        self._agents: dict[tuple[int, int], dict[str, ClientQueue]] = {}
        self._supervisors: dict[int, dict[str, ClientQueue]] = {}

    def _index(self, queue: ClientQueue) -> dict[str, ClientQueue]:
        if queue.kind == "agent":
            return self._agents.setdefault((queue.tenant_id, queue.user_id), {})
        return self._supervisors.setdefault(queue.tenant_id, {})

    def _forget(self, queue: ClientQueue) -> None:
        self._queues.pop(queue.queue_id, None)
        key: Any = (queue.tenant_id, queue.user_id) if queue.kind == "agent" else queue.tenant_id
        index: dict[Any, dict[str, ClientQueue]] = (
            self._agents if queue.kind == "agent" else self._supervisors
        )
        queues = index.get(key)
        if queues is not None:
            queues.pop(queue.queue_id, None)
            if not queues:
                del index[key]

    def register(self, tenant_id: int, user_id: int, kind: str) -> ClientQueue:
        queue = ClientQueue(secrets.token_urlsafe(12), tenant_id, user_id, kind)
        with self._lock:
            self._expire()
            self._queues[queue.queue_id] = queue
            self._index(queue)[queue.queue_id] = queue
        return queue

    def get(self, queue_id: str, user_id: int) -> ClientQueue | None:
        with self._lock:
            self._expire()
            queue = self._queues.get(queue_id)
        return queue if queue is not None and queue.user_id == user_id else None

    def drop(self, queue_id: str) -> None:
        with self._lock:
            queue = self._queues.get(queue_id)
            if queue is not None:
                self._forget(queue)

    def attach(self, queue: ClientQueue, wake: Wake) -> None:
        with self._lock:
            queue.wake, queue.detached_at = wake, None

    def detach(self, queue: ClientQueue, wake: Wake) -> None:
        with self._lock:
            if queue.wake is wake:
                queue.wake, queue.detached_at = None, time.monotonic()

    def publish(
        self, tenant_id: int, event: dict[str, Any], *, users: set[int], supervisors: bool
    ) -> int:
        """Append ``event`` to the queues of these users (and of the tenant's supervisors)."""
        woken: list[Wake] = []
        count = 0
        with self._lock:
            targets = [
                queue
                for user_id in users
                for queue in self._agents.get((tenant_id, user_id), {}).values()
            ]
            if supervisors:
                targets += self._supervisors.get(tenant_id, {}).values()
            for queue in targets:
                queue.push(event)
                count += 1
                if queue.wake is not None:
                    woken.append(queue.wake)
        for wake in woken:
            wake()
        return count

    def _expire(self) -> None:
        now = time.monotonic()
        for queue in list(self._queues.values()):
            if queue.detached_at is not None and now - queue.detached_at > IDLE_EXPIRY_S:
                self._forget(queue)

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
            self._agents.clear()
            self._supervisors.clear()


registry = QueueRegistry()
