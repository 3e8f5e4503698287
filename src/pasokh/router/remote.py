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
    """Apply the shard's pending commands in order; returns how many were handled.

    Consecutive commands of one tenant are applied as one batch: one transaction holds their
    effects and their rows marked done (or refused), so each is still applied exactly once.
    """
    rows = list(
        RouterCommand.objects.filter(shard=shard, status=CommandStatus.PENDING)
        .order_by("id")
        .values_list("id", "tenant_pk")[:limit]
    )
    done: list[int] = []
    start = 0
    while start < len(rows):
        tenant_id = rows[start][1]
        end = start
        while end < len(rows) and rows[end][1] == tenant_id:
            end += 1
        ids = [command_id for command_id, _ in rows[start:end]]
        try:
            _apply_batch(tenant_id, ids)
        except (OperationalError, InterfaceError):
            raise  # the database is gone, not the commands: the next router applies them
        except Exception as error:  # a bug or a constraint: refuse rather than retry forever
            log.exception("router commands %s failed", ids)
            RouterCommand.objects.filter(pk__in=ids, status=CommandStatus.PENDING).update(
                status=CommandStatus.REFUSED,
                result={"code": "router_error", "message": type(error).__name__},
                processed_at=timezone.now(),
            )
        done += ids
        start = end
    client = redis_client() if done else None
    if client is not None:
        pipe = client.pipeline()
        for command_id in done:
            pipe.rpush(done_key(command_id), 1)
            pipe.expire(done_key(command_id), DONE_TTL_S)
        pipe.execute()
    return len(done)


def _apply_batch(tenant_id: int, ids: list[int]) -> None:
    from pasokh.router.serialize import event_to_dict
    from pasokh.router.service import process_batch

    with transaction.atomic():
        rows = list(
            RouterCommand.objects.select_for_update()
            .filter(pk__in=ids, status=CommandStatus.PENDING)
            .order_by("id")
        )
        decoded: list[RouterCommand] = []
        batch: list[tuple[Any, None]] = []
        for row in rows:
            try:
                batch.append((decode(row.payload), None))
            except Exception as error:  # a payload this version cannot read: refuse it
                log.exception("router command %s cannot be read", row.pk)
                _refuse(row, {"code": "router_error", "message": type(error).__name__})
                continue
            decoded.append(row)
        outcomes = process_batch(tenant_id, batch) if batch else []
        for row, outcome in zip(decoded, outcomes, strict=True):
            if isinstance(outcome, RoutingError):
                _refuse(row, {"code": outcome.code, "message": str(outcome)})
            elif isinstance(outcome, OperationalError | InterfaceError):
                raise outcome
            elif isinstance(outcome, BaseException):  # a bug or a constraint: never retried
                log.error("router command %s failed: %r", row.pk, outcome)
                _refuse(row, {"code": "router_error", "message": type(outcome).__name__})
            else:
                row.status = CommandStatus.DONE
                row.result = {"events": [event_to_dict(event) for event in outcome]}
                row.processed_at = timezone.now()
        RouterCommand.objects.bulk_update(rows, ["status", "result", "processed_at"])


def _refuse(row: RouterCommand, result: dict[str, str]) -> None:
    row.status = CommandStatus.REFUSED
    row.result = result
    row.processed_at = timezone.now()
