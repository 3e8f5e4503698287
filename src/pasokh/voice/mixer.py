"""A small audio mixer for listen-in: several forked RTP streams in, one G.711 µ-law stream out.

rtpengine 10.5 forks media (``subscribe request``) but does not mix it: a subscription to the
customer and the agent is an offer with one media section per source, and two sources sent
to one port arrive interleaved (two SSRCs at twice the packet rate, measured; docs/voice.md).
A supervisor's phone plays one stream, so this mixer takes one socket per forked source,
decodes G.711 (µ-law or A-law, by payload type; RFC 4733 events are skipped), adds the sources
every 20 ms and sends the sum as PCMU from a socket of its own to the supervisor's phone.
What the supervisor's phone sends to that socket is read and dropped: nobody hears them.
"""

from __future__ import annotations

import array
import secrets
import select
import socket
import struct
import threading
import time

from pasokh.voice.recording import DECODE

FRAME = 160  # samples per 20 ms at 8 kHz
TICK_S = 0.02
MAX_BUFFER = FRAME * 10  # 200 ms of jitter at most; older audio is dropped
PCMU = 0


def _ulaw_encode(sample: int) -> int:
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sign else sample, 32635) + 0x84
    exponent = 7
    for bit in range(7):
        if magnitude < (0x100 << bit):
            exponent = bit
            break
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


ULAW = bytes(_ulaw_encode(value - 32768) for value in range(65536))
SILENCE = bytes([ULAW[32768]]) * FRAME


class ListenMixer:
    """One per supervisor listening in: ``ports`` receive the forks (in the order of the
    subscription's media sections), ``output_port`` sends the mix once ``send_to`` knows the
    phone's address. Runs in a thread of its own until ``stop``."""

    def __init__(self, sources: int, host: str = "127.0.0.1") -> None:
        self.host = host
        self.inputs = [self._socket(host) for _ in range(sources)]
        self.output = self._socket(host)
        self.received = [0] * sources  # RTP packets of audio from each source
        self.sent = 0
        self.discarded = 0  # packets from the supervisor's phone, never passed on
        self._buffers = [array.array("h") for _ in range(sources)]
        self._target: tuple[str, int] | None = None
        self._ssrc = secrets.randbits(32)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="voice-mixer", daemon=True)

    @staticmethod
    def _socket(host: str) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((host, 0))
        sock.setblocking(False)
        return sock

    @property
    def ports(self) -> list[int]:
        return [int(sock.getsockname()[1]) for sock in self.inputs]

    @property
    def output_port(self) -> int:
        return int(self.output.getsockname()[1])

    def start(self) -> None:
        self._thread.start()

    def send_to(self, target: tuple[str, int]) -> None:
        self._target = target

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(1.0)
        for sock in (*self.inputs, self.output):
            sock.close()

    def _run(self) -> None:
        sequence = secrets.randbits(16)
        timestamp = secrets.randbits(32)
        due = time.monotonic() + TICK_S
        while not self._stopped.is_set():
            wait = max(0.0, due - time.monotonic())
            ready, _, _ = select.select([*self.inputs, self.output], [], [], wait)
            for sock in ready:
                self._read(sock)
            if time.monotonic() < due:
                continue
            due += TICK_S
            frame = self._mix()
            if self._target is None:
                continue
            header = struct.pack("!BBHII", 0x80, PCMU, sequence, timestamp, self._ssrc)
            sequence = (sequence + 1) & 0xFFFF
            timestamp = (timestamp + FRAME) & 0xFFFFFFFF
            try:
                self.output.sendto(header + frame, self._target)
                self.sent += 1
            except OSError:
                continue

    def _read(self, sock: socket.socket) -> None:
        while True:
            try:
                packet = sock.recv(2048)
            except (BlockingIOError, OSError):
                return
            if sock is self.output:
                self.discarded += 1
                continue
            index = self.inputs.index(sock)
            if len(packet) < 12 or packet[0] >> 6 != 2:
                continue
            table = DECODE.get(packet[1] & 0x7F)
            if table is None:
                continue  # RFC 4733 events, comfort noise
            start = 12 + 4 * (packet[0] & 0x0F)
            buffer = self._buffers[index]
            buffer.extend(table[b] for b in packet[start:])
            if len(buffer) > MAX_BUFFER:
                del buffer[: len(buffer) - MAX_BUFFER]
            self.received[index] += 1

    def _mix(self) -> bytes:
        """The next 20 ms: the sum of what each source has (silence for one that has none).
        Silence is sent too: the phone gets a steady stream whatever the two sides do."""
        if not any(self._buffers):
            return SILENCE
        mixed = [0] * FRAME
        for buffer in self._buffers:
            chunk = buffer[:FRAME]
            del buffer[:FRAME]
            for k, value in enumerate(chunk):
                mixed[k] += value
        return bytes(ULAW[max(-32768, min(32767, value)) + 32768] for value in mixed)
