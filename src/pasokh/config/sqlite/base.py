"""SQLite with one writer at a time per process, queued in Python rather than in SQLite.

SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps
in growing steps (up to 100 ms) and retries, so under load a waiting writer often sleeps long
after the lock was freed. In ``pasokh run`` the router, the consumers' worker threads and the
outcome recorder all write the same file, and those sleeps became the chat latency. Here a
write transaction (``BEGIN IMMEDIATE``) first takes a process-wide lock, which the writer
before it releases the moment it commits or rolls back: waiting writers are woken at once.

A writer that cannot get the lock within the busy timeout goes ahead without it and is left
to SQLite's own waiting, as before: never a deadlock, at worst the old behaviour. Writers in
other processes (management commands) are serialised by SQLite alone.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.backends.sqlite3 import base

_writer = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    holds_writer = False

    def _start_transaction_under_autocommit(self) -> None:
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 20))
        self.holds_writer = _writer.acquire(timeout=timeout)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer()
            raise

    def _release_writer(self) -> None:
        if self.holds_writer:
            self.holds_writer = False
            _writer.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._release_writer()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._release_writer()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._release_writer()
