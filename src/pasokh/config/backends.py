"""Database, bus and cache settings derived from the environment (embedded or scale-out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from pasokh.config.environment import Environment

SQLITE_BUSY_TIMEOUT_MS = 20_000


def databases(env: Environment) -> dict[str, Any]:
    """SQLite in WAL mode with a busy timeout and immediate write transactions by default;
    DATABASE_URL picks PostgreSQL (or another SQLite file).

    SQLite connections are kept open by the threads that opened them: opening one (the file,
    the PRAGMAs) costs more than most of the queries made on it, and the WebSocket consumers'
    worker threads and the router make thousands of short calls a second under load.
    """
    default: dict[str, Any] = dict(dj_database_url.parse(env.database_url, conn_max_age=0))
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
