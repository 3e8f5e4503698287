"""The router as one asyncio task inside ``pasokh run`` (the embedded deployment).

The task owns the engines: commands arrive through an in-process ``asyncio.Queue`` and are
processed in order on a single worker thread (the database calls are synchronous). Whatever
queued up while the previous batch was written is taken together: the commands of a tenant go
through ``service.process_batch`` in one transaction (one commit for many, each refused command
refused alone), and each caller gets its own answer. Between commands it sleeps until the
earliest timer of any tenant (at most a second, so business hours opening are noticed) and
ticks. On start it rebuilds every tenant's engine from the database and
ticks once, catching up on whatever fell due while no router ran.

A sync caller already inside a transaction cannot wait for the task: on SQLite its open write
transaction would block the task's. Such a caller runs ``process`` itself, under the same
locks (the tenant's RouterState row, then the engine lock), so the order of commands stays one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone

from pasokh.router import bus, service
from pasokh.router.models import Queue
from pasokh.routing.commands import Tick
from pasokh.routing.events import Event

log = logging.getLogger("pasokh.router")

MAX_SLEEP_S = 1.0
MAX_BATCH = 200  # commands taken from the queue at once
SUBMIT_TIMEOUT_S = 30.0

Item = tuple[
    int,
    Any,
    datetime | None,
    "asyncio.Future[list[Event]] | concurrent.futures.Future[list[Event]]",
]


class EmbeddedRouter:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[Item] = asyncio.Queue()
        self.worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="router")
        self.worker_thread: threading.Thread | None = None
        self.tenants: set[int] = set()

    async def call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            self.worker_thread = threading.current_thread()
            close_old_connections()
            return function(*args, **kwargs)

        return await self.loop.run_in_executor(self.worker, run)

    async def start(self) -> None:
        self.tenants = set(
            await self.call(
                lambda: list(Queue.objects.values_list("tenant_id", flat=True).distinct())
            )
        )
        for tenant_id in sorted(self.tenants):
            await self.call(service.process, tenant_id, service.ReloadConfig())
            await self.call(service.process, tenant_id, Tick())
        log.info("router started for %d tenants", len(self.tenants))

    def seconds_to_sleep(self) -> float:
        now = timezone.now()
        sleep = MAX_SLEEP_S
        for tenant_id in self.tenants:
            due = service.next_deadline(tenant_id)
            if due is not None:
                sleep = min(sleep, max((due - now).total_seconds(), 0.0))
        return sleep

    async def serve(self) -> None:
        await self.start()
        while True:
            try:
                item = await asyncio.wait_for(self.queue.get(), self.seconds_to_sleep())
            except TimeoutError:
                item = None
            if item is not None:
                items = [item]
                while len(items) < MAX_BATCH and not self.queue.empty():
                    items.append(self.queue.get_nowait())
                await self.handle(items)
            await self.tick_due()

    async def handle(self, items: list[Item]) -> None:
        """The items in arrival order, as consecutive runs of one tenant's commands."""
        start = 0
        while start < len(items):
            tenant_id = items[start][0]
            end = start
            while end < len(items) and items[end][0] == tenant_id:
                end += 1
            await self.handle_run(tenant_id, items[start:end])
            start = end

    async def handle_run(self, tenant_id: int, items: list[Item]) -> None:
        self.tenants.add(tenant_id)
        batch = [(command, now) for _, command, now, _ in items]
        try:
            outcomes = await self.call(service.process_batch, tenant_id, batch)
        except BaseException as error:  # handed to every caller, who raises it
            outcomes = [error] * len(items)
        for (_, _, _, future), outcome in zip(items, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                _settle(future, error=outcome)
            else:
                _settle(future, result=outcome)

    async def tick_due(self) -> None:
        now = timezone.now() + timedelta(milliseconds=5)
        for tenant_id in sorted(self.tenants):
            due = service.next_deadline(tenant_id)
            if due is not None and due <= now:
                try:
                    await self.call(service.process, tenant_id, Tick())
                except Exception:
                    log.exception("tick of tenant %s failed", tenant_id)


def _settle(future: Any, *, result: Any = None, error: BaseException | None = None) -> None:
    """Answer an asyncio future (async caller) or a concurrent one (sync caller)."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


_router: EmbeddedRouter | None = None


def accepts_from_this_thread() -> bool:
    """A running task can take the command from this thread without a deadlock."""
    router = _router
    if router is None or not router.loop.is_running():
        return False
    if threading.current_thread() is router.worker_thread:
        return False
    try:
        asyncio.get_running_loop()
        return False  # sync code on an event loop thread must not block it
    except RuntimeError:
        pass
    return not connection.in_atomic_block


def is_router_thread() -> bool:
    """This thread is the router task's worker: whatever blocks it holds up all routing."""
    router = _router
    return router is not None and threading.current_thread() is router.worker_thread


def is_running_on_this_loop() -> bool:
    router = _router
    if router is None:
        return False
    try:
        return asyncio.get_running_loop() is router.loop
    except RuntimeError:
        return False


def submit_to_task(tenant_id: int, command: Any, now: datetime | None) -> list[Event]:
    router = _router
    assert router is not None
    future: concurrent.futures.Future[list[Event]] = concurrent.futures.Future()
    router.loop.call_soon_threadsafe(router.queue.put_nowait, (tenant_id, command, now, future))
    return future.result(timeout=SUBMIT_TIMEOUT_S)


async def asubmit_to_task(tenant_id: int, command: Any, now: datetime | None) -> list[Event]:
    router = _router
    assert router is not None
    future: asyncio.Future[list[Event]] = router.loop.create_future()
    router.queue.put_nowait((tenant_id, command, now, future))
    return await future


async def run() -> None:
    """The background service listed in ``pasokh.config.services.BACKGROUND_SERVICES``."""
    global _router
    if service.mode() == "remote":
        return  # scale-out: the `pasokh router` processes route
    loop = asyncio.get_running_loop()
    _router = EmbeddedRouter(loop)
    bus.use_loop(loop)
    try:
        await _router.serve()
    finally:
        bus.use_loop(None)
        _router.worker.shutdown(wait=False)
        _router = None
