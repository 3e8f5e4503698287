"""Digits from the desk's keypad to the far end of a connected call (a part of the call
controller, see control.py), and the checks a request's digits pass before that.

rtpengine's ``play DTMF`` with the agent's tag as the source injects each digit into the
agent's stream towards the customer: as RFC 4733 ``telephone-event`` packets when the customer
offered that payload type, as a tone otherwise. It needs the ``inject-DTMF`` flag on the
customer's offer, which every call has (``control.new_call``, ``callbacks``). Measured against
rtpengine 10.5: a digit of 200 ms arrived as 13 event packets; a digit played while the
agent's side is blocked (hold, mute) is held back and delivered only once it is unblocked, so
the desk's keypad is refused then instead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from pasokh.persian.digits import to_ascii_digits
from pasokh.voice.media import DIGITS, log
from pasokh.voice.session import AGENT_TAG, CallSession

MAX_DIGITS = 20  # in one request
DIGIT_MS = 160  # each digit's length (rtpengine: 100–5000)
PAUSE_MS = 100  # between digits (rtpengine: 100–5000)
BURST = 32  # digits a call may send at once …
RATE = 4.0  # … then this many a second


def normalize_digits(text: str) -> str | None:
    """The digits to send, or None when any character is not one (0–9, *, #, A–D). Persian and
    Arabic-Indic digits are read as ASCII ones; spaces and dashes are ignored."""
    cleaned = to_ascii_digits(text).upper().replace(" ", "").replace("-", "")
    if not cleaned or any(character not in DIGITS for character in cleaned):
        return None
    return cleaned


@dataclass
class DigitBudget:
    """A token bucket per call: a keypad held down cannot flood the customer's line."""

    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, count: int, now: float | None = None) -> bool:
        moment = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (float(BURST), moment))
            tokens = min(float(BURST), tokens + (moment - last) * RATE)
            if tokens < count:
                self._buckets[key] = (tokens, moment)
                return False
            self._buckets[key] = (tokens - count, moment)
            return True

    def forget(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)


class KeypadFlow:
    """Part of ``Controller``: runs on the controller thread like the rest of it."""

    def send_digits(self, session: CallSession, digits: str) -> None:
        if session.stage != "connected" or session.customer_gone:
            return
        if session.on_hold or session.muted:
            return  # rtpengine would hold them back until the agent's side is unblocked
        for digit in digits:
            self.ng.command(
                "play DTMF",
                call_id=session.media_id,
                from_tag=AGENT_TAG,
                code=digit,
                duration=DIGIT_MS,
                pause=PAUSE_MS,
            )
        log.info("voice: %s sent %d digits from the desk", session.media_id, len(digits))
