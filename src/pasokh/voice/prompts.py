"""Audio the service plays: menu prompts (uploaded, or spoken by espeak-ng and converted by
sox to 8 kHz mono WAV), the closed message, and hold music.

Generated files are cached under ``MEDIA_ROOT/voice/tts`` by a hash of their text, so a menu's
prompt is synthesized once, not per call.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from pasokh.voice.models import IvrMenu

SAMPLE_RATE = 8000


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
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "speech.wav"
        converted = Path(scratch) / "prompt.wav"
        _run(["espeak-ng", "-v", language, "-w", str(raw), text])
        _run(["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(converted)])
        shutil.move(converted, target)
    return target


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
    seconds, frames = 8, []
    for n in range(SAMPLE_RATE * seconds):
        t = n / SAMPLE_RATE
        root = 220.0 if (n // (SAMPLE_RATE * 2)) % 2 == 0 else 196.0
        value = sum(math.sin(2 * math.pi * root * k * t) / k for k in (1.0, 1.25, 1.5))
        envelope = 0.5 + 0.5 * math.sin(math.pi * (t % 2.0) / 2.0)
        frames.append(struct.pack("<h", int(3000 * value * envelope)))
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"".join(frames))
    return target
