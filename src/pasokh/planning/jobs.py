"""Running simulation runs in the background of the embedded process.

A run is started with :func:`start_in_background` inside the request's transaction; the
worker thread starts only after the commit (``transaction.on_commit``), so it always finds
its row. The thread claims the run, reports progress in throttled steps, and stores the
result or a readable error. Each worker signs its runs with :data:`PROCESS_TOKEN`
(host, pid and a per-process nonce), which lets :func:`fail_abandoned_runs` tell a run
whose process died (a restart, a crash) from one that is still going.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from pasokh.planning import whatif
from pasokh.planning.actions import (
    do_fail_abandoned_simulation_runs,
    do_fail_simulation_run,
    do_finish_simulation_run,
    do_record_simulation_progress,
    do_start_simulation_run,
)
from pasokh.planning.models import SimulationRun
from pasokh.tenancy.models import Tenant

logger = logging.getLogger(__name__)

PROCESS_TOKEN = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
PROGRESS_INTERVAL_S = 0.5  # at most two progress writes a second per run
NEVER_STARTED_AFTER = timedelta(minutes=5)  # a queued run with no worker after this is lost
SILENT_AFTER = timedelta(minutes=15)  # a run of another host with no sign of life is lost

_threads: dict[int, threading.Thread] = {}
_lock = threading.Lock()


class ProgressReporter:
    """The ``progress`` callback handed to the simulator: writes at most every 0.5 s."""

    def __init__(self, run: SimulationRun, interval_s: float | None = None) -> None:
        self.run = run
        self.interval_s = PROGRESS_INTERVAL_S if interval_s is None else interval_s
        self.last_written = -1.0
        self.last_time = 0.0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if fraction <= self.last_written:
            return
        if fraction < 1.0 and now - self.last_time < self.interval_s:
            return
        do_record_simulation_progress(self.run, fraction)
        self.last_written = fraction
        self.last_time = now


def start_in_background(run: SimulationRun) -> None:
    """Start the run's worker thread once the current transaction commits."""
    transaction.on_commit(lambda: _spawn(run.pk))


def _spawn(run_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=execute_simulation_run, args=(run_id,), name=f"simulation-{run_id}", daemon=True
    )
    with _lock:
        _threads[run_id] = thread
    thread.start()
    return thread


def wait_for(run_id: int, timeout_s: float) -> bool:
    """Wait for this process's worker of a run; True if it has ended (used by tests, CLI)."""
    with _lock:
        thread = _threads.get(run_id)
    if thread is None:
        return True
    thread.join(timeout_s)
    return not thread.is_alive()


def execute_simulation_run(run_id: int) -> None:
    """Run one simulation to its end, in the calling thread; never raises."""
    try:
        run_now(SimulationRun.objects.select_related("author", "tenant").get(pk=run_id))
    except Exception:  # the thread must end cleanly whatever happens; the log keeps it
        logger.exception("simulation run %s could not be recorded", run_id)
    finally:
        with _lock:
            _threads.pop(run_id, None)
        # This thread's own database connection is not closed by any request cycle.
        close_old_connections()
        connection.close()


def run_now(run: SimulationRun) -> None:
    """Run a queued simulation in the calling thread (the worker's body; the demo uses it)."""
    language = run.author.preferred_language if run.author else run.tenant.default_language
    with translation.override(language):
        _execute(run)


def _execute(run: SimulationRun) -> None:
    if not do_start_simulation_run(run, worker=PROCESS_TOKEN):
        return
    try:
        result = whatif.simulate(run.scenario, run.replications, run.seed, ProgressReporter(run))
    except whatif.ScenarioError as error:
        do_fail_simulation_run(run, str(error))
    except Exception as error:
        logger.exception("simulation run %s failed", run.pk)
        do_fail_simulation_run(
            run,
            gettext("The simulator stopped with an internal error: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"},
        )
    else:
        do_finish_simulation_run(run, result)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but someone else's
        return True
    return True


def abandonment_reason(run: SimulationRun) -> str | None:
    """Why an unfinished run can no longer finish, or None if it still may."""
    with _lock:
        ours = run.pk in _threads
    if ours:
        return None
    if run.status == SimulationRun.Status.QUEUED:
        if run.created_at < timezone.now() - NEVER_STARTED_AFTER:
            return gettext("This simulation was never started; please run it again.")
        return None
    host, _, rest = run.worker.partition(":")
    pid_text, _, _nonce = rest.partition(":")
    if run.worker == PROCESS_TOKEN or (
        host == socket.gethostname()
        and pid_text.isdigit()
        and (int(pid_text) == os.getpid() or not _pid_alive(int(pid_text)))
    ):
        return gettext("The process running this simulation stopped before it finished.")
    if host != socket.gethostname() and (
        run.heartbeat_at is None or run.heartbeat_at < timezone.now() - SILENT_AFTER
    ):
        return gettext("The simulation gave no sign of life for a long time and was stopped.")
    return None


def fail_abandoned_runs(tenant: Tenant) -> int:
    """The check done before listing, polling or starting runs."""
    return do_fail_abandoned_simulation_runs(tenant=tenant, reason_if_abandoned=abandonment_reason)
