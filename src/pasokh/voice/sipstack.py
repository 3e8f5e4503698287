"""sippy, configured once for this service (import this module before any other sippy module).

* ``SIPLOG_BEND=none``: sippy logs every message otherwise (a third of the CPU).
* One sender/receiver thread per UDP socket: sippy's default of three reorders messages
  (a 180 after the 200) under load.
* Upper-case ``transport=UDP`` in URIs (sipp and many phones send it) is lower-cased: sippy
  2.5.0 compares it case-sensitively and fails in-dialog requests otherwise.
* The reactor (ED2) normally owns the main thread (``pasokh voice``). ``adopt_reactor_thread``
  lets another thread run it (inside ``pasokh run`` and in tests): its timers are then only
  ever armed from that thread, through ``ED2.callFromThread``.
"""

from __future__ import annotations

import os
from threading import get_ident
from typing import Any

os.environ.setdefault("SIPLOG_BEND", "none")

from sippy.Core.EventDispatcher import ED2
from sippy.SipConf import SipConf
from sippy.SipURL import SipURL
from sippy.Udp_server import Udp_server_opts

Udp_server_opts.nworkers = 1
SipConf.my_uaname = "Pasokh"
SipConf.allow_formats = (0, 8, 101)

_original_set_params = SipURL.setParams


def _set_params(self: Any, params: Any) -> None:
    _original_set_params(self, params)
    if isinstance(self.transport, str):
        self.transport = self.transport.lower()


SipURL.setParams = _set_params


def open_websocket(transactions: Any, address: tuple[str, int], tls: tuple[str, str] | None) -> Any:
    """SIP over WebSocket (RFC 7118) beside UDP, for browsers' softphones: ws://, or wss://
    with a certificate and key. sippy's server runs its own asyncio loop in a thread and hands
    each message to the reactor; a binding made over it is reached through its connection."""
    from sippy.Wss_server import Wss_server, Wss_server_opts

    certfile, keyfile = tls if tls is not None else (None, None)
    options = Wss_server_opts(
        address, transactions.handleIncoming, certfile=certfile, keyfile=keyfile
    )
    return Wss_server({}, options)


def adopt_reactor_thread() -> None:
    """Call first thing in the thread that will run ``ED2.loop()``.

    The reactor is a process-wide singleton: timers left by the dialogs of an earlier run in
    this process (tests start and stop the service many times) belong to a transaction manager
    that no longer exists, so they are dropped here rather than fired into it.
    """
    ED2.my_ident = get_ident()
    ED2.tlisteners = []
    ED2.twasted = 0


__all__ = ["ED2", "adopt_reactor_thread", "open_websocket"]
