"""Small pieces every part of the call controller uses: SDP, audio lengths, constants."""

from __future__ import annotations

import logging
import re
import wave
from pathlib import Path

log = logging.getLogger("pasokh.voice")

HOLD_REPEATS = 10000
VOICEMAIL_MAX_S = 120.0
CALLBACK_DIGIT = "1"  # pressed while waiting: "call me back"
DIGITS = "0123456789*#ABCD"
# Routing events that end an offer without an answer.
OFFER_GONE = ("offer.revoked", "offer.expired", "offer.rejected")


def sdp_placeholder(port: int) -> str:
    """The agent side's SDP until an agent answers: media goes to the service's sink socket."""
    return (
        "v=0\r\no=pasokh 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
    )


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return audio.getnframes() / float(audio.getframerate())


def _user_part(uri_text: str) -> str:
    match = re.search(r"sips?:([^@;>]+)@", uri_text)
    return match.group(1) if match else uri_text
