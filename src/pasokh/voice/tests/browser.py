"""What the voice browser tests share: a real ``pasokh run`` (``ScratchServer``) serving a
scratch copy of the demo with voice on (rtpengine and the SIP listener by PID, on this worker's
ports), desk phones registered with the demo password, a customer calling the demo number, the
agent ready at the desk, and screenshots in docs/screenshots."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.peers import PortPool, Rtpengine, Sipp
from pasokh.voice.tests.test_browser_softphone import FACTS, PASSWORD, SHOTS, sign_in
from pasokh.webchat.scratch import ALWAYS_OPEN, EMPTY_QUEUES, ScratchServer

# The demo tenant's trunk pointed at a local sipp (``% port``).
TRUNK = """
from pasokh.voice.models import SipTrunk
SipTrunk.objects.filter(tenant__slug="diginoo").update(host="127.0.0.1", port=%d)
"""


@contextmanager
def voice_stage(
    root: Path, caller: str, *, setup: str = "", recordings: bool = False
) -> Iterator[dict[str, Any]]:
    """The running server and its voice service: ``server``, ``root``, ``ports``, ``sip`` and
    the demo's facts for ``caller`` (``FACTS``); ``setup`` runs in the server first, and with
    ``recordings`` rtpengine's recordings are the service's."""
    ports = PortPool()
    dtmf_port = ports.take()
    with Rtpengine(root, ports, dtmf_port) as rtpengine:
        sip = ("127.0.0.1", ports.take())
        server = ScratchServer(root / "data", setup=ALWAYS_OPEN + EMPTY_QUEUES)
        server.env.update(
            {
                "PASOKH_VOICE_LISTEN": f"{sip[0]}:{sip[1]}",
                "PASOKH_VOICE_RTPENGINE": f"127.0.0.1:{rtpengine.ng_port}",
                "PASOKH_VOICE_DTMF_LISTEN": f"127.0.0.1:{dtmf_port}",
                "PASOKH_LOG_LEVEL": "INFO",
            }
        )
        if recordings:
            server.env["PASOKH_VOICE_RECORDINGS"] = str(rtpengine.recordings)
        with server:
            facts = json.loads(server.python(FACTS % caller).strip().splitlines()[-1])
            if setup:
                server.python(setup)
            yield {"server": server, "root": root, "ports": ports, "sip": sip, **facts}


def register(stage: dict[str, Any], extension: str, phone_port: int, name: str = "") -> None:
    """The phone on ``phone_port`` signs in as ``extension`` with the demo password."""
    registration = Sipp(
        stage["root"],
        name or f"register-{extension}",
        scenarios.register(extension, PASSWORD, phone_port),
        stage["ports"].take(),
        stage["ports"].take(),
        stage["sip"],
    ).start()
    assert registration.wait(15) == 0, registration.explain()


def desk_phone(stage: dict[str, Any], name: str, ring_ms: int) -> Sipp:
    """agent5's desk phone, registered with the demo password; answers after ``ring_ms``."""
    port = stage["ports"].take()
    phone = Sipp(
        stage["root"],
        name,
        scenarios.agent_phone(ring_ms=ring_ms, answer=True),
        port,
        stage["ports"].take(),
    ).start()
    register(stage, stage["extension"], port, f"register-{name}")
    return phone


def echoing_customer(stage: dict[str, Any], caller: str) -> Sipp:
    """``caller`` calls the demo number, presses 2 for an agent and echoes what they hear."""
    return Sipp(
        stage["root"],
        "customer",
        scenarios.customer_hangs_up_by_server(
            stage["number"], caller, steps=[("pause", 2500), ("digit", "2")]
        ),
        stage["ports"].take(),
        stage["ports"].take(),
        stage["sip"],
        extra=("-rtp_echo",),
    ).start()


def ready_agent(browser: Any, server: ScratchServer) -> Any:
    """agent5's desk in Persian, the agent ready for calls."""
    page = sign_in(browser, server, "agent5", "fa")
    page.select_option("[data-state-select]", "ready")
    page.wait_for_selector("[data-state-dot][data-state=ready]", state="attached")
    return page


def shot(page: Any, name: str) -> None:
    """docs/screenshots/<name>-fa.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-fa.png"))
