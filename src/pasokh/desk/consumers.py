"""The desk's and the live view's WebSocket: thin — authenticate, subscribe, forward.

Protocol (docs/realtime.md): the client sends ``register`` (answer: ``registered`` with a
queue id, the last event id and a snapshot) or ``resume`` (answer: the missed events, or
``reload`` when the queue is gone); events come as ``{"op": "event", "id", "event"}`` with
increasing ids and the client ``ack``s what it applied. Requests (``do``/``fetch``) carry a
``request_id`` and are answered by a ``result``. The work itself lives in commands.py,
snapshot.py, customer.py and live.py.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from pasokh.desk import commands, customer, live, snapshot
from pasokh.desk.queues import ClientQueue, registry
from pasokh.interactions.actions import ChatError
from pasokh.interactions.sockets import DirectDispatch, off_loop
from pasokh.routing.state import RoutingError
from pasokh.tenancy.models import Role

MAX_FRAME_CHARS = 16000
BATCH = 200  # events per send burst; the rest follow on the next turn of the pump
CLOSE_FORBIDDEN = 4403


class DeskConsumer(DirectDispatch, AsyncWebsocketConsumer):
    kind = "agent"
    roles: tuple[str, ...] = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)

    queue: ClientQueue | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if (
            user is None
            or not user.is_authenticated
            or user.tenant_id is None
            or user.role not in self.roles
        ):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.language = await off_loop(lambda: user.preferred_language)()
        self.sent_up_to = 0
        self.wakeup = asyncio.Event()
        loop = asyncio.get_running_loop()

        def wake() -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.wakeup.set)

        self.wake = wake
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.queue is not None:
            registry.detach(self.queue, self.wake)
        if getattr(self, "pump", None) is not None:
            self.pump.cancel()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            return
        try:
            frame = json.loads(text_data)
            op = frame["op"]
        except (ValueError, KeyError, TypeError):
            return
        if op == "register":
            await self._register()
        elif op == "resume":
            await self._resume(str(frame.get("queue_id", "")), _int(frame.get("last_event_id")))
        elif op == "ack" and self.queue is not None:
            self.queue.ack(_int(frame.get("last_event_id")))
        elif op in ("do", "fetch"):
            await self._request(op, frame)

    # ── registering and resuming ───────────────────────────────────────────────────────────

    async def _register(self) -> None:
        # The queue exists before the snapshot is read, so nothing falls between them; an
        # event already reflected in the snapshot is applied again harmlessly (by id).
        queue = registry.register(self.user.tenant_id, self.user.pk, self.kind)
        state = await off_loop(self._snapshot)()
        self._attach(queue, queue.last_event_id)
        await self._send(
            {
                "op": "registered",
                "queue_id": queue.queue_id,
                "last_event_id": queue.last_event_id,
                "snapshot": state,
            }
        )
        self.wakeup.set()

    def _snapshot(self) -> dict[str, Any]:
        if self.kind == "supervisor":
            return live.live_snapshot(self.user)
        state = snapshot.agent_snapshot(self.user)
        state["reference"] = snapshot.desk_reference(self.user)
        return state

    async def _resume(self, queue_id: str, last_event_id: int) -> None:
        queue = registry.get(queue_id, self.user.pk)
        if queue is None or queue.since(last_event_id) is None:
            await self._send({"op": "reload"})
            return
        self._attach(queue, last_event_id)
        await self._send({"op": "resumed", "queue_id": queue_id})
        self.wakeup.set()

    def _attach(self, queue: ClientQueue, sent_up_to: int) -> None:
        if self.queue is not None:
            registry.detach(self.queue, self.wake)
        self.queue = queue
        self.sent_up_to = sent_up_to
        registry.attach(queue, self.wake)
        if getattr(self, "pump", None) is None:
            self.pump = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        while True:
            await self.wakeup.wait()
            self.wakeup.clear()
            queue = self.queue
            if queue is None:
                continue
            pending = queue.since(self.sent_up_to)
            if pending is None:
                await self._send({"op": "reload"})
                continue
            for event_id, event in pending[:BATCH]:
                await self._send({"op": "event", "id": event_id, "event": event})
                self.sent_up_to = event_id
            if len(pending) > BATCH:
                self.wakeup.set()

    # ── requests ───────────────────────────────────────────────────────────────────────────

    async def _request(self, op: str, frame: dict[str, Any]) -> None:
        request_id = frame.get("request_id")
        try:
            command = frame.get("command") if op == "do" else None
            pool = (
                "router"
                if command in commands.WAIT_ON_ROUTER
                else "messages"
                if command in commands.MESSAGES
                else ""
            )
            data = await off_loop(self._handle, pool=pool)(op, frame)
            answer = {"op": "result", "request_id": request_id, "ok": True, "data": data}
        except (commands.DeskError, ChatError, RoutingError) as error:
            with translation.override(self.language):
                detail = str(error) if not isinstance(error, RoutingError) else error.code
            answer = {"op": "result", "request_id": request_id, "ok": False, "error": detail}
        except (KeyError, ValueError, TypeError, Http404, PermissionDenied):
            answer = {"op": "result", "request_id": request_id, "ok": False, "error": "bad_request"}
        await self._send(answer)

    def _handle(self, op: str, frame: dict[str, Any]) -> Any:
        args = frame.get("args") or {}
        if not isinstance(args, dict):
            raise ValueError("args")
        with translation.override(self.language):
            if op == "do" and self.kind == "agent":
                return commands.COMMANDS[str(frame["command"])](self.user, args)
            return self._fetch(str(frame.get("what")), args)

    def _fetch(self, what: str, args: dict[str, Any]) -> Any:
        user = self.user
        if self.kind == "supervisor":
            if what == "live":
                return live.live_snapshot(user)
            raise KeyError(what)
        fetch = snapshot.fetcher(user)
        if what in ("conversation", "offer", "presence"):
            return fetch(what, args.get("id"))
        interaction = commands.held(user, args.get("interaction_id"))
        if what == "customer":
            return customer.customer_360(user, interaction)
        if what == "canned":
            return customer.canned_answers(user, interaction, str(args.get("q", ""))[:100])
        if what == "scripts":
            return customer.guided_scripts(user, interaction)
        raise KeyError(what)

    async def _send(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))


class LiveConsumer(DeskConsumer):
    kind = "supervisor"
    roles = (Role.SUPERVISOR, Role.ADMIN)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
