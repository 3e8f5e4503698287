"""Scale-out: commands through the ``RouterCommand`` table and Redis, one router per shard.

A web or channel process writes the command as a row (committed: it cannot be lost), pushes its
id onto the Redis list ``pasokh:router:wake:{shard}`` so the shard's router wakes at once, and
waits on ``pasokh:router:done:{id}`` for the answer, which it then reads from the row. Redis
only wakes people up; the rows are the truth, so a router that starts or takes over simply
processes every pending row of its shard in id order. A command is marked done in the same
transaction as its effects, so whichever router applies it applies it once.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from pasokh.router.runtime_models import CommandStatus, RouterCommand
from pasokh.router.serialize import command_from_dict, command_to_dict, event_from_dict
from pasokh.routing.events import Event
from pasokh.routing.state import RoutingError

log = logging.getLogger("pasokh.router")

RESULT_TIMEOUT_S = float(os.environ.get("PASOKH_ROUTER_TIMEOUT_S", "10"))
DONE_TTL_S = 120


def shard_count() -> int:
    return max(1, int(os.environ.get("PASOKH_ROUTER_SHARDS", "1")))


def shard_of(tenant_id: int) -> int:
    return tenant_id % shard_count()


def wake_key(shard: int) -> str:
    return f"pasokh:router:wake:{shard}"


def done_key(command_id: int) -> str:
    return f"pasokh:router:done:{command_id}"


@functools.cache
def redis_client() -> Any:
    """The Redis client for wake-ups, or None (then both sides poll the table)."""
    url = settings.ENV.redis_url
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=RESULT_TIMEOUT_S + 5)


def encode(command: Any) -> dict[str, Any]:
    from pasokh.router.service import ReloadConfig

    if isinstance(command, ReloadConfig):
        return {"type": "ReloadConfig"}
    return command_to_dict(command)


def decode(payload: dict[str, Any]) -> Any:
    from pasokh.router.service import ReloadConfig

    if payload.get("type") == "ReloadConfig":
        return ReloadConfig()
    return command_from_dict(payload)


def submit_remote(tenant_id: int, command: Any, timeout_s: float = RESULT_TIMEOUT_S) -> list[Event]:
    if connection.in_atomic_block:
        raise RuntimeError(
            "In scale-out, submit routing commands after the transaction commits "
            "(transaction.on_commit): the router cannot see an uncommitted command."
        )
    shard = shard_of(tenant_id)
    row = RouterCommand.objects.create(tenant_pk=tenant_id, shard=shard, payload=encode(command))
    client = redis_client()
    deadline = time.monotonic() + timeout_s
    if client is not None:
        client.rpush(wake_key(shard), row.pk)
    while True:
        remaining = deadline - time.monotonic()
        if client is not None and remaining > 0:
            client.blpop([done_key(row.pk)], timeout=max(1, min(remaining, 5)))
        elif remaining > 0:
            time.sleep(0.02)
        row.refresh_from_db(fields=["status", "result"])
        if row.status != CommandStatus.PENDING:
            return _answer(row)
        if time.monotonic() >= deadline:
            raise RoutingError(
                "router_unavailable",
                f"no router answered command {row.pk} within {timeout_s:g} s; it stays queued "
                "and is applied when a router of its shard is running",
            )


def _answer(row: RouterCommand) -> list[Event]:
    result = row.result or {}
    if row.status == CommandStatus.REFUSED:
        raise RoutingError(result.get("code", "refused"), result.get("message", ""))
    return [event_from_dict(data) for data in result.get("events", [])]


def process_pending(shard: int, limit: int = 200) -> int:
    """Apply the shard's pending commands in order; returns how many were handled."""
    ids = list(
        RouterCommand.objects.filter(shard=shard, status=CommandStatus.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    done: list[int] = []
    for command_id in ids:
        try:
            _apply(command_id)
        except (OperationalError, InterfaceError):
            raise  # the database is gone, not the command: the next router applies it
        except Exception as error:  # a bug or a constraint: refuse it rather than retry forever
            log.exception("router command %s failed", command_id)
            RouterCommand.objects.filter(pk=command_id, status=CommandStatus.PENDING).update(
                status=CommandStatus.REFUSED,
                result={"code": "router_error", "message": type(error).__name__},
                processed_at=timezone.now(),
            )
        done.append(command_id)
    client = redis_client() if done else None
    if client is not None:
        pipe = client.pipeline()
        for command_id in done:
            pipe.rpush(done_key(command_id), 1)
            pipe.expire(done_key(command_id), DONE_TTL_S)
        pipe.execute()
    return len(done)


def _apply(command_id: int) -> None:
    from pasokh.router.serialize import event_to_dict
    from pasokh.router.service import process

    with transaction.atomic():
        row = (
            RouterCommand.objects.select_for_update()
            .filter(pk=command_id, status=CommandStatus.PENDING)
            .first()
        )
        if row is None:
            return
        try:
            events = process(row.tenant_pk, decode(row.payload))
        except RoutingError as error:
            row.status = CommandStatus.REFUSED
            row.result = {"code": error.code, "message": str(error)}
        else:
            row.status = CommandStatus.DONE
            row.result = {"events": [event_to_dict(event) for event in events]}
        row.processed_at = timezone.now()
        row.save(update_fields=["status", "result", "processed_at"])
