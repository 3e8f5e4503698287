"""sippy, configured once for this service (import this module before any other sippy module).

* ``SIPLOG_BEND=none``: sippy logs every message otherwise (a third of the CPU).
* One sender/receiver thread per UDP socket: sippy's default of three reorders messages
  (a 180 after the 200) under load.
* Upper-case ``transport=UDP`` in URIs (sipp and many phones send it) is lower-cased: sippy
  2.5.0 compares it case-sensitively and fails in-dialog requests otherwise.
* sippy's UDP receiver formats its message for an unexpected socket error with an attribute
  it never sets (``my_pid``): the AttributeError ended the receiving thread and the service
  never heard SIP again. The attribute is set here, so the error is reported and the thread
  goes on.
* A datagram that is not UTF-8 cannot be SIP (RFC 3261 §7.3.1 and §25: the message is
  UTF-8 text); sippy answered each with a full traceback on standard output, so RTP sent to
  the SIP port by a misconfigured phone wrote 50 tracebacks a second. ``TransactionManager``
  drops them; sippy's reports of SIP it cannot parse (a scanner's, a broken phone's) go to the
  log instead of a traceback and the whole message each. Both say how many, at most once a
  minute (``Throttled``).
* The reactor (ED2) normally owns the main thread (``pasokh voice``). ``adopt_reactor_thread``
  lets another thread run it (inside ``pasokh run`` and in tests): its timers are then only
  ever armed from that thread, through ``ED2.callFromThread``.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from threading import get_ident
from typing import Any

os.environ.setdefault("SIPLOG_BEND", "none")

import sippy.SipTransactionManager
from sippy.Core.EventDispatcher import ED2
from sippy.SipConf import SipConf
from sippy.SipTransactionManager import SipTransactionManager
from sippy.SipURL import SipURL
from sippy.Udp_server import AsyncReceiver, Udp_server_opts

log = logging.getLogger("pasokh.voice")

Udp_server_opts.nworkers = 1
AsyncReceiver.my_pid = os.getpid()
SipConf.my_uaname = "Pasokh"
SipConf.allow_formats = (0, 8, 101)

_original_set_params = SipURL.setParams


def _set_params(self: Any, params: Any) -> None:
    _original_set_params(self, params)
    if isinstance(self.transport, str):
        self.transport = self.transport.lower()


SipURL.setParams = _set_params


REPORT_EVERY_S = 60.0  # how often a kind of bad input is reported, with how many there were


class Throttled:
    """A warning about bad input from outside, at most once a ``REPORT_EVERY_S``: a flood of
    it (a scanner, a stream sent to the wrong port) writes a line a minute, not one each."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.count = 0  # since the start
        self._reported = 0
        self._next_at = 0.0

    def note(self, detail: object) -> None:
        self.count += 1
        now = time.monotonic()
        if now < self._next_at:
            return
        log.warning(
            "voice: %s: %d since the last report (the last: %s)",
            self.what,
            self.count - self._reported,
            detail,
        )
        self._reported = self.count
        self._next_at = now + REPORT_EVERY_S


unparsable = Throttled("SIP that could not be parsed, dropped")


def _report_unparsable(message: str, f: Any = None, extra: Any = None) -> None:
    """sippy's ``dump_exception`` as its transaction manager calls it for a message it cannot
    parse, in the middle of handling that error."""
    unparsable.note(f"{message}: {sys.exc_info()[1]!r}")


sippy.SipTransactionManager.dump_exception = _report_unparsable


class TransactionManager(SipTransactionManager):
    """sippy's transaction manager, with datagrams that cannot be SIP dropped quietly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_sip = Throttled("datagrams that are not SIP (not UTF-8), dropped")

    def handleIncoming(self, data_in: Any, ra: Any, server: Any, rtime: Any) -> None:  # noqa: N802
        if isinstance(data_in, bytes) and not _is_utf8(data_in):
            self.not_sip.note(f"from {getattr(ra, 'address', ra)}")
            return
        super().handleIncoming(data_in, ra, server, rtime)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


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


__all__ = ["ED2", "TransactionManager", "adopt_reactor_thread", "open_websocket"]
