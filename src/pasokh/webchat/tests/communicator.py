"""Channels' own ``WebsocketCommunicator``, importable without Daphne, for transactional tests.

``channels/testing/__init__.py`` imports its live-server helper, which needs Daphne; Pasokh
serves with uvicorn and does not depend on Daphne. The communicator itself needs only asgiref,
so the package is registered without running that ``__init__``.

Channels' communicator turns ``close_old_connections`` into a no-op while it waits, to keep a
``TestCase`` transaction usable. Pasokh's socket tests are transactional (the consumers' worker
threads must see committed rows), so that protection only leaks: every worker thread kept its
PostgreSQL connection open, and the test database could not be dropped. This communicator lets
the consumers close their connections as they do in production; use it only in tests marked
``django_db(transaction=True)``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import channels

if "channels.testing" not in sys.modules:
    package = types.ModuleType("channels.testing")
    package.__path__ = [str(Path(channels.__file__).parent / "testing")]
    sys.modules["channels.testing"] = package

from asgiref.testing import ApplicationCommunicator
from channels.testing.websocket import (
    WebsocketCommunicator as ChannelsWebsocketCommunicator,
)

__all__ = ["WebsocketCommunicator"]


class WebsocketCommunicator(ChannelsWebsocketCommunicator):
    async def send_input(self, message: Any) -> Any:
        return await ApplicationCommunicator.send_input(self, message)

    async def receive_output(self, timeout: float = 1) -> Any:
        return await ApplicationCommunicator.receive_output(self, timeout)
