"""The router survives SIGKILL mid-load: nothing lost, nothing offered twice.

Real processes against a scratch database: ``pasokh router`` routes, ``drill drive`` plays the
desks and customers through command rows and Redis, and the test kills the router with SIGKILL
while the load runs. On SQLite a new router is started (the embedded restart); on PostgreSQL a
standby router holding back on the advisory-lock lease must take over within 5 s. Afterwards
every interaction must be completed exactly once and have been offered exactly once.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

INTERACTIONS = 60
KILL_AFTER_EVENTS = 150
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BIN = Path(sys.executable).parent


class Process:
    """A child process whose output lines are collected with the time each arrived."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.lines: list[tuple[float, str]] = []
        self.popen = subprocess.Popen(  # noqa: S603 - our own entry points
            args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append((time.monotonic(), line.rstrip()))

    def wait_for(self, text: str, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, line in self.lines:
                if text in line:
                    return at
            if self.popen.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} within {timeout} s: {self.output()}")

    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)[-3000:]

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self.reader.join(timeout=10)
        if self.popen.stdout is not None:
            self.popen.stdout.close()


def environment(tmp_path: Path, database_url: str, redis_db: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PASOKH_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        PASOKH_SECRET_KEY=secrets.token_urlsafe(64),
        PASOKH_DATA_DIR=str(tmp_path),
        PASOKH_ROUTER_MODE="remote",
        PASOKH_ROUTER_TIMEOUT_S="120",
    )
    return env


def step(env: dict[str, str], tmp_path: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-m", "pasokh.router.tests.drill", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def prepare(env: dict[str, str], tmp_path: Path) -> None:
    subprocess.run(  # noqa: S603
        [str(BIN / "pasokh"), "migrate", "-v", "0"], env=env, cwd=tmp_path, check=True, timeout=900
    )
    step(env, tmp_path, "seed")


def router(env: dict[str, str], tmp_path: Path) -> Process:
    return Process([str(BIN / "pasokh"), "router"], env, tmp_path)


def driver(env: dict[str, str], tmp_path: Path) -> Process:
    args = [str(BIN / "python"), "-m", "pasokh.router.tests.drill", "drive", str(INTERACTIONS)]
    return Process(args, env, tmp_path)


def wait_for_events(count_events: Any, minimum: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while count_events() < minimum:
        assert time.monotonic() < deadline, "the load did not get going"
        time.sleep(0.1)


def finish_and_check(env: dict[str, str], tmp_path: Path, drive: Process) -> dict[str, Any]:
    drive.popen.wait(timeout=900)
    drive.reader.join(timeout=10)
    assert drive.popen.returncode == 0, drive.output()
    driven = json.loads(drive.lines[-1][1])
    assert driven["ended"] == INTERACTIONS, driven
    return step(env, tmp_path, "check", str(INTERACTIONS))


def assert_every_interaction_once_and_never_offered_twice(outcome: dict[str, Any]) -> None:
    assert outcome["entries"] == INTERACTIONS
    assert outcome["final_completed"] == INTERACTIONS
    assert outcome["offered_twice"] == []
    assert outcome["offer_rows_twice"] == []
    assert outcome["never_offered"] == []
    assert outcome["final_events_not_one"] == []
    assert outcome["live_offers"] == 0
    assert outcome["busy_agents"] == 0
    assert outcome["pending_commands"] == 0


def test_a_router_killed_mid_load_on_sqlite_restarts_with_nothing_lost_or_offered_twice(
    tmp_path: Path,
) -> None:
    database = tmp_path / "pasokh.sqlite3"
    env = environment(tmp_path, f"sqlite:///{database}", redis_db=5)
    prepare(env, tmp_path)

    def count_events() -> int:
        with sqlite3.connect(database, timeout=30) as db:
            return int(db.execute("SELECT COUNT(*) FROM router_routingevent").fetchone()[0])

    first = router(env, tmp_path)
    first.wait_for("active", timeout=120)
    drive = driver(env, tmp_path)
    try:
        wait_for_events(count_events, KILL_AFTER_EVENTS)
        first.kill()
        killed_at_events = count_events()
        second = router(env, tmp_path)
        second.wait_for("active", timeout=120)
        outcome = finish_and_check(env, tmp_path, drive)
    finally:
        for process in (first, drive, locals().get("second")):
            if process is not None:
                process.kill()
    assert KILL_AFTER_EVENTS <= killed_at_events < outcome["events"]
    assert_every_interaction_once_and_never_offered_twice(outcome)


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs when DATABASE_URL points to PostgreSQL")
    import psycopg

    name = f"pasokh_drill_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_standby_router_takes_over_within_5_s_of_a_sigkill_with_nothing_lost_or_twice(
    tmp_path: Path, scratch_postgres: str
) -> None:
    import psycopg

    url = f"postgres://postgres@127.0.0.1:5432/{scratch_postgres}"
    env = environment(tmp_path, url, redis_db=6)
    prepare(env, tmp_path)

    def count_events() -> int:
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
            row = db.execute("SELECT COUNT(*) FROM router_routingevent").fetchone()
            return int(row[0]) if row else 0

    active = router(env, tmp_path)
    active.wait_for("active", timeout=120)
    standby = router(env, tmp_path)
    standby.wait_for("standby", timeout=120)
    drive = driver(env, tmp_path)
    try:
        wait_for_events(count_events, KILL_AFTER_EVENTS)
        killed = time.monotonic()
        active.kill()
        took_over = standby.wait_for("active", timeout=30)
        outcome = finish_and_check(env, tmp_path, drive)
    finally:
        for process in (active, standby, drive):
            process.kill()
    assert took_over - killed < 5.0
    assert_every_interaction_once_and_never_offered_twice(outcome)
