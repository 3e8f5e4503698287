"""Helpers of the in-call tests: agents' sipp phones that log in, rtpengine's own counters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pasokh.voice.tests import scenarios
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.test_call_flow import _register_agent


@dataclass
class AgentPhone:
    sipp: Sipp
    extension: str

    @property
    def media_port(self) -> int:
        return self.sipp.media_port


def agent_phone(
    lab: Any,
    extension: str,
    *,
    ring_ms: int,
    hang_up_after_ms: int | None = None,
    busy: bool = False,
    voice: str = f"{scenarios.PCAPS}/g711a.pcap",
) -> AgentPhone:
    """An agent's phone, started and registered (digest) as ``extension``: it answers (or,
    ``busy``, refuses with 486) after ringing ``ring_ms``."""
    port = lab.ports.take()
    scenario = (
        scenarios.busy_phone(ring_ms=ring_ms)
        if busy
        else scenarios.agent_phone(
            ring_ms=ring_ms,
            answer=True,
            hang_up_after_ms=hang_up_after_ms,
            voice=voice,
        )
    )
    sipp = Sipp(lab.workdir, f"agent-{extension}", scenario, port, lab.ports.take()).start()
    try:
        _register_agent(lab, extension, port)
    except BaseException:
        sipp.stop()
        raise
    return AgentPhone(sipp, extension)


def customer(lab: Any, number: str, caller: str, steps: list[tuple[str, object]]) -> Sipp:
    """A customer (RTP echo) who presses digits and then stays until the service hangs up."""
    return Sipp(
        lab.workdir,
        "customer",
        scenarios.customer_hangs_up_by_server(number, caller, steps=steps),
        lab.ports.take(),
        lab.ports.take(),
        lab.sip,
        extra=("-rtp_echo",),
    ).start()


def packets(lab: Any, media_id: str) -> dict[str, int]:
    """Packets rtpengine received from each side so far (its own ``query``, on a socket of
    the test's own so the controller's ng client is not shared across threads)."""
    from pasokh.voice.ng import NgClient

    client = NgClient(("127.0.0.1", lab.rtpengine.ng_port))
    try:
        answer = client.command("query", call_id=media_id)
    finally:
        client.close()
    counted: dict[str, int] = {}
    for tag, monologue in (answer.get("tags") or {}).items():
        counted[str(tag)] = sum(
            int(stream.get("stats", {}).get("packets", 0))
            for media in monologue.get("medias", [])
            for stream in media.get("streams", [])
        )
    return counted


def agent_side_endpoint(lab: Any, media_id: str) -> int:
    """The port rtpengine sends the customer's audio to: the connected agent phone's."""
    from pasokh.voice.ng import NgClient

    client = NgClient(("127.0.0.1", lab.rtpengine.ng_port))
    try:
        answer = client.command("query", call_id=media_id)
    finally:
        client.close()
    stream = answer["tags"]["agent"]["medias"][0]["streams"][0]
    return int(stream["endpoint"]["port"])
