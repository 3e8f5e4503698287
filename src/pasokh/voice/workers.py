"""The call controller's workers: a few threads, each call's work kept on one of them.

A call's events must be handled in order (its menu, its queue, its answer, its end), but two
calls have nothing to wait on each other for. Each worker is a single thread with its own queue
(its own database connection, its own rtpengine socket, see ``ng.py``); a call is pinned to one
worker ("lane") for its whole life, so while one call waits for rtpengine, the database or the
router, the other workers go on with theirs.

A session made on a worker (a callback being placed) is pinned to that worker at birth
(``current_lane``); one made on the SIP thread (a new INVITE) is pinned by its media id when its
first piece of work is queued.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

_here = threading.local()


def current_lane() -> int | None:
    """The worker the calling thread is, or None outside the workers."""
    lane: int | None = getattr(_here, "lane", None)
    return lane


def _enter(lane: int) -> None:
    _here.lane = lane


class Lanes:
    def __init__(self, count: int, name: str) -> None:
        self._executors = [
            ThreadPoolExecutor(
                max_workers=1,
                thread_name_prefix=f"{name}-{lane}",
                initializer=_enter,
                initargs=(lane,),
            )
            for lane in range(count)
        ]

    def __len__(self) -> int:
        return len(self._executors)

    def lane_of(self, key: str) -> int:
        """A stable lane for a key (a media id, an interaction id)."""
        return zlib.crc32(key.encode()) % len(self._executors)

    def submit(self, lane: int, function: Callable[..., Any], *args: Any) -> Future[Any]:
        return self._executors[lane].submit(function, *args)

    def everywhere(self, function: Callable[[], Any]) -> None:
        """Run ``function`` once on every worker (after what each has queued)."""
        for executor in self._executors:
            executor.submit(function)

    def shutdown(self) -> None:
        for executor in self._executors:
            executor.shutdown(wait=True)
