"""The voice service: SIP (sippy) + media (rtpengine) + the call controller, wired together.

Threads (docs/voice.md): the sippy reactor (the main thread under ``pasokh voice``; a thread
of its own inside ``pasokh run`` and in tests), the ``voice-control`` workers (Django,
rtpengine, router), ``voice-media`` (DTMF reports from rtpengine) and ``voice-watchdog`` (a
liveness probe of the reactor, ``watchdog.py``). The sink, where
rtpengine sends a waiting caller's audio until an agent answers, is never read: the kernel
drops what it does not hold, and no Python thread wakes 50 times a second per waiting caller.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import select
import shutil
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from sippy.SipConf import SipConf
from sippy.SipLogger import SipLogger

from pasokh.voice.control import Controller
from pasokh.voice.media import DIGITS
from pasokh.voice.ng import NgClient
from pasokh.voice.registrar import Registrar
from pasokh.voice.session import CallSession
from pasokh.voice.sipstack import ED2, TransactionManager, adopt_reactor_thread, open_websocket
from pasokh.voice.watchdog import ReactorWatch

log = logging.getLogger("pasokh.voice")


def parse_address(text: str, default_port: int) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        return (text, default_port)
    return (host, int(port))


@dataclass(frozen=True)
class VoiceSettings:
    listen: tuple[str, int]
    rtpengine: tuple[str, int]
    dtmf_listen: tuple[str, int]
    recordings: Path | None = None  # rtpengine's --recording-dir (pcap method)
    websocket: tuple[str, int] | None = None  # SIP over WebSocket for softphones (RFC 7118)
    tls: tuple[str, str] | None = None  # certificate and key: wss:// instead of ws://

    @classmethod
    def from_django(cls) -> VoiceSettings | None:
        if not settings.PASOKH_VOICE_LISTEN:
            return None
        return cls(
            listen=parse_address(settings.PASOKH_VOICE_LISTEN, 5060),
            rtpengine=parse_address(settings.PASOKH_VOICE_RTPENGINE, 2223),
            dtmf_listen=parse_address(settings.PASOKH_VOICE_DTMF_LISTEN, 2299),
            recordings=(
                Path(settings.PASOKH_VOICE_RECORDINGS) if settings.PASOKH_VOICE_RECORDINGS else None
            ),
            websocket=(
                parse_address(settings.PASOKH_VOICE_WEBSOCKET, 8089)
                if settings.PASOKH_VOICE_WEBSOCKET
                else None
            ),
            tls=(
                (settings.PASOKH_VOICE_TLS_CERT, settings.PASOKH_VOICE_TLS_KEY)
                if settings.PASOKH_VOICE_TLS_CERT and settings.PASOKH_VOICE_TLS_KEY
                else None
            ),
        )


class VoiceService:
    def __init__(self, config: VoiceSettings) -> None:
        self.config = config
        self.ng = NgClient(config.rtpengine)
        self.registrar = Registrar()
        self.reports = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.reports.bind(config.dtmf_listen)
        self.sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sink.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sink.bind((config.listen[0], 0))  # bound so that no one else gets the port
        self.controller = Controller(
            self.ng, self.registrar, self.sink.getsockname()[1], config.recordings
        )
        self.sip_config: dict[str, Any] = {
            "_sip_address": config.listen[0],
            "_sip_port": config.listen[1],
        }
        self.controller.sip_config = self.sip_config
        self._stopping = threading.Event()
        self._media_thread = threading.Thread(
            target=self._media_reports, name="voice-media", daemon=True
        )
        self._sip_thread: threading.Thread | None = None
        self.watch = ReactorWatch(ED2.callFromThread)  # logs a reactor that stops (watchdog.py)
        self.calls_seen = 0
        self._reactor_running = False

    # ── life cycle ──────────────────────────────────────────────────────────────────────────

    def rtpengine_ready(self) -> bool:
        return self.ng.ping()

    def prepare(self, *, routing_from_log: bool = False) -> None:
        """Before taking calls: end what a previous run left open, listen to routing (on the
        in-process bus, or from the router's event log in a process of its own)."""
        ended = self.controller.end_orphans()
        if ended:
            log.info("voice: ended %d call(s) left open by a previous run", ended)
        self.controller.connect_bus(from_log=routing_from_log)
        self._media_thread.start()

    def run_reactor(self) -> None:
        """Blocks: the sippy reactor on the calling thread until ``stop``."""
        adopt_reactor_thread()
        SipConf.my_address = self.config.listen[0]
        SipConf.my_port = self.config.listen[1]
        self.sip_config["_sip_logger"] = SipLogger("pasokh-voice")
        self.sip_config["_sip_tm"] = TransactionManager(self.sip_config, self.on_request)
        if self.config.websocket is not None:
            self.sip_config["_wss_server"] = open_websocket(
                self.sip_config["_sip_tm"], self.config.websocket, self.config.tls
            )
        log.info(
            "voice: SIP on %s:%d, rtpengine at %s:%d", *self.config.listen, *self.config.rtpengine
        )
        self._reactor_running = True
        self.watch.start()
        try:
            ED2.loop()
        finally:
            self.watch.stop()
            self._reactor_running = False

    def start_in_thread(self, *, routing_from_log: bool = False) -> None:
        self.prepare(routing_from_log=routing_from_log)
        ready = threading.Event()

        def reactor() -> None:
            ED2.callFromThread(ready.set)
            self.run_reactor()

        self._sip_thread = threading.Thread(target=reactor, name="voice-sip", daemon=True)
        self._sip_thread.start()
        ready.wait(5)

    def stop(self) -> None:
        self._stopping.set()
        self.watch.stop()
        self.controller.disconnect_bus()
        if self._reactor_running:
            # Only into a running reactor: a call queued into a stopped one would run first
            # thing in the next reactor of this process and stop it at once.
            for session in list(self.controller.sessions.values()):
                ED2.callFromThread(session.drop_agent)
                ED2.callFromThread(session.hang_up_customer)
            ED2.callFromThread(self._shutdown_sip)
        if self._sip_thread is not None:
            self._sip_thread.join(5)
        self.controller.shutdown()
        if self._media_thread.ident is not None:
            self._media_thread.join(2)
        self.reports.close()
        self.sink.close()
        self.ng.close()

    def _shutdown_sip(self) -> None:
        tm = self.sip_config.get("_sip_tm")
        if tm is not None:
            tm.shutdown()
        websocket = self.sip_config.pop("_wss_server", None)
        if websocket is not None:
            websocket.shutdown()
        connections.close_all()  # the registrar's queries ran on this thread
        ED2.breakLoop()

    # ── SIP requests outside dialogs (sippy thread) ─────────────────────────────────────────

    def on_request(self, request: Any, transaction: Any) -> Any:
        if request.getHFBody("to").getTag() is not None:
            return (request.genResponse(481, "Call Leg/Transaction Does Not Exist"), None, None)
        method = request.getMethod()
        if method == "INVITE":
            self.calls_seen += 1
            session = CallSession(
                media_id=f"pasokh-{secrets.token_hex(10)}",
                controller=self.controller,
                sip_config=self.sip_config,
            )
            return session.accept_invite(request, transaction)
        if method == "REGISTER":
            try:
                return (self.registrar.handle(request), None, None)
            except Exception:
                log.exception("voice: REGISTER failed")
                return (request.genResponse(500, "Server Internal Error"), None, None)
        if method == "OPTIONS":
            return (request.genResponse(200, "OK"), None, None)
        return (request.genResponse(501, "Not Implemented"), None, None)

    # ── media reports (voice-media thread) ──────────────────────────────────────────────────

    def _media_reports(self) -> None:
        while not self._stopping.is_set():
            try:
                readable, _, _ = select.select([self.reports], [], [], 0.2)
            except (OSError, ValueError):
                return
            if readable:
                try:
                    data = self.reports.recv(65535)
                except OSError:
                    continue
                self._dtmf_report(data)

    def _dtmf_report(self, data: bytes) -> None:
        try:
            report = json.loads(data)
            media_id = str(report["callid"])
            event = int(report["event"])
        except (ValueError, KeyError, TypeError):
            log.warning("voice: unreadable DTMF report %r", data[:200])
            return
        if 0 <= event < len(DIGITS):
            self.controller.later(self.controller.dtmf, media_id, DIGITS[event])


# ── inside `pasokh run` ─────────────────────────────────────────────────────────────────────


async def run() -> None:
    """Background service of ``pasokh run``: the voice channel when PASOKH_VOICE_LISTEN is set.

    The reactor runs in a thread of this process, so routing commands go to the embedded
    router and its events (the agent's screen pop) reach the desks served here.
    """
    config = VoiceSettings.from_django()
    if config is None:
        return
    if shutil.which("rtpengine") is None:
        log.warning("voice: rtpengine is not installed; the voice channel needs it")
    service = VoiceService(config)
    if not await asyncio.to_thread(service.rtpengine_ready):
        log.error(
            "voice: rtpengine does not answer at %s:%d; voice is off until it runs "
            "(rtpengine --interface=127.0.0.1 --listen-ng=%s:%d --dtmf-log-dest=%s:%d)",
            *config.rtpengine,
            *config.rtpengine,
            *config.dtmf_listen,
        )
        service.stop()
        return
    await asyncio.to_thread(service.start_in_thread)
    try:
        await asyncio.Event().wait()
    finally:
        await asyncio.to_thread(service.stop)
