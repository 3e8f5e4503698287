"""The ASGI application: HTTP through Django, WebSockets through Channels."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pasokh.config.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from pasokh.config.websockets import websocket_urlpatterns  # noqa: E402  (needs apps loaded)

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # Origin checks and authentication are per route (see websockets.py): the chat
        # widget's socket comes from the tenants' websites, the desk's from Pasokh itself.
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
