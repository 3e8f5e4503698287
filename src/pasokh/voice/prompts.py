"""Audio the service plays: menu prompts (uploaded, or spoken by espeak-ng and converted by
sox to 8 kHz mono WAV), the closed message, and hold music.

Generated files are cached under ``MEDIA_ROOT/voice/tts`` by a hash of their text, so a menu's
prompt is synthesized once, not per call. rtpengine is handed a G.711 µ-law copy of each
(``playable``): it starts playing one of those in about 0.5 ms of its control thread, against
6–10 ms for the same audio as 16-bit PCM (measured with rtpengine 10.5 on the bench machine,
docs/PERFORMANCE.md) — two plays a call made that a third of the call controller's time.

Every file appears whole or not at all (written beside its name, then renamed over it), and
one thread of a process makes a missing file while the others wait for it: the first calls
after a start, on several controller workers at once, found a half-written hold music file
(rtpengine: "Failed to start media playback from file").
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from array import array
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from pasokh.voice.models import IvrMenu

SAMPLE_RATE = 8000
_making = threading.Lock()  # one thread makes a missing file; the others wait for it


class PromptError(RuntimeError):
    """A prompt could not be produced (speech synthesizer or sox missing or failing)."""


def _cache_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "voice" / "tts"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def synthesize(text: str, language: str = "fa") -> Path:
    """A WAV file (8 kHz, mono, 16 bit) saying ``text``."""
    key = hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()[:24]
    target = _cache_dir() / f"{key}.wav"
    if target.exists():
        return target
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise PromptError(f"{tool} is not installed")
    with _making:
        if target.exists():
            return target
        with tempfile.TemporaryDirectory() as scratch:
            raw = Path(scratch) / "speech.wav"
            converted = Path(scratch) / "prompt.wav"
            _run(["espeak-ng", "-v", language, "-w", str(raw), text])
            _run(["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(converted)])
            _put(target, converted.read_bytes())
    return target


def _put(target: Path, content: bytes) -> None:
    """``target`` with ``content``, whole: readers (rtpengine, other processes) never see a
    part of it."""
    scratch = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    scratch.write_bytes(content)
    scratch.replace(target)


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, timeout=30, check=False)  # noqa: S603
    if result.returncode != 0:
        raise PromptError(f"{argv[0]} failed: {result.stderr.decode(errors='replace')[:200]}")


def menu_prompt(menu: IvrMenu) -> Path:
    if menu.prompt_file:
        return Path(menu.prompt_file.path)
    return synthesize(menu.prompt_text, menu.language)


def closed_prompt(menu: IvrMenu) -> Path:
    return synthesize(menu.closed_text or menu.prompt_text, menu.language)


def voicemail_greeting(menu: IvrMenu) -> Path:
    with translation.override(menu.language):
        text = gettext("Please leave your message after the tone, then hang up.")
    return synthesize(text, menu.language)


def callback_confirmation(menu: IvrMenu | None) -> Path:
    language = menu.language if menu is not None else "fa"
    with translation.override(language):
        text = gettext("We will call you back as soon as an agent is free. Goodbye.")
    return synthesize(text, language)


def hold_music() -> Path:
    """A soft, slowly changing chord: generated once, no licensed music needed."""
    target = _cache_dir() / "hold.wav"
    if target.exists():
        return target
    with _making:
        if not target.exists():
            _put(target, _hold_music_wav())
    return target


def _hold_music_wav() -> bytes:
    seconds, frames = 8, []
    for n in range(SAMPLE_RATE * seconds):
        t = n / SAMPLE_RATE
        root = 220.0 if (n // (SAMPLE_RATE * 2)) % 2 == 0 else 196.0
        value = sum(math.sin(2 * math.pi * root * k * t) / k for k in (1.0, 1.25, 1.5))
        envelope = 0.5 + 0.5 * math.sin(math.pi * (t % 2.0) / 2.0)
        frames.append(struct.pack("<h", int(3000 * value * envelope)))
    content = io.BytesIO()
    with wave.open(content, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"".join(frames))
    return content.getvalue()


def playable(path: Path) -> Path:
    """What rtpengine plays for ``path``: a cached µ-law copy of an 8 kHz mono 16-bit WAV (the
    files this module makes); any other file as it is (rtpengine decodes it itself)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    known = _playable.get(key[0])
    if known is not None and known[0] == key:
        return known[1]
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    target = _cache_dir() / f"{digest}.ulaw.wav"
    with _making:
        if not target.exists() and not _write_ulaw(path, target):
            target = path
    _playable[key[0]] = (key, target)
    return target


_playable: dict[str, tuple[tuple[str, int, int], Path]] = {}


def _write_ulaw(source: Path, target: Path) -> bool:
    try:
        with wave.open(str(source)) as audio:
            if (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) != (
                1,
                2,
                SAMPLE_RATE,
            ):
                return False
            frames = audio.readframes(audio.getnframes())
    except (wave.Error, EOFError):
        return False
    samples = array("H")
    samples.frombytes(frames)
    if array("H", [1]).tobytes() != b"\x01\x00":
        samples.byteswap()  # WAV is little-endian
    data = bytes(map(_ulaw_table().__getitem__, samples))
    fmt = struct.pack("<HHIIHH", 7, 1, SAMPLE_RATE, SAMPLE_RATE, 1, 8)  # 7: µ-law
    riff = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    riff += b"data" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    _put(target, b"RIFF" + struct.pack("<I", len(riff)) + riff)
    return True


@functools.cache
def _ulaw_table() -> bytes:
    """G.711 µ-law of every 16-bit sample, indexed by the sample's unsigned bit pattern."""
    return bytes(_ulaw(value - 65536 if value >= 32768 else value) for value in range(65536))


def _ulaw(sample: int) -> int:
    """ITU-T G.711 µ-law of one 16-bit sample (the reference coder, on its 14 top bits)."""
    value, mask = (-(sample >> 2), 0x7F) if sample < 0 else (sample >> 2, 0xFF)
    value = min(value, 8159) + 0x21
    segment = max(0, value.bit_length() - 6)
    if segment >= 8:
        return 0x7F ^ mask
    return ((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask
