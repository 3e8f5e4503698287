"""A supervisor barges into a live call from the live view, turns it into a whisper, and leaves.

Real rtpengine, real sippy service, real sipp phones for the signalling (the customer calling
the demo number, agent5's phone registered with digest and answering the bridge's re-INVITEs,
the supervisor's phone). Each side's media is a UDP socket of the test that sends a tone of
its own (customer 500 Hz, agent 800 Hz, supervisor 1300 Hz, PCMU, 50 packets a second) back
to wherever its audio comes from (symmetric RTP, as phones behind NAT do), and keeps what it
receives: the tones in it (Goertzel) say who hears whom."""

from __future__ import annotations

import math
import select
import socket
import struct
import threading
import time
from typing import Any

import pytest

from pasokh.voice.mixer import FRAME, ULAW
from pasokh.voice.recording import DECODE
from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.scenarios import HEAD, TAIL, customer_hangs_up_by_server
from pasokh.voice.tests.test_bridge import level
from pasokh.voice.tests.test_call_flow import CALLER, _register_agent, _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

TONES = {"customer": 500.0, "agent": 800.0, "supervisor": 1300.0}
HEARD = 2000  # amplitude of a tone that is heard (each is sent at 6000)
NOT_HEARD = 400


class Media(threading.Thread):
    """The three sides' media sockets: each sends its tone to the last address it received
    RTP from, and logs what it receives with the time."""

    def __init__(self, tones: dict[str, float] = TONES) -> None:
        super().__init__(name="test-media", daemon=True)
        self.tones_sent = tones
        self.sockets: dict[str, socket.socket] = {}
        for name in tones:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            self.sockets[name] = sock
        self.peer: dict[str, tuple[str, int] | None] = dict.fromkeys(tones)
        self.received: dict[str, list[tuple[float, tuple[str, int], bytes]]] = {
            name: [] for name in tones
        }
        self.sent = dict.fromkeys(tones, 0)
        self.digit: str | None = None
        self._digit_packets = 0
        self._digit_start = 0
        self._halt = threading.Event()

    def port(self, name: str) -> int:
        return int(self.sockets[name].getsockname()[1])

    def run(self) -> None:
        index = 0
        due = time.monotonic()
        by_socket = {sock: name for name, sock in self.sockets.items()}
        while not self._halt.is_set():
            left = due - time.monotonic()
            if left > 0:
                for sock in select.select(list(by_socket), [], [], left)[0]:
                    data, source = sock.recvfrom(2048)
                    name = by_socket[sock]
                    if len(data) >= 12 and DECODE.get(data[1] & 0x7F) is not None:
                        self.received[name].append((time.monotonic(), source, data))
                        self.peer[name] = source
                continue
            due += 0.02
            for name, sock in self.sockets.items():
                target = self.peer[name]
                if target is None:
                    continue
                sequence = self.sent[name] & 0xFFFF
                self.sent[name] += 1
                if name == "customer" and self.digit is not None:
                    self._send_digit(sock, target, sequence)
                    continue
                samples = (
                    int(
                        6000
                        * math.sin(2 * math.pi * self.tones_sent[name] * (index * FRAME + n) / 8000)
                    )
                    for n in range(FRAME)
                )
                payload = bytes(ULAW[value + 32768] for value in samples)
                header = struct.pack("!BBHII", 0x80, 0, sequence, index * FRAME, 4242)
                sock.sendto(header + payload, target)
            index += 1

    def _send_digit(self, sock: socket.socket, target: tuple[str, int], sequence: int) -> None:
        """RFC 4733, one packet a tick instead of audio: the event for 200 ms, then three end
        packets."""
        if self._digit_packets == 0:
            self._digit_start = self.sent["customer"] * FRAME
        self._digit_packets += 1
        k = self._digit_packets
        end = 0x80 if k > 10 else 0
        payload = struct.pack("!BBH", int(str(self.digit)), end | 10, min(k, 10) * FRAME)
        marker = 0x80 if k == 1 else 0
        header = struct.pack("!BBHII", 0x80, marker | 101, sequence, self._digit_start, 4242)
        sock.sendto(header + payload, target)
        if k == 13:
            self.digit = None
            self._digit_packets = 0

    def tones(self, name: str, since: float, until: float) -> dict[str, float]:
        samples = [
            DECODE[data[1] & 0x7F][b]
            for moment, _source, data in self.received[name]
            if since <= moment < until
            for b in data[12:]
        ]
        assert len(samples) > 8000 * (until - since) * 0.8, (name, len(samples))
        return {source: round(level(samples, tone)) for source, tone in self.tones_sent.items()}

    def sources(self, name: str, since: float, until: float) -> set[int]:
        return {s[1] for m, s, _d in self.received[name] if since <= m < until}

    def stop(self) -> None:
        self._halt.set()
        self.join(2)
        for sock in self.sockets.values():
            sock.close()


