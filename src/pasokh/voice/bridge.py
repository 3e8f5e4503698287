"""A media bridge for barge, whisper and three-way calls: one UDP socket per participant, and
each participant sent the sum of the others it may hear.

rtpengine 10.5 forwards but never mixes (docs/voice.md), so a call with a third voice has the
bridge *in* its media path: rtpengine's agent side is answered with the bridge's ``customer``
port, the agent's phone is re-INVITEd to the bridge's ``agent`` port, and a third phone sends
and receives on a third. Each socket receives one participant's RTP (G.711 µ-law or A-law by
payload type; RFC 4733 events and anything else are dropped) and sends that participant, every
20 ms, the sum of the participants in its ``hears`` set (clipped to 16 bits, encoded in the
participant's own codec, one SSRC per output). As in ``mixer.ListenMixer`` a participant's
audio older than 200 ms is dropped, and silence is sent when nobody it hears speaks.
"""

from __future__ import annotations

import array
import secrets
import select
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from pasokh.voice.mixer import FRAME, MAX_BUFFER, TICK_S, ULAW
from pasokh.voice.recording import DECODE

PCMU = 0
PCMA = 8


def _alaw_encode(sample: int) -> int:
    """ITU-T G.711 A-law of a 16-bit sample."""
    value = sample >> 3  # 13 bits
    if value >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        value = -value - 1
    segment = 8
    for index, end in enumerate((0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)):
        if value <= end:
            segment = index
            break
    if segment >= 8:
        return 0x7F ^ mask
    code = segment << 4
    code |= (value >> 1 if segment < 2 else value >> segment) & 0x0F
    return code ^ mask


ALAW = bytes(_alaw_encode(value - 32768) for value in range(65536))
ENCODE = {PCMU: ULAW, PCMA: ALAW}


def everyone(names: Iterable[str]) -> dict[str, set[str]]:
    """Barge and conference: each participant hears all the others."""
    names = list(names)
    return {name: {other for other in names if other != name} for name in names}


def whisper(customer: str, agent: str, coach: str) -> dict[str, set[str]]:
    """Whisper: the agent hears the customer and the coach, the customer the agent only, the
    coach both."""
    return {agent: {customer, coach}, customer: {agent}, coach: {customer, agent}}


@dataclass
class Participant:
    name: str
    sock: socket.socket
    hears: set[str] = field(default_factory=set)
    target: tuple[str, int] | None = None
    payload_type: int = PCMU  # what this participant is sent
    received: int = 0  # RTP packets of audio from this participant
    sent: int = 0
    dropped: int = 0  # packets from it that were not G.711 audio (events, noise, junk)
    buffer: array.array[int] = field(default_factory=lambda: array.array("h"))
    ssrc: int = field(default_factory=lambda: secrets.randbits(32))
    sequence: int = field(default_factory=lambda: secrets.randbits(16))
    timestamp: int = field(default_factory=lambda: secrets.randbits(32))


class Bridge:
    """The bridge of one call. ``route`` sets who hears whom (and may change while it runs:
    barge to whisper), ``send_to`` where and in which codec each participant is sent its
    sum. Runs in a thread of its own until ``stop``."""

    def __init__(self, names: Iterable[str], host: str = "127.0.0.1") -> None:
        self.host = host
        self.participants: dict[str, Participant] = {}
        for name in names:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((host, 0))
            sock.setblocking(False)
            self.participants[name] = Participant(name, sock)
        self._by_socket = {p.sock: p for p in self.participants.values()}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="voice-bridge", daemon=True)
        self.route(everyone(self.participants))

    @property
    def ports(self) -> dict[str, int]:
        return {name: int(p.sock.getsockname()[1]) for name, p in self.participants.items()}

    def route(self, hears: dict[str, set[str]]) -> None:
        with self._lock:
            for name, participant in self.participants.items():
                participant.hears = set(hears.get(name, set())) & set(self.participants)

    def send_to(self, name: str, target: tuple[str, int], payload_type: int = PCMU) -> None:
        participant = self.participants[name]
        participant.payload_type = payload_type if payload_type in ENCODE else PCMU
        participant.target = target

    def stats(self) -> dict[str, dict[str, int]]:
        return {
            name: {"received": p.received, "sent": p.sent, "dropped": p.dropped}
            for name, p in self.participants.items()
        }

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(1.0)
        for participant in self.participants.values():
            participant.sock.close()

    def _run(self) -> None:
        sockets = list(self._by_socket)
        due = time.monotonic() + TICK_S
        while not self._stopped.is_set():
            wait = max(0.0, due - time.monotonic())
            ready, _, _ = select.select(sockets, [], [], wait)
            for sock in ready:
                self._read(self._by_socket[sock])
            if time.monotonic() < due:
                continue
            due += TICK_S
            if due < time.monotonic() - 10 * TICK_S:  # the thread was starved: catch up once
                due = time.monotonic() + TICK_S
            self._tick()

    def _read(self, participant: Participant) -> None:
        while True:
            try:
                packet = participant.sock.recv(2048)
            except OSError:
                return
            if len(packet) < 12 or packet[0] >> 6 != 2:
                participant.dropped += 1
                continue
            table = DECODE.get(packet[1] & 0x7F)
            if table is None:
                participant.dropped += 1  # RFC 4733 events, comfort noise
                continue
            start = 12 + 4 * (packet[0] & 0x0F)
            buffer = participant.buffer
            buffer.extend(table[b] for b in packet[start:])
            if len(buffer) > MAX_BUFFER:
                del buffer[: len(buffer) - MAX_BUFFER]
            participant.received += 1

    def _tick(self) -> None:
        """The next 20 ms: one frame from each participant (none when it has nothing), then
        each participant's sum of the frames it hears."""
        frames: dict[str, array.array[int]] = {}
        for name, participant in self.participants.items():
            if participant.buffer:
                frames[name] = participant.buffer[:FRAME]
                del participant.buffer[:FRAME]
        with self._lock:
            plan = [(p, sorted(p.hears)) for p in self.participants.values()]
        for participant, hears in plan:
            if participant.target is None:
                continue
            mixed = [0] * FRAME
            for source in hears:
                frame = frames.get(source)
                if frame is None:
                    continue
                for k, value in enumerate(frame):
                    mixed[k] += value
            table = ENCODE[participant.payload_type]
            payload = bytes(table[max(-32768, min(32767, value)) + 32768] for value in mixed)
            self._send(participant, payload)

    @staticmethod
    def _send(participant: Participant, payload: bytes) -> None:
        header = struct.pack(
            "!BBHII",
            0x80,
            participant.payload_type,
            participant.sequence,
            participant.timestamp,
            participant.ssrc,
        )
        participant.sequence = (participant.sequence + 1) & 0xFFFF
        participant.timestamp = (participant.timestamp + FRAME) & 0xFFFFFFFF
        assert participant.target is not None
        try:
            participant.sock.sendto(header + payload, participant.target)
            participant.sent += 1
        except OSError:
            return
