"""Call recordings: rtpengine writes each recorded call as a pcap file (raw IPv4 frames of the
RTP it relayed, both directions); this module turns it into a mono 8 kHz WAV.

Each RTP stream (source address) is decoded (G.711 µ-law or A-law; other payload types such as
RFC 4733 events are skipped) and placed by its capture time, so silence stays silence and both
sides are mixed into one track. rtpengine's own mixing daemon needs a kernel module; this does
not.
"""

from __future__ import annotations

import array
import struct
import time
import wave
from pathlib import Path

SAMPLE_RATE = 8000
PCMU, PCMA = 0, 8
LINKTYPE_RAW = 101
LINKTYPE_ETHERNET = 1


def _ulaw(byte: int) -> int:
    u = ~byte & 0xFF
    magnitude = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return (0x84 - magnitude) if u & 0x80 else (magnitude - 0x84)


def _alaw(byte: int) -> int:
    a = byte ^ 0x55
    exponent = (a & 0x70) >> 4
    mantissa = a & 0x0F
    value = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (exponent - 1)
    return value if a & 0x80 else -value


DECODE = {PCMU: [_ulaw(b) for b in range(256)], PCMA: [_alaw(b) for b in range(256)]}


def _packets(data: bytes) -> list[tuple[float, bytes]]:
    """(capture time, UDP payload) of every IPv4/UDP frame of a pcap file."""
    if len(data) < 24:
        return []
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    offset, out = 24, []
    while offset + 16 <= len(data):
        seconds, fraction, length, _ = struct.unpack(endian + "IIII", data[offset : offset + 16])
        frame = data[offset + 16 : offset + 16 + length]
        offset += 16 + length
        if linktype == LINKTYPE_ETHERNET:
            frame = frame[14:]
        elif linktype != LINKTYPE_RAW:
            continue
        if len(frame) < 28 or frame[0] >> 4 != 4 or frame[9] != 17:
            continue
        header = (frame[0] & 0x0F) * 4
        source = frame[12:16] + frame[header : header + 2]
        payload = frame[header + 8 :]
        moment = seconds + fraction / (1e9 if nano else 1e6)
        out.append((moment, source + payload))
    return out


def pcap_to_wav(pcap: Path, target: Path) -> float:
    """Write ``target``; return its length in seconds."""
    return pcaps_to_wav([pcap], target)


def pcaps_to_wav(pcaps: list[Path], target: Path) -> float:
    """Write one WAV of several recorded spans, one after the other (rtpengine 10.5 begins a
    new pcap file at each ``start recording`` after a ``stop recording``); the pauses between
    spans are left out. Returns the WAV's length in seconds."""
    samples = array.array("h")
    for pcap in pcaps:
        samples.extend(_decode(_packets(pcap.read_bytes())))
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    return len(samples) / SAMPLE_RATE


def _decode(packets: list[tuple[float, bytes]]) -> array.array[int]:
    """Both directions' G.711 audio of one pcap, mixed by capture time."""
    audio: list[tuple[float, list[int]]] = []
    for moment, tagged in packets:
        rtp = tagged[6:]
        if len(rtp) < 12 or rtp[0] >> 6 != 2:
            continue
        payload_type = rtp[1] & 0x7F
        table = DECODE.get(payload_type)
        if table is None:
            continue
        start = 12 + 4 * (rtp[0] & 0x0F)
        audio.append((moment, [table[b] for b in rtp[start:]]))
    if not audio:
        samples = array.array("h")
    else:
        first = min(moment for moment, _ in audio)
        end = max(int((m - first) * SAMPLE_RATE) + len(s) for m, s in audio)
        mix = [0] * end
        for moment, chunk in audio:
            at = int((moment - first) * SAMPLE_RATE)
            for k, value in enumerate(chunk):
                mix[at + k] += value
        samples = array.array("h", (max(-32768, min(32767, v)) for v in mix))
    return samples


def find_pcap(directory: Path, media_id: str, wait_s: float = 2.0) -> Path | None:
    """rtpengine names the file ``pcaps/<call-id>-<random>.pcap`` and finishes it just after
    the call is deleted: wait until it exists and stops growing."""
    deadline = time.monotonic() + wait_s
    last_size = -1
    while time.monotonic() < deadline:
        found = sorted((directory / "pcaps").glob(f"{media_id}-*.pcap"))
        if found:
            size = found[0].stat().st_size
            if size == last_size:
                return found[0]
            last_size = size
        time.sleep(0.1)
    found = sorted((directory / "pcaps").glob(f"{media_id}-*.pcap"))
    return found[0] if found else None


def find_pcaps(directory: Path, media_id: str, wait_s: float = 2.0) -> list[Path]:
    """Every recorded span of a call, in the order they were recorded: the last file is
    finished just after the call is deleted (``find_pcap`` waits for it)."""
    last = find_pcap(directory, media_id, wait_s)
    if last is None:
        return []
    spans = (directory / "pcaps").glob(f"{media_id}-*.pcap")
    return sorted(spans, key=lambda path: path.stat().st_mtime)
