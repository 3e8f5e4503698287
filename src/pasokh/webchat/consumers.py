"""The customer's WebSocket: thin — authenticate by token and origin, forward both ways.

Protocol (JSON text frames; see docs/realtime.md):
  server → {"type": "hello", "conversation": {...}, "messages": [...]} on connect
           (``?after=<id>`` replays only the messages after the last one the widget has);
  client → {"type": "message", "body": "...", "client_id": "..."}, {"type": "seen",
           "up_to": id, "state": "delivered"|"read"}, {"type": "typing"},
           {"type": "csat", "score": 1..5, "comment": "..."}, {"type": "leave"};
  server → {"type": "sent", "client_id", "message"}, {"type": "message", "message"},
           {"type": "delivery", "ids", "state"}, {"type": "typing", "author"},
           {"type": "status", "status", "agent"}, {"type": "error", "code", "detail"}.
Private notes never reach this socket: only the event names in ``FORWARDED`` do.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer

from pasokh.interactions import holdings
from pasokh.interactions.actions import (
    ChatError,
    do_mark_messages,
    do_post_message,
    do_record_csat,
    do_signal_typing,
)
from pasokh.interactions.models import Interaction, Message
from pasokh.interactions.serialize import agent_display_name, conversation_messages
from pasokh.interactions.sockets import DirectDispatch, off_loop
from pasokh.webchat import listeners, ratelimit
from pasokh.webchat.access import conversation_for_token, origin_allowed, widget_for_tenant
from pasokh.webchat.routing import customer_left

MAX_FRAME_CHARS = 8000
BACKLOG_CAP = 500  # events waiting for a slow socket; past it the widget reconnects and resumes
FORWARDED = frozenset({"message.created", "message.delivery", "typing", "interaction.updated"})
CLOSE_FORBIDDEN = 4403
CLOSE_BACKLOG = 4408


def _conversation(interaction: Interaction) -> dict[str, Any]:
    return {
        "id": interaction.pk,
        "status": interaction.status,
        "agent": agent_display_name(interaction.agent) if interaction.agent_id else "",
        "rated": interaction.csat is not None,
    }


class CustomerChatConsumer(DirectDispatch, AsyncWebsocketConsumer):
    interaction: Interaction | None = None

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        token = (query.get("token") or [""])[0]
        after = _int((query.get("after") or ["0"])[0])
        headers = dict(self.scope.get("headers", []))
        origin = headers.get(b"origin", b"").decode() or None
        found = await off_loop(self._authorize)(token, origin)
        if found is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.interaction = found
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.last_typing = 0.0
        # Listening starts before the row and the messages are read for the hello, so nothing
        # falls between them: a status change or a message committed meanwhile is in the
        # hello or in the outbox (or both; the widget keys messages by id, and the outbox
        # holds later states than the hello's, in order).
        self.listener = listeners.thread_safe(asyncio.get_running_loop(), self._deliver)
        listeners.listen(str(found.pk), self.listener)
        await self.accept()
        conversation, messages = await off_loop(self._hello)(after)
        await self._send({"type": "hello", "conversation": conversation, "messages": messages})
        self.pump = asyncio.create_task(self._pump())

    def _hello(self, after: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        interaction = (
            Interaction.objects.select_related("agent")
            .filter(pk=self.interaction.pk)  # type: ignore[union-attr]
            .first()
        ) or self.interaction
        assert interaction is not None
        return _conversation(interaction), conversation_messages(interaction, after)

    def _authorize(self, token: str, origin: str | None) -> Interaction | None:
        # Only the tenant: the hello reads the row again once the socket listens.
        interaction = conversation_for_token(token, related=("tenant",))
        if interaction is None:
            return None
        if not origin_allowed(widget_for_tenant(interaction.tenant), origin):
            return None
        return interaction

    async def disconnect(self, code: int) -> None:
        if self.interaction is not None:
            listeners.stop(str(self.interaction.pk), self.listener)
            if getattr(self, "pump", None) is not None:
                self.pump.cancel()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.interaction is None or text_data is None:
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self._error("too_long", "The message is too long.")
            return
        try:
            data = json.loads(text_data)
            kind = data["type"]
        except (ValueError, KeyError, TypeError):
            await self._error("bad_frame", "Not a protocol frame.")
            return
        handler = getattr(self, f"_on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            await self._error("bad_frame", "Unknown frame type.")
            return
        await handler(data)

    async def _on_message(self, data: dict[str, Any]) -> None:
        if not ratelimit.allow("message", f"i{self.interaction.pk}"):  # type: ignore[union-attr]
            await self._error("rate_limited", "Slow down a little.")
            return
        try:
            message = await off_loop(self._post, pool="messages")(str(data.get("body", "")))
        except ChatError as refusal:
            await self._error("refused", str(refusal))
            return
        await self._send({"type": "sent", "client_id": data.get("client_id"), "message": message})

    def _post(self, body: str) -> dict[str, Any]:
        from pasokh.interactions.serialize import message_dict

        message = do_post_message(
            interaction=self._current(), sender=Message.Sender.CUSTOMER, body=body
        )
        return message_dict(message)

    def _current(self) -> Interaction:
        """The conversation as committed now: from the in-memory holding when this process
        knows it (``pasokh.interactions.holdings``), from the row otherwise."""
        holding = holdings.lookup(self.interaction.pk)  # type: ignore[union-attr]
        if holding is not None and holding.tenant_id == self.interaction.tenant_id:  # type: ignore[union-attr]
            return holding.as_interaction()
        return Interaction.objects.get(pk=self.interaction.pk)  # type: ignore[union-attr]

    async def _on_seen(self, data: dict[str, Any]) -> None:
        state = data.get("state")
        if state not in ("delivered", "read"):
            return
        await off_loop(self._mark, pool="messages")(state, _int(data.get("up_to")))

    def _mark(self, state: str, up_to: int) -> None:
        interaction = Interaction.objects.get(pk=self.interaction.pk)  # type: ignore[union-attr]
        do_mark_messages(
            interaction=interaction, reader=Message.Sender.CUSTOMER, state=state, up_to_id=up_to
        )

    async def _on_typing(self, data: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self.last_typing < 1.5:
            return
        self.last_typing = now
        await off_loop(self._typing, pool="messages")()

    def _typing(self) -> None:
        do_signal_typing(interaction=self._current(), side=Message.Sender.CUSTOMER)

    async def _on_csat(self, data: dict[str, Any]) -> None:
        try:
            await off_loop(self._rate)(_int(data.get("score")), str(data.get("comment", ""))[:1000])
        except ChatError as refusal:
            await self._error("refused", str(refusal))
            return
        await self._send({"type": "rated"})

    def _rate(self, score: int, comment: str) -> None:
        interaction = Interaction.objects.get(pk=self.interaction.pk)  # type: ignore[union-attr]
        do_record_csat(interaction=interaction, score=score, comment=comment)

    async def _on_leave(self, data: dict[str, Any]) -> None:
        await off_loop(self._leave, pool="router")()

    def _leave(self) -> None:
        customer_left(Interaction.objects.get(pk=self.interaction.pk))  # type: ignore[union-attr]

    # ── events from the server side ────────────────────────────────────────────────────────

    def _deliver(self, event: dict[str, Any]) -> None:
        if event["name"] not in FORWARDED:
            return
        if event["name"] == "typing" and event.get("side") != "agent":
            return
        if self.outbox.qsize() >= BACKLOG_CAP:
            self.outbox.put_nowait({"name": "backlog.full"})
            return
        self.outbox.put_nowait(event)

    async def _pump(self) -> None:
        """Sends queued events in order; a full backlog closes the socket so the widget
        reconnects and replays from the rows."""
        while True:
            event = await self.outbox.get()
            name = event["name"]
            if name == "backlog.full":
                await self.close(code=CLOSE_BACKLOG)
                return
            if name == "message.created":
                await self._send({"type": "message", "message": event["message"]})
            elif name == "message.delivery":
                await self._send({"type": "delivery", "ids": event["ids"], "state": event["state"]})
            elif name == "typing":
                await self._send({"type": "typing", "author": event["author"]})
            else:
                await self._send(
                    {"type": "status", "status": event["status"], "agent": event["agent"]}
                )

    async def _send(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def _error(self, code: str, detail: str) -> None:
        await self._send({"type": "error", "code": code, "detail": detail})


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
