"""`pasokh bench routing`: the routing core alone, and the router service with persistence.

The core figures come from ``pasokh.routing.bench.run_core_benchmark`` (1,000 agents, 100
queues, 10,000 waiting, a realistic mix; only ``engine.handle`` timed). The service figures run
the same floor and mix through ``pasokh.router.service.process`` — lock the tenant's state row,
decide, write entries, offers, presence, counters and the event log in one transaction, publish
after commit — on a scratch SQLite file and on a scratch PostgreSQL database, each in a child
process of its own (Django reads its database settings once). ``commands_per_s`` is one command
per transaction (an idle router); ``batched_commands_per_s`` runs the same mix through
``process_batch`` ``BATCH`` commands at a time, as the embedded task does when commands queue up
behind each other (a busy router).
"""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

SERVICE_COMMANDS = int(os.environ.get("PASOKH_BENCH_SERVICE_COMMANDS", "2000"))
BATCH = 20  # commands per transaction when they queue up in the router task
CORE_COMMANDS = int(os.environ.get("PASOKH_BENCH_CORE_COMMANDS", "100000"))
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def run_routing_benchmark(**sizes: Any) -> dict[str, Any]:
    """The issue's floor (1,000 agents, 100 queues, 10,000 waiting); ``sizes`` are ignored."""
    from pasokh.routing.bench import run_core_benchmark

    core = run_core_benchmark(commands=CORE_COMMANDS)
    figures: dict[str, Any] = {
        key: core[key]
        for key in ("agents", "queues", "waiting_at_start", "commands", "core_commands_per_s")
    }
    figures.update(core_p50_us=core["core_p50_us"], core_p99_us=core["core_p99_us"])
    with tempfile.TemporaryDirectory(prefix="pasokh-bench-") as scratch:
        sqlite = _child(f"sqlite:///{Path(scratch) / 'bench.sqlite3'}", Path(scratch))
    figures["service_commands"] = sqlite["commands"]
    figures["service_sqlite_commands_per_s"] = sqlite["commands_per_s"]
    figures["service_sqlite_p50_ms"] = sqlite["p50_ms"]
    figures["service_sqlite_p99_ms"] = sqlite["p99_ms"]
    figures["service_sqlite_batched_commands_per_s"] = sqlite["batched_commands_per_s"]
    figures["service_sqlite_batch_p99_ms"] = sqlite["batch_p99_ms"]
    postgres = _with_scratch_postgres()
    if postgres is not None:
        figures["service_postgres_commands_per_s"] = postgres["commands_per_s"]
        figures["service_postgres_p50_ms"] = postgres["p50_ms"]
        figures["service_postgres_p99_ms"] = postgres["p99_ms"]
        figures["service_postgres_batched_commands_per_s"] = postgres["batched_commands_per_s"]
        figures["service_postgres_batch_p99_ms"] = postgres["batch_p99_ms"]
    else:
        figures["service_postgres_commands_per_s"] = None  # PostgreSQL is not running here
    return figures


def _with_scratch_postgres() -> dict[str, Any] | None:
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception:
        return None
    name = f"pasokh_bench_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with tempfile.TemporaryDirectory(prefix="pasokh-bench-") as scratch:
                return _child(f"postgres://postgres@127.0.0.1:5432/{name}", Path(scratch))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(database_url: str, scratch: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PASOKH_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        PASOKH_SECRET_KEY=secrets.token_urlsafe(64),
        PASOKH_DATA_DIR=str(scratch),
        PASOKH_BENCH_SERVICE_COMMANDS=str(SERVICE_COMMANDS),
    )
    bin_dir = Path(sys.executable).parent
    subprocess.run(  # noqa: S603 - our own entry point
        [str(bin_dir / "pasokh"), "migrate", "-v", "0"], env=env, cwd=scratch, check=True
    )
    done = subprocess.run(  # noqa: S603
        [str(bin_dir / "python"), "-m", "pasokh.router.bench"],
        env=env,
        cwd=scratch,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_service(commands: int, seed: int = 7) -> dict[str, Any]:
    """In a process whose database is the scratch one: load the floor, time the service."""
    from django.db import transaction

    from pasokh.router import service, store
    from pasokh.router.engine import ServiceEngine
    from pasokh.routing import bench as core_bench
    from pasokh.tenancy.models import Tenant

    rng = random.Random(seed)  # noqa: S311 - a seeded, repeatable workload
    engine, floor, now = core_bench.build_floor(rng, 1_000, 100, 10_000)
    tenant = Tenant.objects.create(name="بنچمارک", slug="bench")
    running = ServiceEngine.restore(engine.snapshot())
    started = time.perf_counter()
    with transaction.atomic():
        store.write_whole(tenant.pk, running, store.lock_state(tenant.pk))
    load_s = time.perf_counter() - started
    service._engines[tenant.pk] = running  # the floor as the service holds it after a rebuild
    number = 10 * 10_000 + 1_000_000
    kinds = ["enqueue", "accept", "reject", "end", "wrap_up", "state", "abandon", "tick"]
    weights = [22, 24, 2, 22, 8, 4, 3, 15]
    latencies: list[float] = []
    while len(latencies) < commands:
        kind = rng.choices(kinds, weights)[0]
        now += timedelta(milliseconds=rng.randint(0, 20))
        command = core_bench._next_command(kind, rng, floor, 100, number)
        if command is None:
            continue
        if kind == "enqueue":
            number += 1
        begun = time.perf_counter()
        events = service.process(tenant.pk, command, now=now)
        latencies.append(time.perf_counter() - begun)
        floor.learn(events)
    latencies.sort()
    batched: list[float] = []  # seconds per batch of BATCH commands
    refused = 0  # a batch's commands are drawn before its earlier ones are learnt
    while len(batched) * BATCH < commands:
        batch = []
        while len(batch) < BATCH:
            kind = rng.choices(kinds, weights)[0]
            now += timedelta(milliseconds=rng.randint(0, 20))
            command = core_bench._next_command(kind, rng, floor, 100, number)
            if command is None:
                continue
            if kind == "enqueue":
                number += 1
            batch.append((command, now))
        begun = time.perf_counter()
        outcomes = service.process_batch(tenant.pk, batch)
        batched.append(time.perf_counter() - begun)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                refused += 1
            else:
                floor.learn(outcome)
    batched.sort()
    return {
        "commands": len(latencies),
        "commands_per_s": round(len(latencies) / sum(latencies), 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1e3, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1e3, 2),
        "batched_commands_per_s": round(len(batched) * BATCH / sum(batched), 1),
        "batch_p99_ms": round(batched[int(len(batched) * 0.99)] * 1e3, 2),
        "batch_refused": refused,
        "load_floor_s": round(load_s, 2),
    }


if __name__ == "__main__":
    from pasokh.cli.django_setup import setup_django

    setup_django()
    print(json.dumps(measure_service(SERVICE_COMMANDS)), flush=True)
