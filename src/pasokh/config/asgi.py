"""The ASGI application: HTTP through Django, WebSockets through Channels."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pasokh.config.settings")

from asgiref.sync import ThreadSensitiveContext
from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from pasokh.config.websockets import websocket_urlpatterns  # noqa: E402  (needs apps loaded)

HTTP_THREADS = 16


class PooledThreads:
    """Django's HTTP requests on a fixed set of long-lived threads.

    Left to itself, Django under ASGI runs each request's sync code (middleware, views) in a
    thread made for that request alone, so every request opened a new database connection
    (on SQLite: the file, the PRAGMAs, the registered functions) and a new thread. Here each
    request borrows one of ``HTTP_THREADS`` single-thread executors for its whole life (Django's
    own per-request context nests inside it), so a thread keeps its connection as
    ``CONN_MAX_AGE`` says; a request beyond that many waits for a thread to come free.
    """

    def __init__(self, app: Any, threads: int = HTTP_THREADS) -> None:
        self.app = app
        self.threads = threads
        self.free: asyncio.Queue[ThreadPoolExecutor] | None = None

    def _pool(self) -> asyncio.Queue[ThreadPoolExecutor]:
        if self.free is None:
            self.free = asyncio.Queue()
            for number in range(self.threads):
                self.free.put_nowait(ThreadPoolExecutor(1, thread_name_prefix=f"http-{number}"))
        return self.free

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        free = self._pool()
        executor = await free.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.app(scope, receive, send)
        finally:
            free.put_nowait(executor)


application = ProtocolTypeRouter(
    {
        "http": PooledThreads(django_application),
        # Origin checks and authentication are per route (see websockets.py): the chat
        # widget's socket comes from the tenants' websites, the desk's from Pasokh itself.
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
