"""The media bridge on real UDP sockets (no rtpengine): three participants, each sending a tone
of its own (µ-law or A-law); the tones each one receives back are measured (Goertzel)."""

from __future__ import annotations

import math
import select
import socket
import struct
import time

from pasokh.voice.bridge import ALAW, PCMA, PCMU, Bridge, everyone, whisper
from pasokh.voice.mixer import FRAME, ULAW
from pasokh.voice.recording import DECODE

TONES = {"customer": 500.0, "agent": 800.0, "supervisor": 1300.0}
CODECS = {"customer": PCMU, "agent": PCMA, "supervisor": PCMU}


def tone_payload(frequency: float, index: int, payload_type: int) -> bytes:
    table = ULAW if payload_type == PCMU else ALAW
    start = index * FRAME
    samples = (
        int(6000 * math.sin(2 * math.pi * frequency * (start + n) / 8000)) for n in range(FRAME)
    )
    return bytes(table[value + 32768] for value in samples)


def level(samples: list[int], frequency: float) -> float:
    """Goertzel: the amplitude of one frequency in ``samples``."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / 8000)
    previous = before = 0.0
    for sample in samples:
        previous, before = sample + coefficient * previous - before, previous
    power = previous * previous + before * before - coefficient * previous * before
    return 2 * math.sqrt(max(power, 0.0)) / len(samples)


def _rtp(payload_type: int, sequence: int, payload: bytes) -> bytes:
    return struct.pack("!BBHII", 0x80, payload_type, sequence, sequence * FRAME, 9) + payload


def _run(bridge: Bridge, seconds: float) -> dict[str, list[bytes]]:
    """Each participant's socket sends its tone (50 packets a second) to its bridge port and
    keeps what the bridge sends it."""
    phones = {}
    for name in bridge.participants:
        phone = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        phone.bind(("127.0.0.1", 0))
        phones[name] = phone
        bridge.send_to(name, phone.getsockname(), CODECS[name])
    received: dict[str, list[bytes]] = {name: [] for name in phones}
    try:
        bridge.start()
        start = time.monotonic()
        for index in range(int(seconds * 50)):
            for name, phone in phones.items():
                payload = tone_payload(TONES[name], index, CODECS[name])
                phone.sendto(_rtp(CODECS[name], index, payload), ("127.0.0.1", bridge.ports[name]))
            phones["customer"].sendto(
                _rtp(101, index, b"\x05\x0a\x00\xa0"), ("127.0.0.1", bridge.ports["customer"])
            )
            until = start + (index + 1) * 0.02
            while (left := until - time.monotonic()) > 0:
                for sock in select.select(list(phones.values()), [], [], left)[0]:
                    name = next(n for n, p in phones.items() if p is sock)
                    received[name].append(sock.recv(2048))
        deadline = time.monotonic() + 0.3
        while (left := deadline - time.monotonic()) > 0:
            for sock in select.select(list(phones.values()), [], [], left)[0]:
                name = next(n for n, p in phones.items() if p is sock)
                received[name].append(sock.recv(2048))
    finally:
        bridge.stop()
        for phone in phones.values():
            phone.close()
    return received


def _heard(packets: list[bytes]) -> dict[str, float]:
    """The amplitude of each participant's tone in what one participant received (the middle
    second, once the streams have settled)."""
    audio = [packet for packet in packets if DECODE.get(packet[1] & 0x7F) is not None]
    samples = [DECODE[packet[1] & 0x7F][b] for packet in audio[15:65] for b in packet[12:]]
    return {name: level(samples, frequency) for name, frequency in TONES.items()}


def test_the_a_law_encoder_round_trips_every_code() -> None:
    decode = DECODE[PCMA]
    for byte in range(256):
        assert decode[ALAW[decode[byte] + 32768]] == decode[byte]


def test_in_a_barge_everyone_hears_the_two_others_and_not_themselves() -> None:
    bridge = Bridge(["customer", "agent", "supervisor"])
    received = _run(bridge, 1.6)
    stats = bridge.stats()
    heard = {name: _heard(packets) for name, packets in received.items()}
    print("barge: amplitude of each tone heard by each participant", heard, stats)
    for name, packets in received.items():
        assert 75 <= len(packets) <= 100, (name, len(packets))  # 50 a second, 1.6 s + 0.3 s
        assert len({packet[8:12] for packet in packets}) == 1  # one SSRC per output
        assert {packet[1] & 0x7F for packet in packets} == {CODECS[name]}
        for source in TONES:
            if source == name:
                assert heard[name][source] < 300, (name, heard[name])  # not their own voice
            else:
                assert heard[name][source] > 4000, (name, source, heard[name])
    assert stats["customer"]["received"] == 80
    assert stats["customer"]["dropped"] == 80  # the RFC 4733 events
    assert stats["agent"]["received"] == stats["supervisor"]["received"] == 80


def test_a_whisper_reaches_the_agent_and_not_the_customer() -> None:
    bridge = Bridge(["customer", "agent", "supervisor"])
    bridge.route(whisper("customer", "agent", "supervisor"))
    heard = {name: _heard(packets) for name, packets in _run(bridge, 1.6).items()}
    print("whisper: amplitude of each tone heard by each participant", heard)
    assert heard["customer"]["agent"] > 4000
    assert heard["customer"]["supervisor"] < 300  # the customer never hears the supervisor
    assert heard["agent"]["customer"] > 4000
    assert heard["agent"]["supervisor"] > 4000
    assert heard["supervisor"]["customer"] > 4000
    assert heard["supervisor"]["agent"] > 4000


def test_a_sum_past_full_scale_is_clipped_and_routes_name_the_participants() -> None:
    assert everyone(["a", "b", "c"]) == {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a", "b"}}
    bridge = Bridge(["a", "b", "c"])
    try:
        bridge.participants["a"].buffer.extend([30000] * FRAME)
        bridge.participants["b"].buffer.extend([30000] * FRAME)
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sink.bind(("127.0.0.1", 0))
        bridge.send_to("c", sink.getsockname(), PCMU)
        bridge._tick()
        packet = sink.recv(2048)
        sink.close()
    finally:
        bridge.stop()
    assert {DECODE[PCMU][b] for b in packet[12:]} == {DECODE[PCMU][ULAW[32767 + 32768]]}
