"""A liveness probe of the SIP reactor: if it stops running what is handed to it, say so.

Rarely, under load, the voice service has been seen to stop answering SIP while its process
lived on (docs/PERFORMANCE.md, "the stall"): datagrams were read but the reactor ran none of
the work handed to it. Nothing was logged, so every such stall so far had to be caught live.
The watchdog hands the reactor a beat (``ED2.callFromThread``) every ``BEAT_S``; when no beat
has run for ``STALL_S`` it logs one error with the stack of every thread of the process, and
when beats run again, how long the reactor was away.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable

log = logging.getLogger("pasokh.voice.watchdog")

BEAT_S = 1.0
STALL_S = 5.0


def thread_stacks() -> str:
    """The stack of every thread of this process, by thread name."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    parts = []
    for ident, frame in sys._current_frames().items():
        stack = "".join(traceback.format_stack(frame))
        parts.append(f"--- thread {names.get(ident, '?')} ({ident}):\n{stack}")
    return "\n".join(parts)


class ReactorWatch:
    """A thread that beats through ``hand`` (the reactor's ``callFromThread``)."""

    def __init__(
        self,
        hand: Callable[[Callable[[], None]], None],
        *,
        beat_s: float = BEAT_S,
        stall_s: float = STALL_S,
    ) -> None:
        self.hand = hand
        self.beat_s = beat_s
        self.stall_s = stall_s
        self.last_beat = time.monotonic()
        self.stalls = 0  # stalls seen so far (each logged once)
        self._stalled_since: float | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.last_beat = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="voice-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _beat(self) -> None:
        self.last_beat = time.monotonic()

    def _run(self) -> None:
        while not self._stopping.wait(self.beat_s):
            self.hand(self._beat)
            self.check()

    def check(self) -> None:
        quiet = time.monotonic() - self.last_beat
        if self._stalled_since is None and quiet >= self.stall_s:
            self._stalled_since = self.last_beat
            self.stalls += 1
            log.error(
                "voice: the SIP reactor has run nothing handed to it for %.1f s; "
                "calls are not being answered. Threads:\n%s",
                quiet,
                thread_stacks(),
            )
        elif self._stalled_since is not None and quiet < self.stall_s:
            log.error(
                "voice: the SIP reactor runs again after %.1f s",
                self.last_beat - self._stalled_since,
            )
            self._stalled_since = None
