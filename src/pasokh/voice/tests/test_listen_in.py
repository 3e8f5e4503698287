"""A supervisor listens in on a live call from the live view: their SIP phone (sipp, digest
registration) rings and receives one mixed stream of the customer (sipp, RTP echo) and the
agent (sipp phone speaking); what the supervisor's phone sends reaches nobody. Agents and
another tenant's supervisor are refused."""

from __future__ import annotations

import select
import socket
import struct
import time
from typing import Any

import pytest

from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.phones import agent_phone, customer, packets
from pasokh.voice.tests.scenarios import HEAD, TAIL
from pasokh.voice.tests.test_call_flow import CALLER, _register_agent, _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]


def listening_phone(media_port: int) -> str:
    """A phone that answers at once with media on ``media_port`` (the test's own socket, so
    the test counts what it receives) and waits for the service's BYE."""
    reply = """  <send><![CDATA[
SIP/2.0 {code}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:supervisor@[local_ip]:[local_port]>
{extra}Content-Length: [len]
{body}
]]></send>
"""
    sdp = (
        "\nv=0\no=sup 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
        f"m=audio {media_port} RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=recvonly\n"
    )
    body = '  <recv request="INVITE"/>\n' + reply.format(code="180 Ringing", extra="", body="")
    body += reply.format(code="200 OK", extra="Content-Type: application/sdp\n", body=sdp)
    body += '  <recv request="ACK"/>\n  <recv request="BYE"/>\n'
    body += reply.format(code="200 OK", extra="", body="")
    return HEAD.format(name="supervisor") + body + TAIL


def _receive(sock: socket.socket, seconds: float) -> dict[tuple[int, int], int]:
    """Packets received per (SSRC, payload type)."""
    counted: dict[tuple[int, int], int] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], 0.05)
        if ready:
            data = sock.recv(2048)
            key = (struct.unpack("!I", data[8:12])[0], data[1] & 0x7F)
            counted[key] = counted.get(key, 0) + 1
    return counted


def test_a_supervisors_phone_hears_both_sides_of_a_live_call(voice_lab: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.audit.models import AuditEntry
    from pasokh.desk import commands as desk_commands
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.actions import do_set_sip_password
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call

    lab = voice_lab
    tenant = lab.tenants.home
    agent = lab.tenants.user("agent5")
    supervisor = lab.tenants.user("supervisor")
    do_set_sip_password(user=supervisor, username="300", password="pasokh-1405")
    ears = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ears.bind(("127.0.0.1", 0))
    sup_port = lab.ports.take()
    sup_phone = Sipp(
        lab.workdir,
        "supervisor",
        listening_phone(ears.getsockname()[1]),
        sup_port,
        lab.ports.take(),
    ).start()
    phone = agent_phone(lab, "205", ring_ms=500)
    caller = None
    try:
        _register_agent(lab, "300", sup_port)
        do_set_agent_state(agent, "ready")
        caller = customer(lab, demo_number(tenant), CALLER, [("pause", 2500), ("digit", "2")])
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "the answer"
        )
        iid = int(str(call.interaction_id))
        listen = reverse("voice:listen", args=[iid, "start"])
        desk = Client()
        desk.force_login(agent)
        # The demo tenant records every call: REC is on from the answer, and cannot be stopped.
        state = reverse("voice:recording_state", args=[iid])
        assert desk.get(state).json() == {"mode": "all", "recording": True}
        stop = desk.post(reverse("voice:recording_control", args=[iid, "stop"]))
        assert stop.status_code == 409
        assert desk.post(listen).status_code == 403  # an agent cannot listen in
        assert desk.get(reverse("voice:live_calls")).status_code == 403
        stranger = Client()
        stranger.force_login(lab.tenants.user("b_supervisor"))
        assert stranger.post(listen).status_code == 409  # another tenant's call: not found
        assert stranger.get(reverse("voice:live_calls")).json() == {"calls": []}

        boss = Client()
        boss.force_login(supervisor)
        assert boss.post(listen).json() == {"ok": True, "listening": True}
        _wait_for(lambda: _receive(ears, 0.2), 15, "the supervisor's phone to get audio")
        heard = _receive(ears, 2.0)
        session = lab.service.controller.by_interaction[str(iid)]
        mixer = session.listeners[0].mixer
        rows = boss.get(reverse("voice:live_calls")).json()["calls"]
        assert [(r["interaction"], r["ringing"], r["listening"]) for r in rows] == [
            (iid, False, True)
        ]
        # What the supervisor's phone sends goes nowhere: the mixer reads and drops it.
        before = packets(lab, call.media_id)
        for k in range(50):
            ears.sendto(b"\x80\x00" + bytes(10) + b"\xff" * 160, ("127.0.0.1", mixer.output_port))
            time.sleep(0.004 * (k % 2))
        _wait_for(lambda: mixer.discarded >= 50, 5, "the mixer to drop the supervisor's audio")
        after = packets(lab, call.media_id)
        assert set(after) == set(before) == {"customer", "agent", f"listen-{supervisor.pk}"}

        assert boss.post(reverse("voice:listen", args=[iid, "stop"])).json() == {
            "ok": True,
            "listening": False,
        }
        assert sup_phone.wait(15) == 0, sup_phone.explain()  # the supervisor's phone got BYE
        stats = _wait_for(lambda: session.media_stats.get(f"listen-{supervisor.pk}"), 5, "stats")
        desk_commands.end(agent, {"interaction_id": str(iid)})
        assert caller.wait(20) == 0, caller.explain()
        assert phone.sipp.wait(20) == 0, phone.sipp.explain()
    finally:
        ears.close()
        sup_phone.stop()
        phone.sipp.stop()
        if caller is not None:
            caller.stop()
    print("listen-in: the supervisor's phone received", heard, "in 2 s; mixer", stats)
    assert len(heard) == 1  # one stream, mixed: one SSRC, PCMU
    ((_ssrc, payload_type), count) = next(iter(heard.items()))
    assert payload_type == 0
    assert 80 <= count <= 110  # 50 packets a second
    assert stats["customer"] > 50  # the customer's fork reached the mixer
    assert stats["agent"] > 50  # and the agent's
    assert stats["discarded"] >= 50
    assert AuditEntry.objects.filter(action="voice.listen_in", actor=supervisor).count() == 1