def _reply(code: str, who: str, sdp: str = "", tag: bool = True) -> str:
    to = "[last_To:];tag=[pid]SIPpTag01[call_number]" if tag else "[last_To:]"
    extra = "Content-Type: application/sdp\n" if sdp else ""
    return f"""  <send><![CDATA[
SIP/2.0 {code}
[last_Via:]
[last_From:]
{to}
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:{who}@[local_ip]:[local_port]>
{extra}Content-Length: [len]
{sdp}
]]></send>
"""


def _sdp(port: int) -> str:
    return (
        "\nv=0\no=phone 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
        f"m=audio {port} RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n"
        "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n"
    )


def agent_phone(media_port: int, reinvites: int) -> str:
    """agent5's phone: rings 500 ms, answers with media on the test's socket, accepts
    ``reinvites`` re-INVITEs (to the bridge and back), then waits for the service's BYE."""
    body = '  <recv request="INVITE"/>\n' + _reply("180 Ringing", "agent")
    body += '  <pause milliseconds="500"/>\n' + _reply("200 OK", "agent", _sdp(media_port))
    body += '  <recv request="ACK"/>\n'
    for _ in range(reinvites):
        body += '  <recv request="INVITE"/>\n' + _reply("200 OK", "agent", _sdp(media_port), False)
        body += '  <recv request="ACK"/>\n'
    body += '  <recv request="BYE"/>\n' + _reply("200 OK", "agent", tag=False)
    return HEAD.format(name="agent") + body + TAIL


def supervisor_phone(media_port: int) -> str:
    body = '  <recv request="INVITE"/>\n' + _reply("180 Ringing", "supervisor")
    body += _reply("200 OK", "supervisor", _sdp(media_port)) + '  <recv request="ACK"/>\n'
    body += '  <recv request="BYE"/>\n' + _reply("200 OK", "supervisor", tag=False)
    return HEAD.format(name="supervisor") + body + TAIL


def agent_desk_phone(lab: Any, media: Media, port: int, reinvites: int) -> Sipp:
    """agent5's desk phone (extension 205) on ``port``, speaking and hearing through ``media``,
    taking ``reinvites`` re-INVITEs (started; it registers once the test says so)."""
    return Sipp(
        lab.workdir,
        "agent-205",
        agent_phone(media.port("agent"), reinvites),
        port,
        lab.ports.take(),
    ).start()


def tone_customer(lab: Any, media: Media) -> Sipp:
    """The customer calling the demo number (not started yet), speaking and hearing through
    ``media``."""
    from pasokh.voice.demo import demo_number

    scenario = customer_hangs_up_by_server(demo_number(lab.tenants.home), CALLER, steps=[])
    return Sipp(
        lab.workdir,
        "customer",
        scenario.replace("[media_port]", str(media.port("customer"))),
        lab.ports.take(),
        lab.ports.take(),
        lab.sip,
    )


def answered_through_the_menu(caller: Sipp, media: Media, agent: Any) -> Any:
    """The agent gets ready, the customer calls, hears the menu and presses 2: the connected
    call, once the agent's phone has answered."""
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.models import Call

    do_set_agent_state(agent, "ready")
    caller.start()
    _wait_for(lambda: media.peer["customer"], 15, "the menu's prompt")
    time.sleep(1.0)
    media.digit = "2"
    return _wait_for(
        lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "the answer"
    )


