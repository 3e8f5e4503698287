"""WebSocket routes; each real-time feature adds its consumer here.

Origins are checked per route on purpose: the desk and the live view are Pasokh's own pages
(same-host origins only, session authentication), while the chat widget runs on the tenants'
websites, so its consumer accepts exactly the origins each tenant allowed.
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from pasokh.desk.consumers import DeskConsumer, LiveConsumer
from pasokh.webchat.consumers import CustomerChatConsumer


def _own_pages(consumer: Any) -> Any:
    return AllowedHostsOriginValidator(AuthMiddlewareStack(consumer))


websocket_urlpatterns: list[Any] = [
    path("ws/desk/", _own_pages(DeskConsumer.as_asgi())),
    path("ws/live/", _own_pages(LiveConsumer.as_asgi())),
    path("ws/webchat/", CustomerChatConsumer.as_asgi()),  # origin checked per tenant inside
]
