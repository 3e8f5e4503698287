"""Helpers for the chat tests: a started chat, sockets for the customer and the agents."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pasokh.conftest import TenantPair
from pasokh.desk.consumers import DeskConsumer
from pasokh.desk.queues import registry
from pasokh.interactions import holdings
from pasokh.router.service import reset_engines
from pasokh.webchat.consumers import CustomerChatConsumer
from pasokh.webchat.tests.communicator import WebsocketCommunicator

SITE = "https://shop.example.ir"


@pytest.fixture(autouse=True)
def _fresh_router(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    reset_engines()
    registry.clear()
    holdings.clear()  # ids are reused once a test's rows are flushed
    from django.core.cache import cache

    cache.clear()
    yield
    reset_engines()
    registry.clear()
    holdings.clear()


@pytest.fixture
def shop(tenants: TenantPair) -> TenantPair:
    """The home tenant's widget allows the shop's website."""
    from pasokh.webchat.actions import do_configure_chat_widget

    do_configure_chat_widget(tenant=tenants.home, allowed_origins=[SITE])
    always_open(tenants.home)
    empty_queues()
    reset_engines()  # the router rebuilds with the new opening hours
    return tenants


def empty_queues() -> None:
    """Withdraw whatever the demo left waiting, so offers go to the test's own chats."""
    from pasokh.router.actions import do_cancel_interaction
    from pasokh.router.runtime_models import QueueEntry

    for entry in QueueEntry.objects.filter(status="waiting").select_related("tenant"):
        do_cancel_interaction(entry.tenant, entry.interaction_id, "test")


def always_open(tenant: Any) -> None:
    """Open round the clock (no holidays), so routing does not depend on when tests run."""
    from pasokh.persian.calendar import Weekday
    from pasokh.tenancy.calendars import calendar_changed
    from pasokh.tenancy.models import Holiday

    tenant.business_week = {d.key: [{"opens": "00:00", "closes": "24:00"}] for d in Weekday}
    tenant.save(update_fields=["business_week"])
    Holiday.objects.filter(tenant=tenant).delete()
    calendar_changed(tenant)


def always_closed(tenant: Any) -> None:
    """Today (and tomorrow, for tests near midnight) become holidays."""
    import datetime
    import zoneinfo

    from django.utils import timezone

    from pasokh.tenancy.calendars import calendar_changed
    from pasokh.tenancy.models import Holiday

    today = timezone.now().astimezone(zoneinfo.ZoneInfo(tenant.time_zone)).date()
    for day in (today, today + datetime.timedelta(days=1)):
        Holiday.objects.create(tenant=tenant, date=day, name_fa="تعطیل آزمایشی", closed=True)
    calendar_changed(tenant)


def start_chat(tenant: Any, topic: str = "support", *, origin: str = SITE, **fields: Any) -> Any:
    payload = {"name": "نرگس", "contact": "09121234567", "topic": topic, "lang": "fa", **fields}
    return Client().post(
        f"/webchat/start?key={tenant.public_key}",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_ORIGIN=origin,
    )


def customer_socket(token: str, *, origin: str = SITE, after: int = 0) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        CustomerChatConsumer.as_asgi(),
        f"/ws/webchat/?token={token}&after={after}",
        headers=[(b"origin", origin.encode())],
    )


class Desk:
    """An agent's desk socket that keeps the frames a test has not looked at yet."""

    def __init__(self, user: Any) -> None:
        self.socket = WebsocketCommunicator(DeskConsumer.as_asgi(), "/ws/desk/")
        self.socket.scope["user"] = user
        self.frames: list[dict[str, Any]] = []
        self.events: list[tuple[int, dict[str, Any]]] = []  # every event received, in order
        self.requests = 0

    async def connect(self) -> dict[str, Any]:
        connected, _ = await self.socket.connect()
        assert connected
        await self.socket.send_json_to({"op": "register"})
        return await self.frame(lambda f: f["op"] == "registered")

    async def frame(self, wanted: Any, timeout: float = 3) -> dict[str, Any]:
        for index, frame in enumerate(self.frames):
            if wanted(frame):
                return self.frames.pop(index)
        while True:
            frame = await self.socket.receive_json_from(timeout=timeout)
            if frame.get("op") == "event":
                self.events.append((frame["id"], frame["event"]))
                await self.socket.send_json_to({"op": "ack", "last_event_id": frame["id"]})
            if wanted(frame):
                return frame
            self.frames.append(frame)

    async def event(self, name: str, timeout: float = 3, **match: Any) -> dict[str, Any]:
        def wanted(f: dict[str, Any]) -> bool:
            if f.get("op") != "event" or f["event"]["name"] != name:
                return False
            event = f["event"]
            return all(
                event.get(k) == v or event.get("message", {}).get(k) == v for k, v in match.items()
            )

        frame = await self.frame(wanted, timeout)
        return frame["event"]

    async def do(self, command: str, **args: Any) -> dict[str, Any]:
        self.requests += 1
        number = self.requests
        await self.socket.send_json_to(
            {"op": "do", "request_id": number, "command": command, "args": args}
        )
        return await self.frame(lambda f: f.get("op") == "result" and f["request_id"] == number)

    async def fetch(self, what: str, **args: Any) -> dict[str, Any]:
        self.requests += 1
        number = self.requests
        await self.socket.send_json_to(
            {"op": "fetch", "request_id": number, "what": what, "args": args}
        )
        return await self.frame(lambda f: f.get("op") == "result" and f["request_id"] == number)


class Customer:
    """The widget's socket, keeping unread frames the same way."""

    def __init__(self, token: str, *, origin: str = SITE, after: int = 0) -> None:
        self.socket = WebsocketCommunicator(
            CustomerChatConsumer.as_asgi(),
            f"/ws/webchat/?token={token}&after={after}",
            headers=[(b"origin", origin.encode())],
        )
        self.frames: list[dict[str, Any]] = []

    async def connect(self) -> dict[str, Any]:
        connected, _ = await self.socket.connect()
        assert connected
        return await self.frame("hello")

    async def frame(self, kind: str, timeout: float = 3, **match: Any) -> dict[str, Any]:
        def wanted(f: dict[str, Any]) -> bool:
            return f["type"] == kind and all(
                f.get(k) == v or f.get("message", {}).get(k) == v for k, v in match.items()
            )

        for index, frame in enumerate(self.frames):
            if wanted(frame):
                return self.frames.pop(index)
        while True:
            frame = await self.socket.receive_json_from(timeout=timeout)
            if wanted(frame):
                return frame
            self.frames.append(frame)

    async def send(self, **frame: Any) -> None:
        await self.socket.send_json_to(frame)
