"""Channels' own ``WebsocketCommunicator``, importable without Daphne.

``channels/testing/__init__.py`` imports its live-server helper, which needs Daphne; Pasokh
serves with uvicorn and does not depend on Daphne. The communicator itself needs only asgiref,
so the package is registered without running that ``__init__``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import channels

if "channels.testing" not in sys.modules:
    package = types.ModuleType("channels.testing")
    package.__path__ = [str(Path(channels.__file__).parent / "testing")]
    sys.modules["channels.testing"] = package

from channels.testing.websocket import WebsocketCommunicator

__all__ = ["WebsocketCommunicator"]
