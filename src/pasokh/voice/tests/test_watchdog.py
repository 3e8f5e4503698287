"""The reactor's liveness probe: a reactor that stops running what it is handed is logged once,
with every thread's stack, and again when it runs again."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from pasokh.voice.watchdog import ReactorWatch


def test_a_stalled_reactor_is_logged_once_with_the_threads_and_its_return(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handed: list[Callable[[], None]] = []
    watch = ReactorWatch(handed.append, beat_s=0.02, stall_s=0.2)
    caplog.set_level(logging.ERROR, logger="pasokh.voice.watchdog")
    watch.start()
    try:
        time.sleep(0.5)  # the "reactor" runs nothing it is handed
        assert watch.stalls == 1
        stalled = [r.getMessage() for r in caplog.records]
        assert len(stalled) == 1, stalled
        assert "has run nothing handed to it" in stalled[0]
        assert "--- thread voice-watchdog" in stalled[0]  # the stacks of the threads
        assert "test_a_stalled_reactor_is_logged_once" in stalled[0]  # this one's too
        for beat in handed[-3:]:  # the reactor runs again
            beat()
        time.sleep(0.1)
        assert len(handed) > 10
    finally:
        watch.stop()
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert "runs again after" in messages[1]
    assert watch.stalls == 1


def test_a_reactor_that_runs_its_beats_is_never_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watch = ReactorWatch(lambda beat: beat(), beat_s=0.02, stall_s=0.2)
    caplog.set_level(logging.ERROR, logger="pasokh.voice.watchdog")
    watch.start()
    time.sleep(0.5)
    watch.stop()
    assert watch.stalls == 0
    assert caplog.records == []
