"""Threads for the chat sockets' database work, by kind, so one kind never waits behind
another for a thread.

The consumers run every database call in a worker thread (never on the event loop). With one
shared pool, a burst of new conversations (authorizing the token, reading the history for the
hello, an agent's snapshot) filled every thread, and the messages of the conversations already
running queued behind them. Messages (a post, a delivery mark, typing) have threads of their
own; work that waits for the router's answer has its own as well
(``pasokh.router.service.waiting_pool``); the rest uses the event loop's default pool.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

MESSAGE_THREADS = 8

_lock = threading.Lock()
_messages: ThreadPoolExecutor | None = None


def message_pool() -> ThreadPoolExecutor:
    global _messages
    with _lock:
        if _messages is None:
            _messages = ThreadPoolExecutor(MESSAGE_THREADS, thread_name_prefix="chat-messages")
        return _messages
