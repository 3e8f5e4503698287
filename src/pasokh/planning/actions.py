"""Writes to simulation runs (the only write path for this app).

A run moves queued → running → done | failed. Progress is written by the worker thread
in throttled steps (see :mod:`pasokh.planning.jobs`); each write is one UPDATE of one row,
so the run page can poll it while the simulation goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from pasokh.audit.actions import record
from pasokh.planning.models import SimulationRun
from pasokh.tenancy.models import Tenant, User

ERROR_LIMIT = 2000  # characters of an error message kept on the row


@transaction.atomic
def do_create_simulation_run(
    *,
    tenant: Tenant,
    author: User | None,
    name: str,
    scenario: dict[str, Any],
    replications: int,
    seed: int,
) -> SimulationRun:
    run = SimulationRun.objects.create(
        tenant=tenant,
        author=author,
        name=name,
        scenario=scenario,
        replications=replications,
        seed=seed,
    )
    record(
        tenant=tenant,
        actor=author,
        action="planning.simulation_created",
        object_type="planning.simulationrun",
        object_id=str(run.pk),
        object_repr=name,
        changes={"replications": replications, "seed": seed},
    )
    return run


def do_start_simulation_run(run: SimulationRun, *, worker: str) -> bool:
    """Claim a queued run for this worker; False if someone else claimed or ended it."""
    now = timezone.now()
    claimed = SimulationRun.objects.filter(pk=run.pk, status=SimulationRun.Status.QUEUED).update(
        status=SimulationRun.Status.RUNNING,
        worker=worker,
        started_at=now,
        heartbeat_at=now,
        progress=0.0,
    )
    return claimed == 1


def do_record_simulation_progress(run: SimulationRun, progress: float) -> None:
    SimulationRun.objects.filter(pk=run.pk, status=SimulationRun.Status.RUNNING).update(
        progress=min(max(progress, 0.0), 1.0), heartbeat_at=timezone.now()
    )


def do_finish_simulation_run(run: SimulationRun, result: dict[str, Any]) -> None:
    now = timezone.now()
    SimulationRun.objects.filter(pk=run.pk, status=SimulationRun.Status.RUNNING).update(
        status=SimulationRun.Status.DONE,
        result=result,
        progress=1.0,
        heartbeat_at=now,
        finished_at=now,
    )


def do_fail_simulation_run(run: SimulationRun, error: str) -> None:
    now = timezone.now()
    SimulationRun.objects.filter(
        pk=run.pk, status__in=[SimulationRun.Status.QUEUED, SimulationRun.Status.RUNNING]
    ).update(
        status=SimulationRun.Status.FAILED,
        error=error[:ERROR_LIMIT],
        heartbeat_at=now,
        finished_at=now,
    )


def do_fail_abandoned_simulation_runs(
    *, tenant: Tenant, reason_if_abandoned: Callable[[SimulationRun], str | None]
) -> int:
    """Fail the tenant's unfinished runs whose worker is gone, so nobody waits forever.

    ``reason_if_abandoned(run)`` is the job module's judgement (it knows which workers
    are alive): a readable reason to fail the run, or None to leave it alone.
    """
    unfinished = SimulationRun.objects.filter(
        tenant=tenant, status__in=[SimulationRun.Status.QUEUED, SimulationRun.Status.RUNNING]
    )
    failed = 0
    for run in unfinished:
        reason = reason_if_abandoned(run)
        if reason is not None:
            do_fail_simulation_run(run, reason)
            failed += 1
    return failed
