"""The listen-in mixer on real sockets (no rtpengine): two G.711 sources in (µ-law and A-law),
one µ-law stream out carrying their sum; the subscription answer keeps rtpengine's codecs."""

from __future__ import annotations

import select
import socket
import struct
import time

from pasokh.voice.mixer import FRAME, SILENCE, ULAW, ListenMixer
from pasokh.voice.recording import DECODE
from pasokh.voice.supervision import fork_answer, media_address

ALAW_OF = {value: byte for byte, value in enumerate(DECODE[8])}


def _rtp(payload_type: int, sequence: int, payload: bytes) -> bytes:
    return struct.pack("!BBHII", 0x80, payload_type, sequence, sequence * FRAME, 7) + payload


def test_the_mu_law_encoder_round_trips_every_code() -> None:
    decode = DECODE[0]
    for byte in range(256):
        assert decode[ULAW[decode[byte] + 32768]] == decode[byte]
    assert decode[SILENCE[0]] == 0


def test_the_mixer_sends_the_sum_of_both_sources_as_one_stream() -> None:
    mixer = ListenMixer(2)
    phone = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    phone.bind(("127.0.0.1", 0))
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    customer_byte = ULAW[1000 + 32768]  # µ-law for about +1000
    agent_byte = ALAW_OF[min(ALAW_OF, key=lambda v: abs(v - 2000))]  # A-law near +2000
    try:
        mixer.start()
        mixer.send_to(phone.getsockname())
        for sequence in range(25):
            sender.sendto(
                _rtp(0, sequence, bytes([customer_byte]) * FRAME), ("127.0.0.1", mixer.ports[0])
            )
            sender.sendto(
                _rtp(8, sequence, bytes([agent_byte]) * FRAME), ("127.0.0.1", mixer.ports[1])
            )
            sender.sendto(_rtp(101, sequence, b"\x05\x0a\x00\xa0"), ("127.0.0.1", mixer.ports[0]))
            sender.sendto(b"from the supervisor", ("127.0.0.1", mixer.output_port))
            time.sleep(0.02)
        received: list[bytes] = []
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and len(received) < 60:
            if select.select([phone], [], [], 0.05)[0]:
                received.append(phone.recv(2048))
    finally:
        mixer.stop()
        phone.close()
        sender.close()
    assert mixer.received == [25, 25]  # RFC 4733 events are not audio
    assert mixer.discarded == 25
    ssrcs = {struct.unpack("!I", packet[8:12])[0] for packet in received}
    assert len(ssrcs) == 1
    assert {packet[1] & 0x7F for packet in received} == {0}
    levels = sorted({DECODE[0][packet[12]] for packet in received})
    expected = DECODE[0][customer_byte] + DECODE[8][agent_byte]
    assert any(abs(level - expected) <= expected * 0.07 for level in levels), (levels, expected)
    assert levels[0] == 0  # silence once both sources are done: the stream goes on


def test_the_fork_answer_receives_each_section_with_its_codecs() -> None:
    offer = (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=rtpengine\r\nt=0 0\r\n"
        "m=audio 45034 RTP/AVP 0 8 101\r\nc=IN IP4 127.0.0.1\r\na=mid:0\r\n"
        "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
        "a=fmtp:101 0-15\r\na=sendonly\r\n"
        "m=audio 45044 RTP/AVP 8 0\r\nc=IN IP4 127.0.0.1\r\na=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:0 PCMU/8000\r\na=sendonly\r\n"
    )
    answer = fork_answer("10.0.0.5", offer, [5000, 5002])
    assert "m=audio 5000 RTP/AVP 0 8 101\r\n" in answer
    assert "m=audio 5002 RTP/AVP 8 0\r\n" in answer
    assert answer.count("a=recvonly") == 2
    assert "a=fmtp:101 0-15" in answer
    assert "sendonly" not in answer
    assert media_address(answer) == ("10.0.0.5", 5000)
