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

The tests' in-memory database is shared between threads through SQLite's shared cache, which
locks tables, not the file, and answers a statement that meets another connection's table
lock with "database table is locked" at once, without the busy handler. A background thread
(a simulation job, the voice controller) writing while a request reads then failed at random.
For that database only, such a statement is tried again until the busy timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base

_writer = threading.Lock()
SHARED_CACHE_LOCKED = "database table is locked"


def _retry_while_table_locked(statement: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    pause = 0.001
    while True:
        try:
            return statement()
        except base.Database.OperationalError as error:
            if SHARED_CACHE_LOCKED not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.02)


class SharedCacheCursorWrapper(base.SQLiteCursorWrapper):  # type: ignore[misc]
    timeout = 20.0

    def execute(self, query: str, params: Any = None) -> Any:
        return _retry_while_table_locked(
            lambda: super(SharedCacheCursorWrapper, self).execute(query, params), self.timeout
        )

    def executemany(self, query: str, param_list: Any) -> Any:
        rows = list(param_list)  # a generator could not be read twice
        return _retry_while_table_locked(
            lambda: super(SharedCacheCursorWrapper, self).executemany(query, rows), self.timeout
        )


class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    holds_writer = False

    def create_cursor(self, name: str | None = None) -> Any:
        if not self.is_in_memory_db():
            return super().create_cursor(name)
        cursor = self.connection.cursor(factory=SharedCacheCursorWrapper)
        cursor.timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 20))
        return cursor

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
