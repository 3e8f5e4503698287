"""Database, bus and cache settings derived from the environment (embedded or scale-out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from pasokh.config.environment import Environment

SQLITE_BUSY_TIMEOUT_MS = 20_000
POSTGRES_CONN_MAX_AGE_S = 300


def databases(env: Environment) -> dict[str, Any]:
    """SQLite in WAL mode with a busy timeout and immediate write transactions by default;
    DATABASE_URL picks PostgreSQL (or another SQLite file).

    SQLite connections are kept open by the threads that opened them: opening one (the file,
    the PRAGMAs) costs more than most of the queries made on it, and the WebSocket consumers'
    worker threads and the router make thousands of short calls a second under load.

    PostgreSQL connections are kept too, for ``POSTGRES_CONN_MAX_AGE_S`` with a health check
    before reuse: the threads that use them are long-lived (the pooled HTTP threads, the
    router, the voice controller's workers), and opening a connection per piece of work (a
    server process forked, authenticated, its catalogue caches filled) took more CPU than the
    work itself — in ``pasokh bench sip --scale-out`` a third of the machine's busy time, in
    processes that lived a few milliseconds each (docs/PERFORMANCE.md).
    """
    default: dict[str, Any] = dict(dj_database_url.parse(env.database_url, conn_max_age=0))
    if default["ENGINE"] == "django.db.backends.postgresql":
        default["CONN_MAX_AGE"] = POSTGRES_CONN_MAX_AGE_S
        default["CONN_HEALTH_CHECKS"] = True
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default["ENGINE"] = "pasokh.config.sqlite"  # one writer at a time, queued in Python
        default["CONN_MAX_AGE"] = None
        # Tests use an in-memory database, as with Django's own engine name (pytest-django
        # recognises that name only).
        default["TEST"] = {"NAME": ":memory:"}
        Path(default["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        default["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys=ON;"
            ),
        }
    return {"default": default}


def channel_layers(env: Environment) -> dict[str, Any]:
    if env.redis_url:
        return {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [env.redis_url]},
            }
        }
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def caches(env: Environment) -> dict[str, Any]:
    if env.redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": env.redis_url,
                "KEY_PREFIX": "pasokh",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