def test_a_supervisor_barges_in_whispers_and_leaves(voice_lab: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.audit.models import AuditEntry
    from pasokh.desk import commands as desk_commands
    from pasokh.voice import barge as barging
    from pasokh.voice.actions import do_set_sip_password
    from pasokh.voice.models import Call
    from pasokh.voice.tests.phones import packets

    lab = voice_lab
    agent = lab.tenants.user("agent5")
    supervisor = lab.tenants.user("supervisor")
    do_set_sip_password(user=supervisor, username="300", password="pasokh-1405")
    media = Media()
    media.start()
    sup_port, agent_port = lab.ports.take(), lab.ports.take()
    sup_phone = Sipp(
        lab.workdir,
        "supervisor",
        supervisor_phone(media.port("supervisor")),
        sup_port,
        lab.ports.take(),
    ).start()
    phone = agent_desk_phone(lab, media, agent_port, reinvites=2)
    caller = tone_customer(lab, media)
    figures: dict[str, object] = {}
    try:
        _register_agent(lab, "300", sup_port)
        _register_agent(lab, "205", agent_port)
        call = answered_through_the_menu(caller, media, agent)
        iid = int(str(call.interaction_id))
        time.sleep(1.5)
        # Before: rtpengine alone; the customer hears the agent, the agent the customer.
        now = time.monotonic()
        figures["before"] = before = {
            "customer": media.tones("customer", now - 1, now),
            "agent": media.tones("agent", now - 1, now),
        }
        assert before["customer"]["agent"] > HEARD
        assert before["agent"]["customer"] > HEARD

        join = reverse("voice:join", args=[iid, "barge"])
        desk = Client()
        desk.force_login(agent)
        assert desk.post(join).status_code == 403  # agents cannot barge in
        stranger = Client()
        stranger.force_login(lab.tenants.user("b_supervisor"))
        refused = stranger.post(join)
        assert refused.status_code == 409, refused.content  # another tenant's call: not found
        assert refused.json()["error"] == "چنین تماسی وجود ندارد."  # translated

        boss = Client()
        boss.force_login(supervisor)
        assert boss.post(join).json() == {"ok": True, "mode": "barge"}
        session = lab.service.controller.by_interaction[str(iid)]
        joined = _wait_for(
            lambda: (b := barging.current(session)) is not None and b.joined and b, 15, "barge"
        )
        rows = boss.get(reverse("voice:live_calls")).json()["calls"]
        assert rows[0]["join"] == {"mode": "barge", "ringing": False, "joined": True}
        time.sleep(1.0)
        start = time.monotonic()
        time.sleep(1.5)
        barge_stats = joined.bridge.stats()
        now = time.monotonic()
        figures["barge"] = heard = {name: media.tones(name, start, now) for name in TONES}
        bridge_ports = set(joined.bridge.ports.values())
        assert media.sources("agent", start, now) <= bridge_ports  # the re-INVITE took effect
        assert media.sources("supervisor", start, now) <= bridge_ports
        assert not media.sources("customer", start, now) & bridge_ports  # rtpengine's, as ever
        for name, tones in heard.items():
            for source, amplitude in tones.items():
                if source == name:
                    assert amplitude < NOT_HEARD, (name, tones)
                else:
                    assert amplitude > HEARD, (name, source, tones)

        # The same supervisor turns the barge into a whisper: the customer stops hearing them.
        assert boss.post(reverse("voice:join", args=[iid, "whisper"])).json()["mode"] == "whisper"
        _wait_for(lambda: joined.mode == "whisper", 5, "the whisper")
        time.sleep(0.5)
        start = time.monotonic()
        time.sleep(1.5)
        now = time.monotonic()
        figures["whisper"] = whispered = {name: media.tones(name, start, now) for name in TONES}
        assert whispered["customer"]["agent"] > HEARD
        assert whispered["customer"]["supervisor"] < NOT_HEARD
        assert whispered["agent"]["customer"] > HEARD
        assert whispered["agent"]["supervisor"] > HEARD
        assert whispered["supervisor"]["customer"] > HEARD
        assert whispered["supervisor"]["agent"] > HEARD

        # Leaving: the supervisor's phone gets BYE, the agent's phone goes back to rtpengine.
        assert boss.post(reverse("voice:join", args=[iid, "stop"])).json() == {
            "ok": True,
            "mode": "",
        }
        assert sup_phone.wait(15) == 0, sup_phone.explain()
        _wait_for(lambda: barging.current(session) is None, 10, "the bridge to go")
        time.sleep(1.0)
        start = time.monotonic()
        time.sleep(1.0)
        now = time.monotonic()
        figures["after"] = after = {
            "customer": media.tones("customer", start, now),
            "agent": media.tones("agent", start, now),
        }
        assert not media.sources("agent", start, now) & bridge_ports
        assert after["customer"]["agent"] > HEARD
        assert after["agent"]["customer"] > HEARD
        assert after["customer"]["supervisor"] < NOT_HEARD
        assert after["agent"]["supervisor"] < NOT_HEARD
        figures["rtpengine"] = packets(lab, call.media_id)
        desk_commands.end(agent, {"interaction_id": str(iid)})
        assert caller.wait(20) == 0, caller.explain()
        assert phone.wait(20) == 0, phone.explain()
    finally:
        media.stop()
        sup_phone.stop()
        phone.stop()
        caller.stop()
    figures["bridge"] = barge_stats
    print("barge:", figures)
    assert barge_stats["supervisor"]["received"] > 50
    assert barge_stats["agent"]["received"] > 50
    assert barge_stats["customer"]["received"] > 50
    for name in TONES:
        assert barge_stats[name]["sent"] > 50
    audit = AuditEntry.objects.filter(actor=supervisor, action__startswith="voice.").values_list(
        "action", flat=True
    )
    assert sorted(audit) == ["voice.barge", "voice.whisper"]
    stored = Call.objects.get(pk=call.pk).media_stats
    assert stored[f"whisper-{supervisor.pk}"]["supervisor_received"] > 50


def test_the_supervisors_own_hang_up_gives_the_call_back_to_the_two(voice_lab: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.desk import commands as desk_commands
    from pasokh.voice import barge as barging
    from pasokh.voice.actions import do_set_sip_password
    from pasokh.voice.tests.test_conference import third_party

    lab = voice_lab
    agent = lab.tenants.user("agent5")
    supervisor = lab.tenants.user("supervisor")
    do_set_sip_password(user=supervisor, username="300", password="pasokh-1405")
    media = Media()
    media.start()
    sup_port, agent_port = lab.ports.take(), lab.ports.take()
    # The supervisor's phone answers and hangs up by itself 3 s later.
    sup_phone = Sipp(
        lab.workdir,
        "supervisor",
        third_party(media.port("supervisor"), 3000),
        sup_port,
        lab.ports.take(),
    ).start()
    phone = agent_desk_phone(lab, media, agent_port, reinvites=2)
    caller = tone_customer(lab, media)
    try:
        _register_agent(lab, "300", sup_port)
        _register_agent(lab, "205", agent_port)
        call = answered_through_the_menu(caller, media, agent)
        iid = int(str(call.interaction_id))
        time.sleep(1.0)
        boss = Client()
        boss.force_login(supervisor)
        assert boss.post(reverse("voice:join", args=[iid, "barge"])).status_code == 200
        session = lab.service.controller.by_interaction[str(iid)]
        joined = _wait_for(
            lambda: (b := barging.current(session)) is not None and b.joined and b, 15, "barge"
        )
        bridge_ports = set(joined.bridge.ports.values())
        assert sup_phone.wait(15) == 0, sup_phone.explain()  # it hung up
        _wait_for(lambda: barging.current(session) is None, 10, "the bridge to go")
        time.sleep(1.0)
        start = time.monotonic()
        time.sleep(1.5)
        now = time.monotonic()
        after = {name: media.tones(name, start, now) for name in ("customer", "agent")}
        print("the supervisor hung up; customer and agent:", after, joined.stats)
        assert not media.sources("agent", start, now) & bridge_ports
        assert after["customer"]["agent"] > HEARD
        assert after["agent"]["customer"] > HEARD
        assert after["customer"]["supervisor"] < NOT_HEARD
        assert joined.stats["supervisor"]["received"] > 50
        desk_commands.end(agent, {"interaction_id": str(iid)})
        assert caller.wait(20) == 0, caller.explain()
        assert phone.wait(20) == 0, phone.explain()  # back from the bridge, then BYE
    finally:
        media.stop()
        sup_phone.stop()
        phone.stop()
        caller.stop()
